// Which baseline directory the analyzers load: the one configured in
// diagnosis.baseline, or one the daemon learned live and recorded in
// <stateDir>/baselines/active.json.
//
// Precedence: the newer of the two wins, by the `created` time in each
// baseline.json. So a baseline learned on the machine replaces the configured
// one (and "none"), and fitting a fresh one with `faultsense baseline fit`
// into the configured directory later takes over again. A learned baseline
// that no longer fits the analyzers (camera size or audio settings changed) is
// skipped with a warning rather than stopping the daemon. `baseline-learn
// {"action":"reset"}` removes active.json.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readBaselineDocument } from '../baseline/store.js';
import { getLogger } from '../system/logger.js';
import { syncDir } from '../system/sync-dir.js';

export const ACTIVE_BASELINE_FILE = 'active.json';

/** What active.json records about the learned baseline in use. */
export interface ActiveBaselineRecord {
  /** Absolute path of the baseline directory. */
  dir: string;
  /** When it was activated (ISO time). */
  activated: string;
  /** How it came to be: learned live on this device. */
  origin: 'learned';
  modalities: Array<'audio' | 'vision'>;
  /** Seconds of normal running it was learned from, and what was kept of it. */
  learnedSeconds: number;
  windows: number;
  frames: number;
}

export function baselinesDir(stateDir: string): string {
  return join(stateDir, 'baselines');
}

export function activeBaselineFile(stateDir: string): string {
  return join(baselinesDir(stateDir), ACTIVE_BASELINE_FILE);
}

/** Writes a file so that a crash leaves either the old or the new content: temp file, fsync, rename, fsync of the folder. */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  syncDir(dirname(path));
}


export function writeActiveBaseline(stateDir: string, record: ActiveBaselineRecord): string {
  const path = activeBaselineFile(stateDir);
  writeFileAtomic(path, JSON.stringify(record, null, 2) + '\n');
  return path;
}

/** The recorded learned baseline, or undefined when there is none. A damaged file is an error naming it. */
export function readActiveBaseline(stateDir: string): ActiveBaselineRecord | undefined {
  const path = activeBaselineFile(stateDir);
  if (!existsSync(path)) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path} is not valid JSON (${(err as Error).message}); delete it to go back to diagnosis.baseline`);
  }
  const r = doc as Partial<ActiveBaselineRecord> | null;
  if (!r || typeof r.dir !== 'string' || r.dir.length === 0) {
    throw new Error(`${path} names no baseline directory ("dir"); delete it to go back to diagnosis.baseline`);
  }
  return r as ActiveBaselineRecord;
}

/** Forgets the learned baseline; returns whether there was one. */
export function clearActiveBaseline(stateDir: string): boolean {
  const path = activeBaselineFile(stateDir);
  if (!existsSync(path)) return false;
  rmSync(path);
  syncDir(dirname(path));
  return true;
}

export interface BaselineChoice {
  /** Directory to load, or undefined for none. */
  dir?: string;
  origin: 'configured' | 'learned' | 'none';
  /** Why this one, in words (logged and shown in health). */
  reason: string;
}

export interface BaselineChoiceInput {
  /** diagnosis.baseline */
  configured?: string;
  stateDir: string;
  /** Camera frame size; a learned vision baseline of another size is skipped. */
  frameSize?: { width: number; height: number };
  /** Audio settings; a learned audio baseline fitted with others is skipped. */
  audio?: { sampleRate: number; melBands: number };
}

function createdMs(dir: string): number {
  try {
    const t = Date.parse(readBaselineDocument(dir).created);
    return Number.isFinite(t) ? t : 0;
  } catch {
    return Number.NaN;
  }
}

/** Why a learned baseline cannot serve the analyzers as configured now, or undefined when it can. */
function learnedMismatch(dir: string, input: BaselineChoiceInput): string | undefined {
  let doc;
  try {
    doc = readBaselineDocument(dir);
  } catch (err) {
    return (err as Error).message;
  }
  const v = doc.modalities.vision?.params;
  if (v && input.frameSize && (v.frameWidth !== input.frameSize.width || v.frameHeight !== input.frameSize.height)) {
    return `its vision part was learned on ${String(v.frameWidth)}x${String(v.frameHeight)} frames but the camera delivers ${input.frameSize.width}x${input.frameSize.height}`;
  }
  const a = doc.modalities.audio?.params;
  if (a && input.audio && (a.sampleRate !== input.audio.sampleRate || a.melBands !== input.audio.melBands)) {
    return `its audio part was learned at ${String(a.sampleRate)} Hz / ${String(a.melBands)} mel bands but the analyzer uses ${input.audio.sampleRate} Hz / ${input.audio.melBands}`;
  }
  return undefined;
}

/** Picks the baseline the analyzers load (see the precedence rule at the top of this file). */
export function chooseBaseline(input: BaselineChoiceInput): BaselineChoice {
  const log = getLogger('baseline.active');
  const configured = input.configured;
  let learned: ActiveBaselineRecord | undefined;
  try {
    learned = readActiveBaseline(input.stateDir);
  } catch (err) {
    log.warn(`ignoring the learned baseline: ${(err as Error).message}`);
  }
  if (learned) {
    const bad = learnedMismatch(learned.dir, input);
    if (bad) {
      log.warn(`ignoring the learned baseline ${learned.dir}: ${bad}; learn again (cmd/baseline-learn) or reset it`);
      learned = undefined;
    }
  }
  if (!learned) {
    return configured
      ? { dir: configured, origin: 'configured', reason: 'diagnosis.baseline' }
      : { origin: 'none', reason: 'no baseline configured (diagnosis.baseline) or learned' };
  }
  if (!configured) return { dir: learned.dir, origin: 'learned', reason: `learned on this device (${learned.activated})` };
  const c = createdMs(configured);
  const l = createdMs(learned.dir);
  // A configured directory that cannot be read is left to the analyzers to report, unless a learned one exists.
  if (Number.isNaN(c) || l >= c) {
    return { dir: learned.dir, origin: 'learned', reason: `learned on this device (${learned.activated}), newer than diagnosis.baseline` };
  }
  return { dir: configured, origin: 'configured', reason: 'diagnosis.baseline was fitted after the learned baseline' };
}
