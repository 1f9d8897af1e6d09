// Model manifests for fitted baselines: a YAML file beside the ONNX graph that
// names its inputs and outputs and carries a self-test (an input and the
// outputs the fit computed for it), so any runner can check that the graph it
// loaded still gives the fitted answers.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { BaselineMismatchError } from './types.js';

export interface TensorSpec {
  name: string;
  type: 'float32';
  shape: Array<number | string>;
}

export interface SelfTest {
  inputs: Record<string, { shape: number[]; base64: string }>;
  expect: Record<string, { values: number[] }>;
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
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
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

export function writeManifest(dir: string, fileName: string, manifest: ModelManifest): void {
  writeFileSync(join(dir, fileName), YAML.stringify(manifest, { lineWidth: 0 }));
}

export function readManifest(path: string): ModelManifest {
  let doc: unknown;
  try {
    doc = YAML.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new BaselineMismatchError(`cannot read model manifest ${path}: ${(err as Error).message}`);
  }
  const m = doc as Partial<ModelManifest> | null;
  if (!m || typeof m !== 'object' || m.kind !== 'baseline' || typeof m.file !== 'string' || !m.selfTest) {
    throw new BaselineMismatchError(`${path} is not a faultsense baseline manifest (expected kind: baseline, file, selfTest)`);
  }
  return m as ModelManifest;
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
