// Model manifests: one YAML file per model version. They describe where the
// weights are (per precision, with sha256), how to prepare inputs and read
// outputs, the labels, and a self-test that proves a loaded copy works.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { PACKAGE_ROOT } from '../system/native.js';
import { BadInputError } from '../system/errors.js';

const precisionSchema = z.enum(['fp32', 'fp16', 'int8']);

/** A file referenced by a manifest: relative to the manifest's folder, or to an npm package's root. */
export const fileRefSchema = z.strictObject({
  path: z.string().min(1),
  /** npm package holding the file; `path` is then relative to the package root. */
  package: z.string().min(1).optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits'),
  /** ed25519 signature of the file, base64; or a `.sig` file beside the model file is used. */
  signature: z.string().optional(),
  bytes: z.number().int().positive().optional(),
});

const selfTestInputSchema = z.strictObject({
  type: z.enum(['float32', 'int64', 'int32', 'uint8', 'bool']),
  dims: z.array(z.number().int().min(0)),
  /** Explicit values (small inputs). */
  values: z.array(z.number()).optional(),
  /** Seeded uniform values in [min, max). */
  random: z.strictObject({ seed: z.number().int(), min: z.number(), max: z.number() }).optional(),
  /** Every element the same value. */
  fill: z.number().optional(),
  /**
   * A text-like grid of strokes on the last two dims (H, W), the same in every
   * plane: inside box [y0, y1, x0, x1] a pixel is `ink` when x % xPeriod < xOn or
   * y % yPeriod < yOn, else `paper` (so detectors see something to find).
   */
  strokes: z.strictObject({
    box: z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int()]),
    xPeriod: z.number().int().positive(), xOn: z.number().int().nonnegative(),
    yPeriod: z.number().int().positive(), yOn: z.number().int().nonnegative(),
    ink: z.number(), paper: z.number(),
  }).optional(),
});

export const selfTestSchema = z.strictObject({
  inputs: z.record(z.string(), selfTestInputSchema),
  /** JSON file (relative to the manifest) with the expected outputs; see selftest.ts. */
  expected: z.string().min(1),
  atol: z.number().nonnegative().default(1e-4),
  rtol: z.number().nonnegative().default(1e-3),
  /** Expected outputs recorded with another precision's file (quantized variants), by precision. */
  expectedByPrecision: z.strictObject({ fp16: z.string().min(1).optional(), int8: z.string().min(1).optional() }).optional(),
});

/** How a quantized variant was made and how it compared with fp32 (written by `models quantize`). */
export const variantSchema = z.strictObject({
  /** The fp32 version it was made from ("id@version"). */
  of: z.string(),
  precision: z.enum(['fp16', 'int8']),
  /** qdq-static | weight-only | fp16 */
  method: z.string(),
  perChannel: z.boolean().optional(),
  /** INT8 nodes kept in float as accuracy-sensitive (--exclude-sensitive). */
  floatNodes: z.number().int().nonnegative().optional(),
  /** Which nodes those are (by name, else first output): the exclude list the variant was made with. */
  floatNodeNames: z.array(z.string()).optional(),
  /** INT8 graph rewrites before Q/DQ placement (src/inference/conv-affine-fold.ts, qdq-clamp.ts); absent: none. */
  folds: z.strictObject({
    convAffine: z.number().int().nonnegative(), nodesRemoved: z.number().int().nonnegative(), clampsAbsorbed: z.number().int().nonnegative(),
    /** Scalar Mul/Div/Add/Sub links merged away where no Conv could take them (scalar-chain-merge.ts). */
    chainLinksMerged: z.number().int().nonnegative().optional(),
  }).optional(),
  calibration: z.strictObject({
    method: z.enum(['minmax', 'percentile']), percentile: z.number().optional(), inputs: z.number().int(), source: z.string(),
  }).optional(),
  gate: z.strictObject({
    passed: z.boolean(),
    kind: z.enum(['ocr-text', 'outputs', 'recurrent-score']),
    heldBack: z.number().int(),
    figures: z.record(z.string(), z.number()),
    reasons: z.array(z.string()),
  }),
  /**
   * Models that run as one module (OCR: detector + recogniser): the gate of this variant
   * together with its partner's variant at the same precision, on the same held-back panels
   * (src/quantize/pair-gate.ts). A variant whose own gate failed but whose pair gate passed
   * may run only while that partner variant is active beside it.
   */
  pair: z.strictObject({
    /** The partner variant ("id@version"). */
    partner: z.string(),
    passed: z.boolean(),
    kind: z.literal('ocr-text'),
    heldBack: z.number().int(),
    figures: z.record(z.string(), z.number()),
    reasons: z.array(z.string()),
  }).optional(),
  latency: z.strictObject({ fp32Ms: z.number(), variantMs: z.number(), runs: z.number().int(), backend: z.string() }).optional(),
  bytes: z.strictObject({ fp32: z.number().int(), variant: z.number().int() }).optional(),
  createdAt: z.string(),
});

