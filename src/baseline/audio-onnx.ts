// Writes a fitted AudioAnomalyModel as an ONNX graph with exactly the
// arithmetic of src/audio/anomaly-model.ts, so the baseline runs through ONNX
// Runtime (or an NPU) like any other model.
//
// Input  `patches`  float32 [N, D]  stacked log-mel patches of one window (D = context × bands)
// Output `distance` float32 [N]     per-patch distance (≈1 for normal)
// Output `score`    float32 [1]     calibrated window score (1.0 = 99th percentile of held-out normal)
// With the window-statistics head (src/audio/window-stats.ts), also:
// Input  `frames`      float32 [T, B]  the window's log-mel frames (T ≥ 2)
// Output `stats_score` float32 [1]     its raw statistics score / scale
import { OnnxGraph } from '../inference/onnx-builder.js';
import type { AudioAnomalyModel } from '../audio/anomaly-model.js';
import { STATS_PER_BAND, type WindowStatsModel } from '../audio/window-stats.js';

export const AUDIO_ONNX_INPUT = 'patches';
export const AUDIO_ONNX_FRAMES = 'frames';

export function audioAnomalyOnnx(model: AudioAnomalyModel, metadata: Record<string, string> = {}, stats?: WindowStatsModel): Uint8Array {
  const { dim, components, variances } = model;
  const k = components.length;
  const g = new OnnxGraph('faultsense_audio_anomaly');
  const x = g.input(AUDIO_ONNX_INPUT, 'float32', ['N', dim]);

  // Component matrix as columns [D, k], its transpose [k, D], and 1/sqrt(variance) [k].
  const cols = new Float32Array(dim * k);
  const rows = new Float32Array(k * dim);
  for (let j = 0; j < k; j++) {
    const c = components[j]!;
    for (let i = 0; i < dim; i++) {
      cols[i * k + j] = c[i]!;
      rows[j * dim + i] = c[i]!;
    }
  }
  const mean = g.initializer('mean', Float32Array.from(model.mean), [dim]);
  const P = g.initializer('components', cols, [dim, k]);
  const Pt = g.initializer('components_t', rows, [k, dim]);
  const invStd = g.initializer('inv_std', Float32Array.from(variances, (v) => 1 / Math.sqrt(v)), [k]);
  const invRes = g.initializer('inv_residual_var', [1 / model.residualVariance], [1]);
  const invDim = g.initializer('inv_dim', [1 / dim], [1]);
  const power = g.initializer('power', [model.params.power], [1]);
  const invPower = g.initializer('inv_power', [1 / model.params.power], [1]);
  const invScale = g.initializer('inv_scale', [1 / model.scale], [1]);
  const axis1 = g.int64s('axis1', [1]);

  // Loudness cancels: subtract the mean of the whole window first.
  const windowMean = g.node('ReduceMean', [x], { axes: [0, 1], keepdims: 1 });
  const centred = g.node('Sub', [g.node('Sub', [x, windowMean]), mean]);
  const proj = g.node('MatMul', [centred, P]);
  const white = g.node('Mul', [proj, invStd]);
  const whiteSq = g.node('ReduceSum', [g.node('Mul', [white, white]), axis1], { keepdims: 0 });
  const residual = g.node('Sub', [centred, g.node('MatMul', [proj, Pt])]);
  const resSq = g.node('ReduceSum', [g.node('Mul', [residual, residual]), axis1], { keepdims: 0 });
  const dist = g.node('Mul', [g.node('Add', [whiteSq, g.node('Mul', [resSq, invRes])]), invDim], {}, 'distance');
  const pooled = g.node('Pow', [g.node('ReduceMean', [g.node('Pow', [dist, power])], { axes: [0], keepdims: 1 }), invPower]);
  const score = g.node('Mul', [pooled, invScale], {}, 'score');
  g.output(score, 'float32', [1]);
  g.output(dist, 'float32', ['N']);
  if (stats) addWindowStats(g, model.params.mel.melBands, stats);
  return g.toModel({ opset: 17, docString: 'faultsense audio baseline: log-mel patch PCA + residual distance', metadata });
}

/** The window-statistics head: per band mean, spread, mean change and peak, z² against normal, mean of the largest topK. */
function addWindowStats(g: OnnxGraph, bands: number, stats: WindowStatsModel): void {
  const f = g.input(AUDIO_ONNX_FRAMES, 'float32', ['T', bands]);
  const centred = g.node('Sub', [f, g.node('ReduceMean', [f], { axes: [0, 1], keepdims: 1 })]);
  const mean = g.node('ReduceMean', [centred], { axes: [0], keepdims: 0 });
  const dev = g.node('Sub', [centred, mean]);
  const spread = g.node('Sqrt', [g.node('ReduceMean', [g.node('Mul', [dev, dev])], { axes: [0], keepdims: 0 })]);
  const axis0 = g.int64s('stats_axis0', [0]);
  const later = g.node('Slice', [centred, g.int64s('stats_from1', [1]), g.int64s('stats_to_end', [2 ** 31 - 1]), axis0]);
  const earlier = g.node('Slice', [centred, g.int64s('stats_from0', [0]), g.int64s('stats_to_last', [-1]), axis0]);
  const change = g.node('ReduceMean', [g.node('Abs', [g.node('Sub', [later, earlier])])], { axes: [0], keepdims: 0 });
  const peak = g.node('ReduceMax', [centred], { axes: [0], keepdims: 0 });
  const all = g.node('Concat', [mean, spread, change, peak], { axis: 0 });
  const dim = STATS_PER_BAND * bands;
  const off = g.node('Sub', [all, g.initializer('stats_mean', Float32Array.from(stats.mean), [dim])]);
  const z2 = g.node('Mul', [g.node('Mul', [off, off]), g.initializer('stats_inv_var', Float32Array.from(stats.variance, (v) => 1 / v), [dim])]);
  const [top] = g.nodeMulti('TopK', [z2, g.int64s('stats_k', [stats.topK])], 2, { axis: 0, largest: 1, sorted: 0 });
  const raw = g.node('ReduceMean', [top!], { axes: [0], keepdims: 1 });
  const score = g.node('Mul', [raw, g.initializer('stats_inv_scale', [1 / stats.scale], [1])], {}, 'stats_score');
  g.output(score, 'float32', [1]);
}
