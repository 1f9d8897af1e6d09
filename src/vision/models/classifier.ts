// Decoder for bring-your-own image classifiers: one row of K logits or
// probabilities → labels with softmax probabilities.
import type { Frame } from '../../types.js';
import type { ModelSession } from '../../inference/session.js';
import { pickOutput, runImageModel, type ImageInputSpec } from './preprocess.js';

export interface ClassifierSpec extends ImageInputSpec {
  labels: string[];
  output?: string;
  /** Apply softmax: always, never, or when the row is not already a distribution (default 'auto'). */
  softmax?: 'auto' | boolean;
  /** How many top classes to report (default 3). */
  topK?: number;
}

export interface ClassPrediction {
  label: string;
  probability: number;
  index: number;
}

export function softmax(row: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) max = Math.max(max, row[i]!);
  const out = new Float64Array(row.length);
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += out[i] = Math.exp(row[i]! - max);
  for (let i = 0; i < row.length; i++) out[i]! /= sum;
  return out;
}

function isDistribution(row: ArrayLike<number>): boolean {
  let sum = 0;
  for (let i = 0; i < row.length; i++) {
    if (row[i]! < 0 || row[i]! > 1) return false;
    sum += row[i]!;
  }
  return Math.abs(sum - 1) < 1e-3;
}

/** Decodes one classifier output row. */
export function decodeClassifier(row: ArrayLike<number>, spec: Pick<ClassifierSpec, 'labels' | 'softmax' | 'topK'>): ClassPrediction[] {
  if (row.length !== spec.labels.length) {
    throw new Error(`classifier outputs ${row.length} classes but the manifest lists ${spec.labels.length} labels; the labels must match the model`);
  }
  const mode = spec.softmax ?? 'auto';
  const probs = mode === true || (mode === 'auto' && !isDistribution(row)) ? softmax(row) : Float64Array.from(row as ArrayLike<number>);
  return Array.from(probs, (p, index) => ({ label: spec.labels[index]!, probability: p, index }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, spec.topK ?? 3);
}

export class ClassifierModel {
  readonly kind = 'classifier';
  constructor(private readonly session: ModelSession, readonly spec: ClassifierSpec) {}

  async classify(frame: Frame): Promise<ClassPrediction[]> {
    const out = pickOutput(await runImageModel(this.session, frame, this.spec), this.spec.output, 'classifier');
    const k = out.dims[out.dims.length - 1]!;
    return decodeClassifier(out.data.subarray(0, k), this.spec);
  }
}
