// Loading a configuration: YAML file → secrets from *_file keys → environment
// overrides (FAULTSENSE_SECTION__KEY=value) → CLI overrides → schema check.
// Every failure is a ConfigError whose message names the key path.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml, parseDocument } from 'yaml';
import type { z } from 'zod';
import { configSchema, type Config } from './schema.js';
import { applyCredentials, envSecretFileKey } from './secrets.js';
import { BadInputError } from '../system/errors.js';
import { isSecretKey, redactText, registerSecretsIn } from '../system/secrets.js';

export class ConfigError extends BadInputError {
  constructor(message: string, readonly file?: string) {
    super(message);
  }
}

type Tree = Record<string, unknown>;

function isTree(v: unknown): v is Tree {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads and parses a YAML file; a missing/unreadable/invalid file is a ConfigError. */
export function readYamlFile(file: string, what = 'config file'): Tree {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const hint = code === 'ENOENT' ? 'does not exist; pass another with -c FILE or create it from config/default.yaml'
      : code === 'EACCES' ? 'is not readable by this user; check its permissions'
        : `cannot be read (${(err as Error).message})`;
    throw new ConfigError(`${what} ${file} ${hint}`, file);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0];
    throw new ConfigError(`${file}${pos ? `:${pos.line}:${pos.col}` : ''}: invalid YAML: ${e.message.split('\n')[0]}`, file);
  }
  let value: unknown;
  try {
    // Aliases are expanded with a limit (the yaml package's maxAliasCount): a "billion laughs" file is refused, not expanded.
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new ConfigError(`${file}: cannot use this YAML (${(err as Error).message.split('\n')[0]}); ` +
      'write the values out instead of nesting many aliases (*name) of aliases', file);
  }
  if (value === null || value === undefined) return {};
  if (!isTree(value)) throw new ConfigError(`${file}: expected a mapping of keys at the top level`, file);
  return value;
}

/**
 * Replaces every `name_file: PATH` with `name: <file contents, trimmed>` so
 * credentials can live in files readable only by the service user.
 */
export function resolveSecretFiles(tree: Tree, baseDir: string, path: string[] = []): void {
  for (const [key, value] of Object.entries(tree)) {
    if (isTree(value)) {
      resolveSecretFiles(value, baseDir, [...path, key]);
      continue;
    }
    if (!key.endsWith('_file')) continue;
    const target = key.slice(0, -'_file'.length);
    const keyPath = [...path, key].join('.');
    if (typeof value !== 'string' || value.length === 0) {
      throw new ConfigError(`${keyPath}: expected the path of a file holding the ${target}`);
    }
    const file = isAbsolute(value) ? value : resolve(baseDir, value);
    let secret: string;
    try {
      secret = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new ConfigError(`${keyPath}: cannot read secret file ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); ` +
        'check that it exists and is readable by the faultsense user');
    }
    delete tree[key];
    tree[target] = secret;
  }
}

function camel(segment: string): string {
  return segment.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

interface SchemaDef { type: string; shape?: Record<string, unknown>; innerType?: unknown; in?: unknown; options?: unknown[] }
const defOf = (s: unknown): SchemaDef | undefined => (s as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;

/** The kind of value the schema expects at a key path: 'string' when only a string fits there. */
function expectedKind(path: string[]): 'string' | 'other' | 'unknown' {
  let node: unknown = configSchema;
  for (const seg of path) {
    let d = defOf(node);
    while (d && (d.innerType || d.in)) d = defOf(d.innerType ?? d.in);
    if (!d || d.type !== 'object' || !d.shape || !Object.hasOwn(d.shape, seg)) return 'unknown';
    node = d.shape[seg];
  }
  let d = defOf(node);
  while (d && (d.innerType || d.in)) d = defOf(d.innerType ?? d.in);
  if (!d) return 'unknown';
  return d.type === 'string' ? 'string' : 'other';
}

/**
 * Applies FAULTSENSE_A__B_C=value as a.bC = value. Values are read as YAML
 * scalars, so numbers and booleans keep their types ("[a, b]" gives a list),
 * except where the schema expects a string: there the text is kept as it is
 * (FAULTSENSE_MQTT__PASSWORD=12345 is the password "12345").
 */
export function applyEnvOverrides(tree: Tree, env: NodeJS.ProcessEnv): string[] {
  const applied: string[] = [];
  // Read by the logger, the journal writer, the native loader, capture's stdout reader and the test runner (FAULTSENSE_TEST_*), not configuration keys.
  const reserved = new Set(['FAULTSENSE_LOG_LEVEL', 'FAULTSENSE_LOG_FORMAT', 'FAULTSENSE_JOURNAL_SOCKET', 'FAULTSENSE_NATIVE_ADDON', 'FAULTSENSE_CAPTURE_READER']);
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('FAULTSENSE_') || raw === undefined || reserved.has(name) || name.startsWith('FAULTSENSE_TEST_')) continue;
    const segments = name.slice('FAULTSENSE_'.length).split('__').filter(Boolean).map(camel);
    if (segments.length === 0) continue;
    let node: Tree = tree;
    for (const seg of segments.slice(0, -1)) {
      if (!isTree(node[seg])) node[seg] = {};
      node = node[seg] as Tree;
    }
    let value: unknown = raw;
    if (expectedKind(segments) !== 'string') {
      try { value = parseYaml(raw); } catch { /* keep the plain string */ }
      if (value === null) value = raw;
    }
    // NAME_FILE=/path for a secret NAME reads the secret from that file, as name_file: does in YAML.
    const leaf = envSecretFileKey(segments.slice(0, -1), segments[segments.length - 1]!) ?? segments[segments.length - 1]!;
    node[leaf] = leaf.endsWith('_file') ? raw : value;
    applied.push([...segments.slice(0, -1), leaf].join('.'));
  }
  return applied;
}

