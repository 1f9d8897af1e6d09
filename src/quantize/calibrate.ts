// Activation calibration: runs the float model on real inputs with the
// tensors to quantize added as graph outputs, and turns what they held into
// ranges — MinMax (the extremes seen) or percentile (the p-th and (100-p)-th
// percentiles of a sample of every tensor's values, which ignores rare outliers).
import { OrtNodeBackend } from '../inference/backend-ort-node.js';
import type { Feeds, Tensor } from '../inference/tensor.js';
import { type ModelProto, readModel, valueInfo, writeModel, DT } from '../inference/onnx-io.js';
import type { Range } from './qdq-int8.js';

export type CalibrationMethod = 'minmax' | 'percentile';

export interface CalibrationOptions {
  method: CalibrationMethod;
  /** Upper percentile kept for `percentile` (default 99.99). */
  percentile?: number;
  /** Values kept per tensor for percentiles (default 65536). */
  sampleSize?: number;
  threads?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface CalibrationResult {
  ranges: Map<string, Range>;
  method: CalibrationMethod;
  percentile?: number;
  inputs: number;
}

class TensorStats {
  min = Infinity;
  max = -Infinity;
  sample: number[] = [];
  seen = 0;

  constructor(private readonly cap: number) {}

  add(data: ArrayLike<number>): void {
    let lo = this.min, hi = this.max;
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    this.min = lo; this.max = hi;
    // A strided sample of each run, so every input counts about the same.
    const want = Math.min(data.length, Math.ceil(this.cap / 8));
    const stride = data.length / want;
    for (let k = 0; k < want; k++) {
      const v = data[Math.floor(k * stride)]!;
      if (this.sample.length < this.cap) this.sample.push(v);
      else {
        const j = Math.floor(((this.seen * 2654435761) >>> 0) % (this.seen + 1));
        if (j < this.cap) this.sample[j] = v;
      }
      this.seen++;
    }
  }

  range(method: CalibrationMethod, p: number): Range {
    if (method === 'minmax' || this.sample.length < 100) return { min: this.min, max: this.max };
    const sorted = Float64Array.from(this.sample).sort();
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round((q / 100) * (sorted.length - 1))))]!;
    return { min: Math.max(this.min, at(100 - p)), max: Math.min(this.max, at(p)) };
  }
}

/**
 * Calibrates `tensors` of `model` over `feeds` (each a complete set of model
 * inputs). The model is not changed.
 */
export async function calibrate(model: ModelProto, tensors: string[], feeds: Feeds[], opts: CalibrationOptions): Promise<CalibrationResult> {
  if (feeds.length === 0) throw new Error('calibration needs at least one input');
  const inputNames = new Set(model.graph.input.map((i) => i.name));
  const outputNames = new Set(model.graph.output.map((o) => o.name));
  // A copy with every tensor to measure as an extra output.
  const augmented = readModel(writeModel(model));
  for (const t of tensors) if (!inputNames.has(t) && !outputNames.has(t)) augmented.graph.output.push(valueInfo(t, DT.FLOAT));
  const backend = new OrtNodeBackend();
  const session = await backend.load({ bytes: writeModel(augmented), name: 'calibration copy' }, { ep: 'cpu', threads: opts.threads ?? 0 });
  const stats = new Map(tensors.map((t) => [t, new TensorStats(opts.sampleSize ?? 65536)]));
  try {
    for (const [k, f] of feeds.entries()) {
      const wanted = tensors.filter((t) => !inputNames.has(t));
      const out = await session.run(f, wanted);
      for (const t of tensors) {
        const value: Tensor | undefined = inputNames.has(t) ? f[t] : out[t];
        if (value && value.type === 'float32') stats.get(t)!.add(value.data as Float32Array);
      }
      opts.onProgress?.(k + 1, feeds.length);
    }
  } finally {
    await session.release();
  }
  const p = opts.percentile ?? 99.99;
  const ranges = new Map<string, Range>();
  for (const [t, s] of stats) if (Number.isFinite(s.min)) ranges.set(t, s.range(opts.method, p));
  return { ranges, method: opts.method, ...(opts.method === 'percentile' ? { percentile: p } : {}), inputs: feeds.length };
}
