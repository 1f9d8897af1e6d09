// Builds the daemon's components from the configuration, in start order:
// sinks first (so nothing produced is lost), then analysis, then sources.
import type { Component, ComponentContext } from './system/component.js';

export async function buildComponents(ctx: ComponentContext): Promise<Component[]> {
  const components: Component[] = [];
  void ctx;
  return components;
}
