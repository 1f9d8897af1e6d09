// The OCR models the reader runs: the PP-OCRv4 files with their affine ops folded away, made on this board.
// PP-LCNetV3 wraps each Conv in "learnable affine blocks" (Mul by a constant, Add of a constant, hardswish's
// Div by 6, BatchNormalization) that ONNX Runtime's graph optimizer leaves alone, so the float models run ~100
// separate elementwise ops over whole feature maps. conv-affine-fold.ts and scalar-chain-merge.ts (written for the
// INT8 variants) rewrite them into the Conv weights exactly — the same function up to float rounding (outputs
// differ by ~1e-5 at most) — and the models run ~10-20 % faster. The rewrite is derived from the installed
// file at first use, cached on disk under a name that holds the source's sha256 (a changed source makes a new
// one) beside a record of the derived file's own sha256 (a corrupt or partly written cache file is made
// again), and any failure (no space, unreadable file, a graph the rewrite cannot handle) falls back to the
// original file with a warning. Quantized or fp16 files are left as they are.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { noteDerivedFile } from '../../inference/derived-files.js';
import type { SessionOpener } from '../../inference/session.js';
import { getLogger } from '../../system/logger.js';

const log = getLogger('vision.ocr');
/** Bumped when the rewrite changes, so older cache files are not used. */
export const FOLD_VERSION = 1;
/** Where the daemon keeps derived models (its state folder: kept across restarts, unlike a private /tmp). */
let processDerivedDir: string | undefined;
/** Sets the folder readers made later in this process cache their folded copies in (the daemon: `<stateDir>/models/derived`). */
export function useDerivedModelsDir(dir: string): void {
  processDerivedDir = dir;
}
/** That folder, or per user in the temp folder (shared, so named `faultsense-derived-models-<uid>`). */
export const defaultDerivedDir = (): string => processDerivedDir ?? join(tmpdir(), `faultsense-derived-models-${process.getuid?.() ?? 'user'}`);

/** Makes `dir` (owner only) or checks that it is ours and no one else can write in it: models are code we run. */
function ownDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = statSync(dir);
  const uid = process.getuid?.();
  if ((uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) {
    throw new Error(`the cache folder ${dir} belongs to another user or others can write in it`);
  }
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
/** Per source file (path, size, mtime, folder): the cache file (or the source), so readers made again skip hashing it. */
const memo = new Map<string, string>();

/** The folded float model of `source` (built or taken from `dir`), or `source` itself when none can be had. */
export async function foldedModel(source: string, dir = defaultDerivedDir()): Promise<string> {
  let key: string;
  try {
    const st = statSync(source);
    key = `${source}|${st.size}|${st.mtimeMs}|${dir}`;
  } catch {
    return source;  // the opener reports a missing file
  }
  try {
    let file = memo.get(key), bytes: Buffer | undefined;
    if (file === source) return source;
    if (!file) {
      bytes = readFileSync(source);
      file = join(dir, `${basename(source, '.onnx')}.${sha256(bytes).slice(0, 20)}.fold${FOLD_VERSION}.onnx`);
    }
    const record = `${file}.sha256`;
    ownDir(dir);
    let ok = false;
    try {
      ok = readFileSync(record, 'utf8').trim() === sha256(readFileSync(file));
    } catch { /* not made yet */ }
    if (!ok) {
      const folded = await deriveFolded(bytes ?? readFileSync(source));
      if (!folded) {
        memo.set(key, source);
        return source;
      }
      // Written under a temporary name and renamed: a reader never sees half a file; the record comes last.
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        writeFileSync(tmp, folded);
        renameSync(tmp, file);
      } finally {
        if (existsSync(tmp)) unlinkSync(tmp);
      }
      writeFileSync(record, `${sha256(folded)}\n`);
      log.debug('ocr model folded', { source, file });
    }
    memo.set(key, file);
    return file;
  } catch (err) {
    log.warn(`ocr: could not use a folded copy of ${source} (${(err as Error).message}); running the original file`);
    return source;
  }
}

/** The folded model's bytes, or null when the model is not a plain float one or nothing folds. */
export async function deriveFolded(bytes: Uint8Array): Promise<Uint8Array | null> {
  // Loaded here only: a daemon whose cache is made never maps the protobuf library.
  const { constantsToInitializers, readModel, writeModel, DT } = await import('../../inference/onnx-io.js');
  const { foldAffineIntoConv } = await import('../../inference/conv-affine-fold.js');
  const { mergeScalarChains } = await import('../../inference/scalar-chain-merge.js');
  const model = readModel(bytes);
  const g = model.graph;
  if (g.node.some((n) => /QuantizeLinear|^QLinear|Integer/.test(n.op_type)) || g.initializer.some((t) => t.data_type === DT.FLOAT16)) return null;
  constantsToInitializers(model);
  const removed = foldAffineIntoConv(model).nodesRemoved + mergeScalarChains(model);
  return removed > 0 ? writeModel(model) : null;
}

/**
 * `models` with the detector and recogniser replaced by their folded copies where these can be had (`dir` false:
 * as given), and `open` wrapped so that a folded copy that fails to open is replaced by its original, with a warning.
 * Sessions keep the original file's name as their label (per-model stats).
 */
export async function foldedOcrModels<T extends { detection: string; recognition: string }>(
  models: T, dir: string | false | undefined, open: SessionOpener,
): Promise<{ models: T; open: SessionOpener }> {
  if (dir === false) return { models, open };
  const [detection, recognition] = await Promise.all([foldedModel(models.detection, dir), foldedModel(models.recognition, dir)]);
  const originals = new Map([[detection, models.detection], [recognition, models.recognition]].filter(([a, b]) => a !== b) as Array<[string, string]>);
  // An opener that knows models by their files (the registry's) names and swaps a copy as its original.
  for (const [copy, original] of originals) noteDerivedFile(copy, original);
  const guarded: SessionOpener = async (path, label) => {
    const original = originals.get(path);
    if (!original) return open(path, label);
    try {
      return await open(path, label ?? basename(original));
    } catch (err) {
      log.warn(`ocr: the folded copy of ${original} did not open (${(err as Error).message}); running the original file`);
      return open(original, label);
    }
  };
  return { models: { ...models, detection, recognition }, open: guarded };
}