/** Sets a dotted key path in a tree, creating parents (CLI flag overrides). */
export function setPath(tree: Tree, path: string, value: unknown): void {
  const parts = path.split('.');
  let node: Tree = tree;
  for (const p of parts.slice(0, -1)) {
    if (!isTree(node[p])) node[p] = {};
    node = node[p] as Tree;
  }
  node[parts[parts.length - 1]!] = value;
}

function describeInput(v: unknown, path: PropertyKey[] = []): string {
  if (v === undefined) return 'nothing';
  if (path.some((p) => typeof p === 'string' && isSecretKey(p))) return '(a secret, not shown)';
  const s = JSON.stringify(v);
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

function getAt(tree: unknown, path: PropertyKey[]): unknown {
  let node = tree;
  for (const p of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[p];
  }
  return node;
}

/** Turns zod issues into "key.path: expected ..., got ..." lines. */
export function formatIssues(issues: z.core.$ZodIssue[], input: unknown): string {
  return issues.map((iss) => {
    const path = iss.path.map(String).join('.');
    if (iss.code === 'unrecognized_keys') {
      const where = path ? `${path}.` : '';
      return iss.keys.map((k) => `${where}${k}: unknown key (check the spelling against config/default.yaml)`).join('\n');
    }
    const got = getAt(input, iss.path);
    const shown = describeInput(got, iss.path);
    let msg = iss.message;
    if (iss.code === 'invalid_type') {
      msg = got === undefined ? `required value missing (expected ${iss.expected})` : `expected ${iss.expected}, got ${shown}`;
    } else if (iss.code === 'invalid_value') {
      msg = `expected one of ${iss.values.map((v) => JSON.stringify(v)).join(', ')}, got ${shown}`;
    } else if (!/got /.test(msg) || shown.startsWith('(a secret')) {
      msg = `${msg.replace(/, got .*$/, '')}, got ${shown}`;
    }
    return redactText(`${path || '(top level)'}: ${msg}`);
  }).join('\n');
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** Dotted-path overrides from CLI flags; they win over file and environment. */
  overrides?: Record<string, unknown>;
}

export interface LoadedConfig {
  config: Config;
  file?: string;
  envApplied: string[];
  /** systemd credentials ($CREDENTIALS_DIRECTORY) that filled a secret. */
  credentialsApplied?: string[];
}

/** Validates an already-assembled tree. */
export function validateConfig(tree: Tree, file?: string): Config {
  // Known before anything can print them: every later message hides them.
  registerSecretsIn(tree);
  const result = configSchema.safeParse(tree);
  if (!result.success) {
    throw new ConfigError(`${file ? file + ': ' : ''}invalid configuration\n${formatIssues(result.error.issues, tree)}`, file);
  }
  return result.data;
}

/** Loads a config file (or only defaults when file is undefined). */
export function loadConfig(file: string | undefined, opts: LoadOptions = {}): LoadedConfig {
  const tree: Tree = file ? readYamlFile(file) : {};
  const baseDir = file ? dirname(resolve(file)) : process.cwd();
  const envApplied = applyEnvOverrides(tree, opts.env ?? process.env);
  for (const [k, v] of Object.entries(opts.overrides ?? {})) {
    if (v !== undefined) setPath(tree, k, v);
  }
  resolveSecretFiles(tree, baseDir);
  const credentialsApplied = applyCredentials(tree, opts.env ?? process.env);
  const config = validateConfig(tree, file);
  // Relative paths in a config file are relative to that file.
  if (file) absolutizePaths(config, baseDir);
  return { config, file, envApplied, credentialsApplied };
}

function absolutizePaths(config: Config, baseDir: string): void {
  const abs = (p: string | undefined) => (p && !isAbsolute(p) ? resolve(baseDir, p) : p);
  config.stateDir = abs(config.stateDir)!;
  config.diagnosis.faults = abs(config.diagnosis.faults);
  config.diagnosis.baseline = abs(config.diagnosis.baseline);
  config.capture.clips.dir = abs(config.capture.clips.dir);
  config.mqtt.tls.ca = abs(config.mqtt.tls.ca);
  config.mqtt.tls.cert = abs(config.mqtt.tls.cert);
  config.mqtt.tls.key = abs(config.mqtt.tls.key);
  config.api.tokenFile = abs(config.api.tokenFile);
  config.offload.sharedKeyFile = abs(config.offload.sharedKeyFile);
  config.inference.modelDirs = config.inference.modelDirs.map((d) => abs(d)!);
  for (const src of [config.capture.camera, config.capture.microphone]) {
    if (!src) continue;
    const m = /^(file|image|dir):(?!\/)(.*)$/.exec(src.source);
    if (m) src.source = `${m[1]}:${resolve(baseDir, m[2]!)}`;
  }
}
