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

/** FAULTSENSE_NATIVE_ADDON=/path/faultsense_native.node replaces the built one (packages, tests). */
export function nativeAddonPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.FAULTSENSE_NATIVE_ADDON || join(PACKAGE_ROOT, 'native', 'build', 'Release', 'faultsense_native.node');
}

export function loadNative(): NativeAddon {
  if (cached) return cached;
  const file = nativeAddonPath();
  if (!existsSync(file)) {
    throw new Error(`native addon ${file} is not built; run "npm run build:native" (needs python3, make and g++)`);
  }
  const require = createRequire(import.meta.url);
  try {
    cached = require(file) as NativeAddon;
  } catch (err) {
    // dlopen failures (wrong architecture, missing library, truncated file) say so in their first line.
    const why = String((err as Error).message).split('\n')[0];
    throw new Error(`native addon ${file} cannot be loaded (${why}); rebuild it with "npm run build:native" or reinstall the package for this architecture`);
  }
  return cached;
}
