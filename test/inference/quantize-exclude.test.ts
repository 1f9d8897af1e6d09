// --exclude-sensitive: the nodes INT8 rounding hurts most (a MatMul of two
// activations, the last linear op before an output) are found and stay float,
// while the rest of the graph is quantized and still runs close to fp32.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OrtNodeBackend } from '../../src/inference/backend-ort-node.js';
import { OnnxGraph } from '../../src/inference/onnx-builder.js';
import { seededRandom } from '../../src/inference/selftest.js';
import type { Feeds } from '../../src/inference/tensor.js';
import { calibrate } from '../../src/quantize/calibrate.js';
import { readModel, writeModel } from '../../src/quantize/onnx-io.js';
import { constantsToInitializers, nodeKey, quantizeStatic, sensitiveNodes, tensorsToCalibrate } from '../../src/quantize/qdq-int8.js';

/** x[1,6,16] → MatMul W (projection) → q; q·qᵀ (attention scores) → Softmax → ·q → MatMul W2 (classifier) → Softmax → y. */
function attentionNet(): Uint8Array {
  const r = seededRandom(4);
  const rand = (n: number, s: number) => Array.from({ length: n }, () => (r() - 0.5) * 2 * s);
  const g = new OnnxGraph('attention');
  const x = g.input('x', 'float32', [1, 6, 16]);
  const q = g.node('MatMul', [x, g.initializer('w', rand(16 * 16, 0.3), [16, 16])], {}, 'proj');
  const scores = g.node('MatMul', [q, g.node('Transpose', [q], { perm: [0, 2, 1] })], {}, 'scores');
  const mixed = g.node('MatMul', [g.node('Softmax', [scores], { axis: 2 }), q], {}, 'mixed');
  const logits = g.node('MatMul', [mixed, g.initializer('w2', rand(16 * 10, 0.3), [16, 10])], {}, 'classifier');
  g.output(g.node('Softmax', [logits], { axis: 2 }, 'y'), 'float32', [1, 6, 10]);
  return g.toModel({ opset: 13 });
}

function feeds(n: number, seed: number): Feeds[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => ({ x: { type: 'float32' as const, dims: [1, 6, 16], data: Float32Array.from({ length: 96 }, () => (r() - 0.5) * 2) } }));
}

test('sensitive nodes are the activation×activation MatMuls and the classifier before the output; excluded, they stay float', async () => {
  const model = readModel(attentionNet());
  constantsToInitializers(model);
  const sensitive = sensitiveNodes(model);
  const byOutput = new Map(model.graph.node.map((n) => [n.output[0]!, nodeKey(n)]));
  assert.deepEqual([...sensitive].sort(), ['classifier', 'mixed', 'scores'].map((o) => byOutput.get(o)!).sort());
  assert.ok(!sensitive.has(byOutput.get('proj')!), 'the weight projection is not sensitive');

  const cal = await calibrate(model, tensorsToCalibrate(model), feeds(12, 1), { method: 'minmax' });
  const report = quantizeStatic(model, cal.ranges, { perChannel: true, exclude: sensitive });
  assert.equal(report.skippedNodes, 3);
  assert.ok(report.quantizedNodes >= 1, 'the projection is quantized');
  const dequantized = (name: string) => name.endsWith('_dq') || name.endsWith('_dequantized');
  // An excluded node computes in float: its output gets no QuantizeLinear, and a weight it has stays a float initializer.
  const quantizedTensors = new Set(model.graph.node.filter((n) => n.op_type === 'QuantizeLinear').map((n) => n.input[0]!));
  for (const n of model.graph.node) {
    if (sensitive.has(nodeKey(n))) assert.ok(!quantizedTensors.has(n.output[0]!), `${nodeKey(n)}'s output ${n.output[0]} is not quantized`);
  }
  const classifier = model.graph.node.find((n) => n.output[0] === 'classifier')!;
  assert.equal(classifier.input[1], 'w2', 'the classifier keeps its float weight');
  assert.ok(quantizedTensors.has('proj'), 'the projection\'s output is quantized');
  const proj = model.graph.node.find((n) => n.output[0] === 'proj')!;
  assert.ok(proj.input.every(dequantized), `the projection reads dequantized int8: ${proj.input.join(', ')}`);

  // Both graphs run in ONNX Runtime and agree closely.
  const backend = new OrtNodeBackend();
  const fp32 = await backend.load({ bytes: attentionNet(), name: 'fp32' }, { ep: 'cpu' });
  const int8 = await backend.load({ bytes: writeModel(model), name: 'int8' }, { ep: 'cpu' });
  for (const f of feeds(3, 9)) {
    const a = (await fp32.run(f)).y!.data as Float32Array;
    const b = (await int8.run(f)).y!.data as Float32Array;
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) < 0.05, `y[${i}] ${b[i]} vs ${v}`));
  }
  await fp32.release();
  await int8.release();
});
