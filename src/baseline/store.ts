// Reads and writes baseline.json, the index of a baseline directory
// (format documented in src/baseline/README.md).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BASELINE_FORMAT_VERSION, BaselineMismatchError,
  type BaselineDocument, type ModalityBaselineMeta,
} from './types.js';

export const BASELINE_FILE = 'baseline.json';

export function newBaselineDocument(faultsenseVersion?: string): BaselineDocument {
  return {
    format: 'faultsense-baseline',
    version: BASELINE_FORMAT_VERSION,
    created: new Date().toISOString(),
    ...(faultsenseVersion ? { faultsenseVersion } : {}),
    modalities: {},
  };
}

/** Writes baseline.json atomically (temp file + rename). */
export function writeBaselineDocument(dir: string, doc: BaselineDocument): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, BASELINE_FILE);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(doc, null, 2) + '\n');
  renameSync(tmp, path);
  return path;
}

/** Reads and checks baseline.json; every problem is a BaselineMismatchError naming the file. */
export function readBaselineDocument(dir: string): BaselineDocument {
  const path = join(dir, BASELINE_FILE);
  if (!existsSync(path)) {
    throw new BaselineMismatchError(`${dir} is not a baseline directory: ${BASELINE_FILE} is missing (create one with faultsense baseline fit --out ${dir})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new BaselineMismatchError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  const d = doc as Partial<BaselineDocument> | null;
  if (!d || d.format !== 'faultsense-baseline') {
    throw new BaselineMismatchError(`${path} is not a faultsense baseline (format field is ${JSON.stringify(d?.format)})`);
  }
  if (d.version !== BASELINE_FORMAT_VERSION) {
    throw new BaselineMismatchError(`${path} has baseline format version ${String(d.version)}; this faultsense reads version ${BASELINE_FORMAT_VERSION}. Fit the baseline again with this version.`);
  }
  if (!d.modalities || typeof d.modalities !== 'object') {
    throw new BaselineMismatchError(`${path} has no modalities section`);
  }
  return d as BaselineDocument;
}

/** The section for one modality, or a clear error when the baseline has none. */
export function modalityMeta(dir: string, doc: BaselineDocument, modality: 'audio' | 'vision'): ModalityBaselineMeta {
  const meta = doc.modalities[modality];
  if (!meta) {
    throw new BaselineMismatchError(`baseline ${dir} has no ${modality} part; fit one with faultsense baseline fit --${modality === 'audio' ? 'audio' : 'image'} FILES --out ${dir}`);
  }
  return meta;
}

/**
 * Compares parameters the baseline was fitted with against what the caller
 * will feed it. Lists every differing key in one message.
 */
export function checkParams(what: string, fitted: Record<string, unknown>, actual: Record<string, unknown>): void {
  const diffs: string[] = [];
  for (const [key, want] of Object.entries(actual)) {
    const have = fitted[key];
    if (JSON.stringify(have) !== JSON.stringify(want)) diffs.push(`${key}: baseline has ${JSON.stringify(have)}, analyzer uses ${JSON.stringify(want)}`);
  }
  if (diffs.length) {
    throw new BaselineMismatchError(`${what} does not match this analyzer (${diffs.join('; ')}); fit the baseline again with these settings or change the settings back`);
  }
}
