// Model manifests for fitted baselines: a YAML file beside the ONNX graph in
// the model registry's format, naming inputs and outputs and carrying a
// self-test (an input and the outputs the fit computed for it), so any runner
// can check that the graph it loaded still gives the fitted answers.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import YAML from 'yaml';
import { parseManifest, type Manifest } from '../inference/manifest.js';
import { BaselineMismatchError } from './types.js';

export interface TensorSpec {
  name: string;
  type: 'float32';
  shape: Array<number | string>;
}

export interface SelfTest {
  inputs: Record<string, { shape: number[]; base64: string }>;
  /** Expected outputs, flattened; `dims` when the output is not simply [values.length]. */
  expect: Record<string, { values: number[]; dims?: number[] }>;
  /** Allowed |got - want| / max(1, |want|). */
  tolerance: number;
}

export interface ModelManifest {
  name: string;
  kind: 'baseline';
  modality: 'audio' | 'vision';
  version: string;
  file: string;
  sha256: string;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** Parameters the caller must use to build the input (must match at run time). */
  params: Record<string, unknown>;
  selfTest: SelfTest;
  /** How the graph's output becomes the published score (recorded for people and tools; the analyzer reads baseline.json). */
  calibration?: Record<string, unknown>;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Checks that the graph beside a manifest is the one the fit wrote: its sha256
 * against the manifest's. A mismatch (a damaged or replaced file) is a
 * BaselineMismatchError that says to fit again, before any runtime parses it.
 */
export function checkGraphDigest(dir: string, manifest: Pick<ModelManifest, 'file' | 'sha256'>): void {
  const path = join(dir, manifest.file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new BaselineMismatchError(`baseline graph ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); fit the baseline again`);
  }
  const got = sha256(bytes);
  if (got !== manifest.sha256) {
    throw new BaselineMismatchError(`baseline graph ${path} is not the file the fit wrote (sha256 ${got.slice(0, 12)}…, manifest says ${manifest.sha256.slice(0, 12)}…): it is damaged or was replaced; fit the baseline again`);
  }
}

export function float32ToBase64(data: Float32Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
}

export function base64ToFloat32(b64: string): Float32Array {
  const buf = Buffer.from(b64, 'base64');
  const out = new Float32Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

/** A registry version string (no ':' etc.) from an ISO time or anything else. */
export function registryVersion(version: string): string {
  if (/^[0-9A-Za-z][0-9A-Za-z.+-]{0,31}$/.test(version)) return version;
  const digits = version.replace(/[^0-9]/g, '');
  if (digits.length >= 14) return `${digits.slice(0, 8)}.${digits.slice(8, 14)}`;
  return `0.0.0+${digits || '0'}`.slice(0, 32);
}

function outputDims(m: ModelManifest, name: string, count: number, given?: number[]): number[] {
  if (given) return given;
  const spec = m.outputs.find((o) => o.name === name);
  if (spec && spec.shape.every((d) => typeof d === 'number') && (spec.shape as number[]).reduce((a, b) => a * b, 1) === count) {
    return spec.shape as number[];
  }
  return [count];
}

/**
 * Writes the manifest in the model registry's format (src/inference/manifest.ts):
 * id/version/task/files/preprocessing/decoding and a self-test with explicit
 * input values and an expected-output JSON file beside it, so the registry and
 * `faultsense models verify` can load, check and run a fitted baseline like any
 * bundled model. The faultsense-specific fields round-trip under preprocessing.
 */
export function writeManifest(dir: string, fileName: string, manifest: ModelManifest): void {
  const version = registryVersion(manifest.version);
  const expectedFile = fileName.replace(/\.ya?ml$/, '') + '.selftest.json';
  const tol = manifest.selfTest.tolerance;
  const expected = {
    model: `${manifest.name}@${version}`,
    recordedWith: 'faultsense baseline fit (TypeScript, float64)',
    outputs: Object.fromEntries(Object.entries(manifest.selfTest.expect).map(([name, e]) => {
      const values = e.values;
      return [name, {
        dims: outputDims(manifest, name, values.length, e.dims),
        mean: values.reduce((a, b) => a + b, 0) / Math.max(1, values.length),
        indices: values.map((_, i) => i),
        values,
      }];
    })),
  };
  const doc = {
    id: manifest.name,
    version,
    task: 'anomaly',
    description: `faultsense ${manifest.modality} baseline fitted ${manifest.version}; score 1.0 = 99th percentile of held-out normal data`,
    files: { fp32: { path: manifest.file, sha256: manifest.sha256 } },
    preprocessing: {
      modality: manifest.modality,
      created: manifest.version,
      inputs: manifest.inputs,
      params: manifest.params,
    },
    decoding: { type: 'anomaly-score', outputs: manifest.outputs, calibrated: true, ...(manifest.calibration ? { calibration: manifest.calibration } : {}) },
    selfTest: {
      inputs: Object.fromEntries(Object.entries(manifest.selfTest.inputs).map(([name, t]) => [name, {
        type: 'float32', dims: t.shape, values: Array.from(base64ToFloat32(t.base64)),
      }])),
      expected: expectedFile,
      atol: tol,
      rtol: tol,
    },
  };
  writeFileSync(join(dir, expectedFile), JSON.stringify(expected) + '\n');
  writeFileSync(join(dir, fileName), YAML.stringify(doc, { lineWidth: 0 }));
}

/** Reads a baseline manifest written by writeManifest (validated by the registry's schema). */
export function readManifest(path: string): ModelManifest {
  let m: Manifest;
  try {
    m = parseManifest(path);
  } catch (err) {
    throw new BaselineMismatchError(`baseline model manifest ${path} is not usable: ${(err as Error).message}`);
  }
  const pre = m.preprocessing as { modality?: string; created?: string; inputs?: TensorSpec[]; params?: Record<string, unknown> };
  const dec = m.decoding as { outputs?: TensorSpec[] };
  if (m.task !== 'anomaly' || (pre.modality !== 'audio' && pre.modality !== 'vision') || !m.files.fp32 || !m.selfTest) {
    throw new BaselineMismatchError(`${path} is not a faultsense baseline manifest (expected task anomaly, preprocessing.modality, files.fp32 and a selfTest)`);
  }
  let expected: { outputs: Record<string, { dims: number[]; values: number[] }> };
  const expectedPath = join(dirname(path), m.selfTest.expected);
  try {
    expected = JSON.parse(readFileSync(expectedPath, 'utf8')) as typeof expected;
  } catch (err) {
    throw new BaselineMismatchError(`self-test expectations ${expectedPath} cannot be read: ${(err as Error).message}; fit the baseline again`);
  }
  return {
    name: m.id,
    kind: 'baseline',
    modality: pre.modality,
    version: pre.created ?? m.version,
    file: m.files.fp32.path,
    sha256: m.files.fp32.sha256,
    inputs: pre.inputs ?? [],
    outputs: dec.outputs ?? [],
    params: pre.params ?? {},
    selfTest: {
      inputs: Object.fromEntries(Object.entries(m.selfTest.inputs).map(([name, t]) => [name, {
        shape: t.dims, base64: float32ToBase64(Float32Array.from(t.values ?? [])),
      }])),
      expect: Object.fromEntries(Object.entries(expected.outputs).map(([name, e]) => [name, { values: e.values, dims: e.dims }])),
      tolerance: Math.max(m.selfTest.rtol, m.selfTest.atol),
    },
  };
}

export interface SelfTestResult {
  ok: boolean;
  maxError: number;
  detail: string;
}

/** Compares outputs of a run against the manifest's expectations. */
export function checkSelfTest(test: SelfTest, got: Record<string, { data: Float32Array }>): SelfTestResult {
  let maxError = 0;
  const problems: string[] = [];
  for (const [name, { values }] of Object.entries(test.expect)) {
    const out = got[name];
    if (!out) { problems.push(`output ${name} missing`); continue; }
    if (out.data.length !== values.length) { problems.push(`output ${name} has ${out.data.length} values, expected ${values.length}`); continue; }
    for (let i = 0; i < values.length; i++) {
      const err = Math.abs(out.data[i]! - values[i]!) / Math.max(1, Math.abs(values[i]!));
      maxError = Math.max(maxError, err);
    }
  }
  const ok = problems.length === 0 && maxError <= test.tolerance;
  return { ok, maxError, detail: problems.join('; ') || `max relative error ${maxError.toExponential(2)} (tolerance ${test.tolerance})` };
}
