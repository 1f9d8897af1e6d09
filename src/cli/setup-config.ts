// The configuration `faultsense setup` writes: the existing file (or the
// packaged, annotated default) with only the answered keys changed, so an
// administrator's edits and the comments survive. The result is validated
// with the daemon's own loader before it replaces anything.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseDocument, type Document } from 'yaml';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { PACKAGE_ROOT } from '../system/native.js';

export const PACKAGED_DEFAULT_CONFIG = join(PACKAGE_ROOT, 'config', 'default.yaml');
export const PACKAGED_CATALOG = join(PACKAGE_ROOT, 'config', 'faults.example.yaml');

/** What setup decides; undefined leaves the key as the template has it. */
export interface SetupAnswers {
  deviceId?: string;
  stateDir?: string;
  /** A source string, or "none" to leave the camera/microphone out. */
  camera?: string;
  microphone?: string;
  mqttUrl?: string;
  mqttUsername?: string;
  mqttPasswordFile?: string;
  faults?: string;
  baseline?: string;
  learnOnStart?: boolean;
}

export interface ConfigDraft {
  file: string;
  /** The file the draft started from: the existing configuration or the packaged default. */
  template: string;
  doc: Document;
}

/** The YAML text of a draft: long flow lists stay on one line as the packaged default writes them. */
export function draftText(draft: ConfigDraft): string {
  return draft.doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

export function openDraft(file: string): ConfigDraft {
  const template = existsSync(file) ? file : PACKAGED_DEFAULT_CONFIG;
  return { file, template, doc: parseDocument(readFileSync(template, 'utf8')) };
}

/** A value as the draft holds it now (for prompts' defaults). */
export function draftValue(draft: ConfigDraft, path: string[]): unknown {
  const v = draft.doc.getIn(path);
  return v && typeof v === 'object' && 'toJSON' in v ? (v as { toJSON(): unknown }).toJSON() : v;
}

export function applyAnswers(draft: ConfigDraft, a: SetupAnswers): void {
  const set = (path: string[], v: unknown) => { if (v !== undefined) draft.doc.setIn(path, v); };
  set(['deviceId'], a.deviceId);
  set(['stateDir'], a.stateDir);
  for (const role of ['camera', 'microphone'] as const) {
    const v = a[role];
    if (v === 'none') { if (draft.doc.hasIn(['capture', role])) draft.doc.deleteIn(['capture', role]); }
    else if (v !== undefined) {
      // A section the template left out (or set to null) gets just its source; the schema fills the rest.
      if (!draft.doc.getIn(['capture', role])) draft.doc.setIn(['capture', role], draft.doc.createNode({ source: v }));
      else draft.doc.setIn(['capture', role, 'source'], v);
    }
  }
  set(['mqtt', 'url'], a.mqttUrl);
  set(['mqtt', 'username'], a.mqttUsername);
  if (a.mqttPasswordFile !== undefined) {
    if (draft.doc.hasIn(['mqtt', 'password'])) draft.doc.deleteIn(['mqtt', 'password']);
    draft.doc.setIn(['mqtt', 'password_file'], a.mqttPasswordFile);
  }
  set(['diagnosis', 'faults'], a.faults);
  set(['diagnosis', 'baseline'], a.baseline);
  set(['diagnosis', 'learnOnStart'], a.learnOnStart);
}

/**
 * The catalog setup wires in when none is given: faults.yaml beside the configuration (the package
 * installs /etc/faultsense/faults.yaml), else the packaged example copied there on write.
 */
export function defaultCatalog(file: string): { value: string; copyFrom?: string } {
  const beside = join(dirname(file), 'faults.yaml');
  return existsSync(beside) ? { value: 'faults.yaml' } : { value: 'faults.yaml', copyFrom: PACKAGED_CATALOG };
}

/**
 * Validates the draft exactly as the daemon would load it (relative paths against the target's
 * folder, no environment overrides): a temporary file beside the target. Throws the loader's
 * ConfigError (exit 2, naming the key) when it is not valid.
 */
export function validateDraft(draft: ConfigDraft, extraFiles: Array<{ from: string; to: string }> = []): Config {
  const tmp = join(dirname(draft.file), `.${basename(draft.file)}.setup-${process.pid}`);
  const copied: string[] = [];
  try {
    for (const f of extraFiles) if (!existsSync(f.to)) { copyFileSync(f.from, f.to); copied.push(f.to); }
    writeFileSync(tmp, draftText(draft), { mode: 0o600 });
    return loadConfig(tmp, { env: {} }).config;
  } finally {
    rmSync(tmp, { force: true });
    for (const c of copied) rmSync(c, { force: true });
  }
}

/** The group the service runs as, when it exists here (the package's sysusers.d creates it). */
function serviceGid(): number | undefined {
  const r = spawnSync('getent', ['group', 'faultsense'], { encoding: 'utf8' });
  const gid = r.status === 0 ? Number(r.stdout.split(':')[2]) : NaN;
  return Number.isInteger(gid) ? gid : undefined;
}

export interface WriteResult { file: string; backup?: string; copied: string[] }

/**
 * Writes the draft atomically (temporary file + rename). An existing file is kept as FILE.bak.
 * Mode 0640 and, when run as root where the faultsense group exists, group faultsense, so the
 * service can read it and other users cannot (it may hold a broker login).
 */
export function writeDraft(draft: ConfigDraft, extraFiles: Array<{ from: string; to: string }>): WriteResult {
  const copied: string[] = [];
  for (const f of extraFiles) if (!existsSync(f.to)) { copyFileSync(f.from, f.to); copied.push(f.to); }
  const tmp = join(dirname(draft.file), `.${basename(draft.file)}.new-${process.pid}`);
  writeFileSync(tmp, draftText(draft), { mode: 0o640 });
  const gid = process.getuid?.() === 0 ? serviceGid() : undefined;
  for (const f of [tmp, ...copied]) {
    chmodSync(f, 0o640);
    if (gid !== undefined) chownSync(f, 0, gid);
  }
  let backup: string | undefined;
  if (existsSync(draft.file)) {
    backup = `${draft.file}.bak`;
    copyFileSync(draft.file, backup);
  }
  renameSync(tmp, draft.file);
  return { file: draft.file, ...(backup ? { backup } : {}), copied };
}
