// Loads the node-gyp addon (native/). Every native module hangs off this one
// binary; callers get a clear error when it has not been built.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface NativeAddon {
  notify(socketPath: string, message: string): void;
  [module: string]: unknown;
}

const here = dirname(fileURLToPath(import.meta.url));
/** Repository/package root: src/system or dist/system → two levels up. */
export const PACKAGE_ROOT = join(here, '..', '..');

let cached: NativeAddon | undefined;

export function nativeAddonPath(): string {
  return join(PACKAGE_ROOT, 'native', 'build', 'Release', 'faultsense_native.node');
}

export function loadNative(): NativeAddon {
  if (cached) return cached;
  const file = nativeAddonPath();
  if (!existsSync(file)) {
    throw new Error(`native addon ${file} is not built; run "npm run build:native" (needs python3, make and g++)`);
  }
  const require = createRequire(import.meta.url);
  cached = require(file) as NativeAddon;
  return cached;
}
