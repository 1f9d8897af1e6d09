// --exclude-sensitive: the nodes INT8 rounding hurts most (a MatMul of two
// activations, the last linear op before an output, the stem before the third
// Conv) are found and stay float, named in the variant's manifest,
// while the rest of the graph is quantized and still runs close to fp32.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OrtNodeBackend } from '../../src/inference/backend-ort-node.js';
import { OnnxGraph } from '../../src/inference/onnx-builder.js';
import { seededRandom } from '../../src/inference/selftest.js';
import type { Feeds } from '../../src/inference/tensor.js';
import { calibrate } from '../../src/quantize/calibrate.js';
import { readModel, writeModel } from '../../src/inference/onnx-io.js';
import { constantsToInitializers, nodeKey, quantizeStatic, sensitiveNodes, stemNodes, tensorsToCalibrate } from '../../src/quantize/qdq-int8.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { InferenceEngine } from '../../src/inference/engine.js';
import { ModelRegistry } from '../../src/inference/registry.js';
import { quantizeModel } from '../../src/quantize/variant.js';
import { tempDir } from '../helpers/tmp.js';
import { recordingLogger } from './helpers.js';
import { tinyConvNet, tinyFeeds, writeTinyModel } from './quantize-helpers.js';

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

/**
 * A stem as PP-LCNetV3 has one (input Conv, depthwise Conv, hardswish between) and a body of two more
 * Convs feeding a Sigmoid output: x → Conv s1 → Conv s2 (depthwise) → x·clip(x+3) → Conv b1 → Relu → Conv b2 → Sigmoid y.
 */
function stemNet(): Uint8Array {
  const r = seededRandom(21);
  const rand = (n: number, s: number) => Array.from({ length: n }, () => (r() - 0.5) * 2 * s);
  const g = new OnnxGraph('stem');
  const x = g.input('x', 'float32', [1, 3, 12, 12]);
  const s1 = g.node('Conv', [x, g.initializer('ws1', rand(8 * 27, 0.4), [8, 3, 3, 3]), g.initializer('bs1', rand(8, 0.1), [8])], { pads: [1, 1, 1, 1] }, 'stem1');
  const s2 = g.node('Conv', [s1, g.initializer('ws2', rand(8 * 9, 0.5), [8, 1, 3, 3])], { pads: [1, 1, 1, 1], group: 8 }, 'stem2');
  const clip = g.node('Clip', [g.node('Add', [s2, g.initializer('three', [3], [])], {}, 'shift'), g.initializer('lo', [0], []), g.initializer('hi', [6], [])]);
  const hs = g.node('Mul', [s2, clip], {}, 'hswish');
  const b1 = g.node('Conv', [hs, g.initializer('wb1', rand(8 * 8, 0.3), [8, 8, 1, 1]), g.initializer('bb1', rand(8, 0.1), [8])], {}, 'body1');
  const b2 = g.node('Conv', [g.node('Relu', [b1]), g.initializer('wb2', rand(8, 0.3), [1, 8, 1, 1])], {}, 'body2');
  g.output(g.node('Sigmoid', [b2], {}, 'y'), 'float32', [1, 1, 12, 12]);
  return g.toModel({ opset: 13 });
}

test('the stem (every node before the third Conv) is on the exclude list and stays float; the body is quantized', async () => {
  const model = readModel(stemNet());
  constantsToInitializers(model);
  const byOutput = new Map(model.graph.node.map((n) => [n.output[0]!, nodeKey(n)]));
  const stem = stemNodes(model);
  assert.deepEqual(stem.sort(), ['stem1', 'stem2', 'shift', 'hswish'].map((o) => byOutput.get(o)!).sort());
  const sensitive = sensitiveNodes(model);
  for (const k of [...stem, byOutput.get('body2')!, byOutput.get('y')!]) assert.ok(sensitive.has(k), `${k} is on the exclude list: ${[...sensitive].join(' ')}`);
  assert.ok(!sensitive.has(byOutput.get('body1')!), 'the body\'s first Conv is not excluded');

  const r = seededRandom(8);
  const input = (n: number) => Array.from({ length: n }, (): Feeds => ({ x: { type: 'float32', dims: [1, 3, 12, 12], data: Float32Array.from({ length: 432 }, () => (r() - 0.5) * 2) } }));
  const cal = await calibrate(model, tensorsToCalibrate(model), input(12), { method: 'minmax' });
  const report = quantizeStatic(model, cal.ranges, { perChannel: true, exclude: sensitive });
  assert.ok(report.quantizedNodes >= 1, JSON.stringify(report));
  const node = (o: string) => model.graph.node.find((n) => n.output[0] === o)!;
  // The stem reads the raw image and keeps its float weights; nothing rounds the input.
  assert.equal(node('stem1').input[0], 'x');
  assert.equal(node('stem1').input[1], 'ws1');
  assert.equal(node('stem2').input[1], 'ws2');
  assert.ok(!model.graph.node.some((n) => n.op_type === 'QuantizeLinear' && ['x', 'stem1', 'shift'].includes(n.input[0]!)), 'no QuantizeLinear on the input or inside the stem');
  // The body's first Conv is int8: dequantized input and weight.
  assert.match(node('body1').input[0]!, /_dq$/);
  assert.match(node('body1').input[1]!, /_dequantized$/);
  const backend = new OrtNodeBackend();
  const fp32 = await backend.load({ bytes: stemNet(), name: 'fp32' }, { ep: 'cpu' });
  const int8 = await backend.load({ bytes: writeModel(model), name: 'int8' }, { ep: 'cpu' });
  for (const f of input(3)) {
    const a = (await fp32.run(f)).y!.data as Float32Array, b = (await int8.run(f)).y!.data as Float32Array;
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) < 0.05, `y[${i}] ${b[i]} vs ${v}`));
  }
  await fp32.release();
  await int8.release();
});

test('models quantize --exclude-sensitive names the nodes it kept in float in the variant manifest', async () => {
  const root = tempDir();
  await writeTinyModel(join(root, 'models'));
  const registry = new ModelRegistry({ stateDir: join(root, 'state'), modelDirs: [join(root, 'models')], bundled: false });
  const engine = new InferenceEngine({ accelerators: [{ backend: 'ort-node', ep: 'cpu', options: {} }], log: recordingLogger() });
  const result = await quantizeModel(registry, engine, {
    ref: 'tiny', precision: 'int8', perChannel: true, method: 'minmax', excludeSensitive: true,
    thresholds: { minTextAgreement: 0.99, minCorrelation: 0.99, maxRelativeError: 0.05 },
    inputs: { source: 'test', real: true, calibrate: tinyFeeds(12, 5), heldBack: tinyFeeds(4, 6) },
  });
  // The tiny net (Conv, Relu, Conv, MatMul → y) has two Convs, so no stem: the MatMul before the output is the one float node.
  const doc = parse(readFileSync(result.manifest, 'utf8')) as { variant: { floatNodes: number; floatNodeNames: string[] } };
  const matmul = readModel(tinyConvNet()).graph.node.find((n) => n.op_type === 'MatMul')!;
  assert.deepEqual(doc.variant.floatNodeNames, [nodeKey(matmul)]);
  assert.equal(doc.variant.floatNodes, 1);
  assert.deepEqual(registry.get('tiny@1.0.0+int8').variant?.floatNodeNames, [nodeKey(matmul)]);
});
