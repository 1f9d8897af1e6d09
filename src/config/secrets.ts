// Secrets from outside the config file:
// - FAULTSENSE_MQTT__PASSWORD_FILE=/path works like `password_file: /path` in
//   YAML (the file's contents become mqtt.password);
// - systemd credentials (LoadCredential=/SetCredential=, $CREDENTIALS_DIRECTORY):
//   a credential named after a secret fills that secret when the configuration
//   does not give it. Names: see SECRET_CREDENTIALS.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { configSchema } from './schema.js';
import { BadInputError } from '../system/errors.js';

type Tree = Record<string, unknown>;

export interface SecretCredential {
  /** The credential's name (LoadCredential=NAME:/path). */
  name: string;
  /** The config key it fills (dotted, as in the schema). */
  key: string;
  /** 'value': the key gets the file's contents; 'path': the key gets the credential file's path. */
  as: 'value' | 'path';
}

/** Every secret faultsense reads, by credential name. */
export const SECRET_CREDENTIALS: readonly SecretCredential[] = [
  { name: 'mqtt.password', key: 'mqtt.password', as: 'value' },
  { name: 'mqtt.tls.key', key: 'mqtt.tls.key', as: 'path' },
  { name: 'offload.shared-key', key: 'offload.sharedKeyFile', as: 'path' },
  { name: 'api.token', key: 'api.tokenFile', as: 'path' },
];

/** The object schema at a key path (unwrapping defaults/optionals), or undefined. */
function objectShapeAt(path: string[]): Record<string, z.ZodType> | undefined {
  let node: unknown = configSchema;
  const shapeOf = (s: unknown): Record<string, z.ZodType> | undefined => {
    let cur = s as { shape?: Record<string, z.ZodType>; _zod?: { def?: { innerType?: unknown; in?: unknown } } } | undefined;
    for (let i = 0; i < 8 && cur; i++) {
      if (cur.shape) return cur.shape;
      const def = cur._zod?.def;
      cur = (def?.innerType ?? def?.in) as typeof cur;
    }
    return undefined;
  };
  for (const seg of path) {
    const shape = shapeOf(node);
    if (!shape || !(seg in shape)) return undefined;
    node = shape[seg];
  }
  return shapeOf(node);
}

/**
 * For an environment override whose last segment ends in "File" (from NAME_FILE):
 * when the schema has no such key but has the key without "File", returns the
 * `<key>_file` form that is resolved like a `*_file` key in YAML.
 */
export function envSecretFileKey(parents: string[], leaf: string): string | undefined {
  if (!leaf.endsWith('File') || leaf.length <= 4) return undefined;
  const shape = objectShapeAt(parents);
  if (!shape || leaf in shape) return undefined;
  const target = leaf.slice(0, -4);
  return target in shape ? `${target}_file` : undefined;
}

function getPath(tree: Tree, key: string): unknown {
  let node: unknown = tree;
  for (const p of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Tree)[p];
  }
  return node;
}

function setPath(tree: Tree, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = tree;
  for (const p of parts.slice(0, -1)) {
    if (typeof node[p] !== 'object' || node[p] === null) node[p] = {};
    node = node[p] as Tree;
  }
  node[parts[parts.length - 1]!] = value;
}

/**
 * Fills secrets from $CREDENTIALS_DIRECTORY for keys the configuration leaves
 * unset (neither the key nor its `_file` form). Returns the credential names used.
 */
export function applyCredentials(tree: Tree, env: NodeJS.ProcessEnv): string[] {
  const dir = env.CREDENTIALS_DIRECTORY;
  if (!dir) return [];
  const used: string[] = [];
  for (const c of SECRET_CREDENTIALS) {
    const file = join(dir, c.name);
    if (!existsSync(file)) continue;
    if (getPath(tree, c.key) !== undefined || getPath(tree, `${c.key}_file`) !== undefined) continue;
    let value = file;
    if (c.as === 'value') {
      try {
        value = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
      } catch (err) {
        throw new BadInputError(`credential ${c.name} (${file}) cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); ` +
          'check LoadCredential= in the unit');
      }
    }
    setPath(tree, c.key, value);
    used.push(c.name);
  }
  return used;
}
