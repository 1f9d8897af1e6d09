// Writes a fitted VisionAnomalyModel as an ONNX graph with the arithmetic of
// src/vision/anomaly-model.ts (brightness normalisation, gradient, patch
// statistics, z-distance, 3×3 smoothing, calibration), so the vision baseline
// runs through ONNX Runtime (or an NPU) like any other model.
//
// Input  `image` float32 [1, 1, H, W]        grey working-size image (0..255, area-resized frame)
// Output `map`   float32 [1, 1, rows, cols]  calibrated anomaly map (1.0 = 99th pct of normal)
// Output `score` float32 [1]                 the map's maximum
import { OnnxGraph, attr } from '../inference/onnx-builder.js';
import { featureCount, ILLUMINATION_EPS, SPREAD_SOFTENING, type VisionAnomalyModel } from '../vision/anomaly-model.js';
import { LINE_HALF, LINE_ORIENTATIONS, lineKernels } from '../vision/line-filter.js';

export const VISION_ONNX_INPUT = 'image';

export function visionAnomalyOnnx(model: VisionAnomalyModel, metadata: Record<string, string> = {}): Uint8Array {
  const { width, height, patch } = model.params;
  const { rows, cols } = model;
  const g = new OnnxGraph('faultsense_vision_anomaly');
  const x = g.input(VISION_ONNX_INPUT, 'float32', [1, 1, height, width]);

  const eps = g.initializer('eps', [1e-3], [1]);
  const softening = g.initializer('spread_softening', [SPREAD_SOFTENING], [1]);
  const features = featureCount(model.params);
  const mean = g.initializer('patch_mean', model.mean, [1, features, rows, cols]);
  const invStd = g.initializer('patch_inv_std', model.invStd, [1, features, rows, cols]);
  const invScale = g.initializer('inv_scale', [1 / model.scale], [1]);
  const kx = g.initializer('grad_x', [0, 0, 0, -0.5, 0, 0.5, 0, 0, 0], [1, 1, 3, 3]);
  const ky = g.initializer('grad_y', [0, -0.5, 0, 0, 0, 0, 0, 0.5, 0], [1, 1, 3, 3]);
  const pads = g.int64s('edge_pads', [0, 0, 1, 1, 0, 0, 1, 1]);

  // Illumination: divide by the local mean (slow light changes and soft shadows cancel).
  const ir = model.params.illuminationRadius ?? 0;
  const lit = ir > 0
    ? g.node('Div', [x, g.node('Add', [g.node('AveragePool', [x], {
      kernel_shape: [2 * ir + 1, 2 * ir + 1], strides: [1, 1], pads: [ir, ir, ir, ir], count_include_pad: attr.int(0),
    }), g.initializer('illumination_eps', [ILLUMINATION_EPS], [1])])])
    : x;
  // Brightness normalisation over the whole frame.
  const m = g.node('ReduceMean', [lit], { axes: [2, 3], keepdims: 1 });
  const d = g.node('Sub', [lit, m]);
  const std = g.node('Add', [g.node('Sqrt', [g.node('ReduceMean', [g.node('Mul', [d, d])], { axes: [2, 3], keepdims: 1 })]), eps]);
  const z = g.node('AveragePool', [g.node('Div', [d, std])], {
    kernel_shape: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], count_include_pad: attr.int(0),
  });

  // Central-difference gradient with replicated edges.
  const zp = g.node('Pad', [z, pads], { mode: 'edge' });
  const gx = g.node('Conv', [zp, kx]);
  const gy = g.node('Conv', [zp, ky]);
  const grad = g.node('Sqrt', [g.node('Add', [g.node('Mul', [gx, gx]), g.node('Mul', [gy, gy])])]);

  // Patch statistics.
  const pool = { kernel_shape: [patch, patch], strides: [patch, patch] };
  const meanP = g.node('AveragePool', [z], pool);
  const gradP = g.node('AveragePool', [grad], pool);
  const sqP = g.node('AveragePool', [g.node('Mul', [z, z])], pool);
  const stdP = g.node('Sqrt', [g.node('Add', [g.node('Relu', [g.node('Sub', [sqP, g.node('Mul', [meanP, meanP])])]), softening])]);
  const parts = [meanP, gradP, stdP];
  if (model.params.lineFeature) {
    // Line response: oriented zero-sum kernels, strongest |response| per pixel, maximum over the patch.
    const size = 2 * LINE_HALF + 1;
    const zl = g.node('Pad', [z, g.int64s('line_pads', [0, 0, LINE_HALF, LINE_HALF, 0, 0, LINE_HALF, LINE_HALF])], { mode: 'edge' });
    const resp = g.node('Conv', [zl, g.initializer('line_kernels', lineKernels(), [LINE_ORIENTATIONS, 1, size, size])]);
    const best = g.node('ReduceMax', [g.node('Abs', [resp])], { axes: [1], keepdims: 1 });
    parts.push(g.node('MaxPool', [best], pool));
  }
  const feats = g.node('Concat', parts, { axis: 1 });

  // Distance to the normal statistics, smoothed, calibrated.
  const dz = g.node('Mul', [g.node('Sub', [feats, mean]), invStd]);
  const dist = g.node('Sqrt', [g.node('ReduceMean', [g.node('Mul', [dz, dz])], { axes: [1], keepdims: 1 })]);
  const smooth = g.node('AveragePool', [dist], {
    kernel_shape: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], count_include_pad: attr.int(0),
  });
  const pw = model.params.peakWeight ?? 0;
  const mixed = pw > 0
    ? g.node('Add', [g.node('Mul', [smooth, g.initializer('smooth_weight', [1 - pw], [1])]), g.node('Mul', [dist, g.initializer('peak_weight', [pw], [1])])])
    : smooth;
  const map = g.node('Mul', [mixed, invScale], {}, 'map');
  const score = g.node('ReduceMax', [map], { axes: [1, 2, 3], keepdims: 0 }, 'score');
  g.output(score, 'float32', [1]);
  g.output(map, 'float32', [1, 1, rows, cols]);
  return g.toModel({ opset: 17, docString: 'faultsense vision baseline: per-patch statistics of normalised grey and gradient', metadata });
}
