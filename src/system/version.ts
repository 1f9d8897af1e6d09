// The version of faultsense as package.json states it: shown by `--version`,
// written into fitted baselines, sent in the MQTT status message and by edge workers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './native.js';

let cached: string | undefined;

/** package.json's version; '0.0.0' when the file cannot be read (a stripped install). */
export function packageVersion(): string {
  if (cached === undefined) {
    try {
      cached = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      cached = '0.0.0';
    }
  }
  return cached;
}
