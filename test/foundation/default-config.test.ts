// config/default.yaml is the configuration reference: every key of the schema
// must appear in it (commented out or set), and it must validate.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { z } from 'zod';
import { configSchema } from '../../src/config/schema.js';
import { REPO_ROOT } from '../helpers/cli.js';

interface Def { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; element?: z.ZodType; options?: z.ZodType[]; in?: z.ZodType }
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Leaf key paths of an object schema ("mqtt.tls.ca"), looking through optional/default wrappers and arrays of objects. */
function keyPaths(schema: z.ZodType, prefix: string[] = []): string[][] {
  let d = defOf(schema);
  while (d.innerType || d.in) { d = defOf((d.innerType ?? d.in)!); }
  if (d.type === 'array' && d.element) return keyPaths(d.element, prefix);
  if (d.type === 'union' && d.options) {
    const obj = d.options.find((o) => defOf(o).type === 'object');
    return obj ? keyPaths(obj, prefix) : [prefix];
  }
  if (d.type !== 'object' || !d.shape) return [prefix];
  return Object.entries(d.shape).flatMap(([k, v]) => keyPaths(v, [...prefix, k]));
}

describe('config/default.yaml', () => {
  it('documents every configuration key', () => {
    const text = readFileSync(join(REPO_ROOT, 'config', 'default.yaml'), 'utf8');
    const missing: string[] = [];
    for (const path of keyPaths(configSchema)) {
      const leaf = path[path.length - 1]!;
      // The key must appear as "key:" (set or commented), or inside a flow mapping "{... key: ...}".
      const re = new RegExp(`(^|[\\s{,#])${leaf}(_file)?:`, 'm');
      if (!re.test(text)) missing.push(path.join('.'));
    }
    assert.deepEqual(missing, [], `config/default.yaml does not mention: ${missing.join(', ')}`);
  });
});