export const TASKS = ['ocr-det', 'ocr-rec', 'ocr-cls', 'vad', 'anomaly', 'classifier', 'detector', 'embedding', 'audio-events', 'other'] as const;

export const manifestSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'expected lowercase letters, digits, . _ - (max 64)'),
  version: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.+-]{0,31}$/, 'expected a version such as 1.0.0'),
  task: z.enum(TASKS),
  description: z.string().optional(),
  source: z.strictObject({ url: z.string().optional(), license: z.string().optional() }).optional(),
  files: z.strictObject({ fp32: fileRefSchema.optional(), fp16: fileRefSchema.optional(), int8: fileRefSchema.optional() })
    .refine((f) => Object.values(f).some(Boolean), 'at least one of fp32, fp16, int8 is needed'),
  /** Input tensor layout and normalisation (read by the analyzers). */
  preprocessing: z.record(z.string(), z.unknown()).default({}),
  /** How outputs are decoded (db, ctc, argmax, probability...). */
  decoding: z.record(z.string(), z.unknown()).default({}),
  /** Labels inline, or a text file (one label a line). */
  labels: z.union([z.array(z.string()), z.strictObject({ path: z.string(), package: z.string().optional() })]).optional(),
  selfTest: selfTestSchema.optional(),
  /**
   * Inputs the daemon always feeds one value (Silero VAD's sample rate): a top-level If the model chooses by comparing
   * one of them with a constant is replaced by the branch taken, when the model loads (fixed-inputs.ts).
   */
  fixedInputs: z.record(z.string(), z.number()).optional(),
  variant: variantSchema.optional(),
});

export type ManifestData = z.infer<typeof manifestSchema>;
export type Precision = z.infer<typeof precisionSchema>;
export type SelfTestSpec = z.infer<typeof selfTestSchema>;
export type VariantInfo = z.infer<typeof variantSchema>;

/** A parsed manifest plus where it came from. */
export interface Manifest extends ManifestData {
  /** The YAML file. */
  manifestFile: string;
  /** "id@version". */
  ref: string;
}

export class ManifestError extends BadInputError {}

export function parseManifest(file: string): Manifest {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ManifestError(`model manifest ${file} cannot be read: ${(err as Error).message}`);
  }
  const r = manifestSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new ManifestError(`model manifest ${file}: ${issue.path.join('.') || '(top)'}: ${issue.message}`);
  }
  return { ...r.data, manifestFile: file, ref: `${r.data.id}@${r.data.version}` };
}

const requireHere = createRequire(import.meta.url);

/** Root folder of an installed npm package (its package.json may not be exported, so walk node_modules). */
export function packageRoot(name: string): string {
  const candidates = [join(PACKAGE_ROOT, 'node_modules', name)];
  for (const p of requireHere.resolve.paths(name) ?? []) candidates.push(join(p, name));
  for (const c of candidates) if (existsSync(join(c, 'package.json'))) return c;
  throw new ManifestError(`npm package ${name} is not installed (needed by a model manifest); reinstall faultsense`);
}

/** Absolute path of a manifest file reference. */
export function resolveFile(m: Pick<Manifest, 'manifestFile'>, ref: { path: string; package?: string }): string {
  if (ref.package) return join(packageRoot(ref.package), ref.path);
  return isAbsolute(ref.path) ? ref.path : resolve(dirname(m.manifestFile), ref.path);
}

/** Labels of a model (inline or read from its label file). */
export function loadLabels(m: Manifest): string[] | undefined {
  if (!m.labels) return undefined;
  if (Array.isArray(m.labels)) return m.labels;
  const lines = readFileSync(resolveFile(m, m.labels), 'utf8').split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The folder of bundled manifests shipped with faultsense. */
export const BUNDLED_MODELS_DIR = join(PACKAGE_ROOT, 'models');

/** Finds manifest files (*.yaml / *.yml, two levels deep) in the given folders. */
export function findManifestFiles(dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return;
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (depth < 2) walk(p, depth + 1);
      } else if (/\.ya?ml$/.test(name)) {
        out.push(p);
      }
    }
  };
  for (const d of dirs) walk(d, 0);
  return out;
}

/** Orders versions numerically where they are numbers ("1.10.0" after "1.9.2"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/), pb = b.split(/[.+-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '', y = pb[i] ?? '';
    const nx = Number(x), ny = Number(y);
    const c = x !== '' && y !== '' && !Number.isNaN(nx) && !Number.isNaN(ny) ? nx - ny : x.localeCompare(y);
    if (c !== 0) return c;
  }
  return 0;
}
