// Self-tests: a deterministic input and a compact record of the expected
// output (dims, mean, and evenly spaced samples), compared with tolerances.
// Inputs are generated from a seed so nothing large is stored.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { EngineSession } from './engine.js';
import type { Manifest, Precision, SelfTestSpec } from './manifest.js';
import { elementCount, type Feeds, type Outputs, type Tensor, toNumbers } from './tensor.js';

export interface ExpectedOutput {
  dims: number[];
  mean: number;
  /** Indices into the flat output and the values found there. */
  indices: number[];
  values: number[];
}

export interface ExpectedFile {
  model: string;
  recordedWith: string;
  outputs: Record<string, ExpectedOutput>;
}

export interface SelfTestResult {
  ok: boolean;
  ms: number;
  /** What differed, when not ok. */
  problems: string[];
}

/** Small, fast deterministic PRNG (mulberry32) → [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Builds the self-test feeds described by a manifest. */
export function selfTestFeeds(spec: SelfTestSpec): Feeds {
  const feeds: Feeds = {};
  for (const [name, s] of Object.entries(spec.inputs)) {
    const n = elementCount(s.dims);
    let values: number[];
    if (s.values) {
      if (s.values.length !== n) throw new Error(`self-test input ${name}: ${s.values.length} values for dims [${s.dims}]`);
      values = s.values;
    } else if (s.random) {
      const rnd = seededRandom(s.random.seed);
      const { min, max } = s.random;
      values = Array.from({ length: n }, () => min + (max - min) * rnd());
    } else if (s.strokes) {
      const { box: [y0, y1, x0, x1], xPeriod, xOn, yPeriod, yOn, ink, paper } = s.strokes;
      const h = s.dims.at(-2) ?? 1, w = s.dims.at(-1) ?? 1;
      values = Array.from({ length: n }, (_, i) => {
        const x = i % w, y = Math.floor(i / w) % h;
        const inside = y >= y0 && y < y1 && x >= x0 && x < x1;
        return inside && (x % xPeriod < xOn || y % yPeriod < yOn) ? ink : paper;
      });
    } else {
      values = new Array<number>(n).fill(s.fill ?? 0);
    }
    const dims = s.dims;
    switch (s.type) {
      case 'float32': feeds[name] = { type: 'float32', dims, data: Float32Array.from(values) }; break;
      case 'int64': feeds[name] = { type: 'int64', dims, data: BigInt64Array.from(values, (v) => BigInt(Math.trunc(v))) }; break;
      case 'int32': feeds[name] = { type: 'int32', dims, data: Int32Array.from(values) }; break;
      case 'uint8': feeds[name] = { type: 'uint8', dims, data: Uint8Array.from(values) }; break;
      case 'bool': feeds[name] = { type: 'bool', dims, data: Uint8Array.from(values, (v) => (v ? 1 : 0)) }; break;
    }
  }
  return feeds;
}

const SAMPLES = 48;

/** Summarises outputs into what an expected-output file holds. */
export function summarise(outputs: Outputs): Record<string, ExpectedOutput> {
  const out: Record<string, ExpectedOutput> = {};
  for (const [name, t] of Object.entries(outputs)) {
    const v = toNumbers(t);
    const step = Math.max(1, Math.floor(v.length / SAMPLES));
    const indices: number[] = [];
    for (let i = 0; i < v.length && indices.length < SAMPLES; i += step) indices.push(i);
    out[name] = {
      dims: [...t.dims],
      mean: v.reduce((a, b) => a + b, 0) / Math.max(1, v.length),
      indices,
      values: indices.map((i) => v[i]!),
    };
  }
  return out;
}

/** Compares outputs with an expected record; returns the differences found. */
export function compareOutputs(outputs: Outputs, expected: Record<string, ExpectedOutput>, atol: number, rtol: number): string[] {
  const problems: string[] = [];
  const near = (a: number, e: number) => Math.abs(a - e) <= atol + rtol * Math.abs(e);
  for (const [name, exp] of Object.entries(expected)) {
    const t: Tensor | undefined = outputs[name];
    if (!t) { problems.push(`output ${name} is missing`); continue; }
    if (t.dims.join(',') !== exp.dims.join(',')) {
      problems.push(`output ${name} has dims [${t.dims.join(', ')}], expected [${exp.dims.join(', ')}]`);
      continue;
    }
    const v = toNumbers(t);
    const mean = v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
    if (!near(mean, exp.mean)) problems.push(`output ${name}: mean ${mean} differs from expected ${exp.mean}`);
    let bad = 0, first = '';
    exp.indices.forEach((idx, k) => {
      if (!near(v[idx]!, exp.values[k]!)) {
        if (!bad) first = `[${idx}] = ${v[idx]} (expected ${exp.values[k]})`;
        bad++;
      }
    });
    if (bad) problems.push(`output ${name}: ${bad} of ${exp.indices.length} sampled values differ, first ${first}`);
  }
  return problems;
}

export function expectedFilePath(m: Manifest, precision?: Precision): string | undefined {
  if (!m.selfTest) return undefined;
  const own = precision && precision !== 'fp32' ? m.selfTest.expectedByPrecision?.[precision] : undefined;
  return resolve(dirname(m.manifestFile), own ?? m.selfTest.expected);
}

export function readExpected(m: Manifest, precision?: Precision): ExpectedFile {
  const file = expectedFilePath(m, precision)!;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ExpectedFile;
  } catch (err) {
    throw new Error(`self-test data ${file} of model ${m.ref} cannot be read: ${(err as Error).message}`);
  }
}

/** Runs a manifest's self-test on a loaded session (a model without one passes). */
export async function runSelfTest(m: Manifest, session: EngineSession): Promise<SelfTestResult> {
  const t0 = performance.now();
  if (!m.selfTest) return { ok: true, ms: 0, problems: [] };
  try {
    const expected = readExpected(m, session.chosen.precision);
    const out = await session.run(selfTestFeeds(m.selfTest), Object.keys(expected.outputs));
    const problems = compareOutputs(out, expected.outputs, m.selfTest.atol, m.selfTest.rtol);
    return { ok: problems.length === 0, ms: performance.now() - t0, problems };
  } catch (err) {
    return { ok: false, ms: performance.now() - t0, problems: [(err as Error).message] };
  }
}
