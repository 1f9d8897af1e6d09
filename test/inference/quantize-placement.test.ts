// Where the INT8 Q/DQ pairs sit decides what ONNX Runtime's CPU provider fuses
// into integer kernels. A PP-LCNetV3-style block (PP-OCRv4's backbone: Conv →
// learnable affine Mul/Add → hardswish as Add/Clip/Mul/Div → affine → Conv, a
// BatchNormalization, a Relu, a nearest Resize) is quantized, loaded through
// onnxruntime-node with its optimized graph written out, and that graph is
// read back: with the rewrites every Conv inside the graph is a QLinearConv and
// no float Clip/Div/BatchNormalization or affine Mul/Add is left between integer ops;
// without them (the placement before) the float ops and their
// DequantizeLinear → op → QuantizeLinear steps remain.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { OnnxGraph } from '../../src/inference/onnx-builder.js';
import { seededRandom } from '../../src/inference/selftest.js';
import type { Feeds } from '../../src/inference/tensor.js';
import { calibrate } from '../../src/quantize/calibrate.js';
import { foldAffineIntoConv } from '../../src/inference/conv-affine-fold.js';
import { mergeScalarChains } from '../../src/inference/scalar-chain-merge.js';
import { compareRuns } from '../../src/quantize/gate.js';
import { readModel, writeModel } from '../../src/inference/onnx-io.js';
import { constantsToInitializers, quantizeStatic, sensitiveNodes, tensorsToCalibrate } from '../../src/quantize/qdq-int8.js';
import { tempDir } from '../helpers/tmp.js';

const C = 8;

/** Two PP-LCNetV3-style blocks and a detector-style head, opset 13. */
function lcnetBlock(): Uint8Array {
  const r = seededRandom(21);
  const rand = (n: number, s: number) => Array.from({ length: n }, () => (r() - 0.5) * 2 * s);
  const g = new OnnxGraph('lcnet-block');
  const scalar = (name: string, v: number) => g.initializer(name, [v], [1]);
  const hardswish = (x: string, k: string) => {
    const clip = g.node('Clip', [g.node('Add', [x, g.initializer(`${k}_three`, [3], [])]), g.initializer(`${k}_lo`, [0], []), g.initializer(`${k}_hi`, [6], [])]);
    return g.node('Div', [g.node('Mul', [x, clip]), g.initializer(`${k}_six`, [6], [])]);
  };
  const affine = (x: string, k: string, s: number, b: number) => g.node('Add', [g.node('Mul', [scalar(`${k}_s`, s), x]), scalar(`${k}_b`, b)]);
  const x = g.input('x', 'float32', [1, 3, 16, 16]);
  // Block 1: 3x3 conv (padded) → affine → hardswish → affine → 1x1 conv (no padding: the affine folds into its bias).
  const c1 = g.node('Conv', [x, g.initializer('w1', rand(C * 3 * 9, 0.4), [C, 3, 3, 3]), g.initializer('b1', rand(C, 0.1), [C])], { pads: [1, 1, 1, 1] });
  const a1 = affine(hardswish(affine(c1, 'lab1', 0.9, 0.4), 'hs1'), 'lab2', 0.6, -0.3);
  const c2 = g.node('Conv', [a1, g.initializer('w2', rand(C * C, 0.4), [C, C, 1, 1]), g.initializer('b2', rand(C, 0.1), [C])]);
  // Block 2: depthwise 3x3 conv (padded: the input affine keeps one Add) → BatchNormalization → Relu.
  const a2 = affine(hardswish(affine(c2, 'lab3', 1.3, 0.2), 'hs2'), 'lab4', 0.5, 0.7);
  const c3 = g.node('Conv', [a2, g.initializer('w3', rand(C * 9, 0.5), [C, 1, 3, 3]), g.initializer('b3', rand(C, 0.1), [C])], { pads: [1, 1, 1, 1], group: C });
  const bn = g.node('BatchNormalization', [c3, g.initializer('bn_s', rand(C, 0.5).map((v) => 1 + v), [C]), g.initializer('bn_b', rand(C, 0.2), [C]),
    g.initializer('bn_m', rand(C, 0.2), [C]), g.initializer('bn_v', rand(C, 0.3).map((v) => 1 + v), [C])]);
  const relu = g.node('Relu', [bn]);
  // Head: nearest 2x upsampling, 1x1 conv to one channel.
  const up = g.node('Resize', [relu, '', g.initializer('scales', [1, 1, 2, 2], [4])], { mode: 'nearest' });
  const y = g.node('Conv', [up, g.initializer('w4', rand(C, 0.4), [1, C, 1, 1]), g.initializer('b4', [0.05], [1])], {}, 'y');
  g.output(y, 'float32', [1, 1, 32, 32]);
  return g.toModel({ opset: 13 });
}

function feeds(n: number, seed: number): Feeds[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => ({ x: { type: 'float32' as const, dims: [1, 3, 16, 16], data: Float32Array.from({ length: 768 }, () => (r() - 0.4) * 2) } }));
}

const toOrt = (f: Feeds) => Object.fromEntries(Object.entries(f).map(([k, t]) => [k, new ort.Tensor('float32', t.data as Float32Array, [...t.dims])]));

async function runAll(bytes: Uint8Array, input: Feeds[]): Promise<Float32Array[]> {
  const s = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
  try {
    const out: Float32Array[] = [];
    for (const f of input) out.push(Float32Array.from((await s.run(toOrt(f))).y!.data as Float32Array));
    return out;
  } finally {
    await s.release();
  }
}

/** Op types (with counts) of the graph ONNX Runtime runs after its optimizations on this CPU. */
async function optimizedOps(bytes: Uint8Array, dir: string, name: string): Promise<Map<string, number>> {
  const file = join(dir, `${name}.optimized.onnx`);
  const s = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all', intraOpNumThreads: 1, optimizedModelFilePath: file });
  await s.release();
  const ops = new Map<string, number>();
  for (const n of readModel(readFileSync(file)).graph.node) ops.set(n.op_type, (ops.get(n.op_type) ?? 0) + 1);
  return ops;
}

async function quantized(fold: boolean): Promise<{ bytes: Uint8Array; clamps: number }> {
  const m = readModel(lcnetBlock());
  constantsToInitializers(m);
  if (fold) foldAffineIntoConv(m);
  const cal = await calibrate(m, tensorsToCalibrate(m), feeds(12, 5), { method: 'minmax' });
  const report = quantizeStatic(m, cal.ranges, { perChannel: true, absorbClamps: fold });
  return { bytes: writeModel(m), clamps: report.clampsAbsorbed ?? 0 };
}

test('affine blocks and BatchNormalization fold into the Conv weights exactly (onnxruntime-node runs both)', async () => {
  const m = readModel(lcnetBlock());
  constantsToInitializers(m);
  const report = foldAffineIntoConv(m);
  const ops = m.graph.node.map((n) => n.op_type);
  assert.equal(ops.filter((o) => o === 'BatchNormalization').length, 0, ops.join(' '));
  assert.equal(ops.filter((o) => o === 'Div').length, 0, 'the hardswish /6 folds into the next Conv');
  // Left: per hardswish its +3 Add and x·clip Mul, and one Add before the padded depthwise conv.
  assert.equal(ops.filter((o) => o === 'Mul').length, 2, ops.join(' '));
  assert.equal(ops.filter((o) => o === 'Add').length, 3, ops.join(' '));
  assert.ok(report.outputSide >= 3 && report.inputSide === 2, JSON.stringify(report));
  const input = feeds(3, 77);
  const [a, b] = [await runAll(lcnetBlock(), input), await runAll(writeModel(m), input)];
  a.forEach((x, k) => x.forEach((v, i) => assert.ok(Math.abs(v - b[k]![i]!) < 1e-4 * Math.max(1, Math.abs(v)), `output ${k}[${i}]: ${v} vs ${b[k]![i]}`)));
});

test('with the rewrites ONNX Runtime fuses the Convs into QLinearConv and no float op is left between integer ops', async () => {
  const dir = tempDir('faultsense-qdq-placement-');
  const folded = await quantized(true);
  const ops = await optimizedOps(folded.bytes, dir, 'folded');
  const seen = [...ops].map(([k, v]) => `${k}:${v}`).join(' ');
  // The last Conv writes the graph's output itself (its Q/DQ pair hangs after the output), so it stays float.
  assert.equal(ops.get('QLinearConv'), 3, seen);
  assert.equal(ops.get('Conv') ?? 0, 1, seen);
  for (const op of ['Clip', 'Relu', 'Div', 'BatchNormalization', 'Mul', 'Add']) assert.equal(ops.get(op) ?? 0, 0, `float ${op} left: ${seen}`);
  assert.equal(ops.get('QLinearMul'), 2, seen);  // the two hardswish x·clip products
  // uint8 → float → uint8 only around the nearest Resize (kept on its input's scale) and the float last Conv.
  assert.ok((ops.get('QuantizeLinear') ?? 0) <= 2 && (ops.get('DequantizeLinear') ?? 0) <= 4, seen);
  assert.equal(folded.clamps, 3, 'both Clips and the Relu are absorbed');

  // The placement before the rewrites: the same ops quantized, but float steps remain between them.
  const before = await optimizedOps((await quantized(false)).bytes, dir, 'unfolded');
  const seenBefore = [...before].map(([k, v]) => `${k}:${v}`).join(' ');
  if (process.env.SHOW_OPS) console.log(`after: ${seen}\nbefore: ${seenBefore}`);
  assert.ok((before.get('Div') ?? 0) >= 2 && (before.get('BatchNormalization') ?? 0) === 1, seenBefore);
  assert.ok((before.get('DequantizeLinear') ?? 0) > (ops.get('DequantizeLinear') ?? 0) + 2 && (before.get('QLinearMul') ?? 0) > 2, seenBefore);

  // And the fused graph still computes what fp32 does.
  const input = feeds(4, 99);
  const [ref, got] = [await runAll(lcnetBlock(), input), await runAll(folded.bytes, input)];
  const gate = compareRuns(ref.map((y) => ({ y: { type: 'float32', dims: [y.length], data: y } })), got.map((y) => ({ y: { type: 'float32', dims: [y.length], data: y } })),
    { minTextAgreement: 0.99, minCorrelation: 0.99, maxRelativeError: 0.1 });
  assert.ok(gate.passed, JSON.stringify(gate));
});

/** A detector-style head: Conv → ConvTranspose → Relu → ConvTranspose → Sigmoid (the last two kept float). */
function dbHead(): Uint8Array {
  const r = seededRandom(33);
  const rand = (n: number, s: number) => Array.from({ length: n }, () => (r() - 0.5) * 2 * s);
  const g = new OnnxGraph('db-head');
  const x = g.input('x', 'float32', [1, 3, 16, 16]);
  const c = g.node('Conv', [x, g.initializer('w1', rand(C * 27, 0.4), [C, 3, 3, 3]), g.initializer('b1', rand(C, 0.1), [C])], { pads: [1, 1, 1, 1] });
  const t1 = g.node('ConvTranspose', [c, g.initializer('w2', rand(C * C * 4, 0.4), [C, C, 2, 2]), g.initializer('b2', rand(C, 0.2), [C])], { strides: [2, 2] });
  const relu = g.node('Relu', [t1]);
  const t2 = g.node('ConvTranspose', [relu, g.initializer('w3', rand(C * 4, 0.4), [C, 1, 2, 2]), g.initializer('b3', [0.1], [1])], { strides: [2, 2] });
  const y = g.node('Sigmoid', [t2], {}, 'y');
  g.output(y, 'float32', [1, 1, 64, 64]);
  return g.toModel({ opset: 13 });
}

test('a Relu before a float ConvTranspose (the detector head) goes into the QuantizeLinear before it', async () => {
  const dir = tempDir('faultsense-qdq-head-');
  const m = readModel(dbHead());
  constantsToInitializers(m);
  const cal = await calibrate(m, tensorsToCalibrate(m), feeds(12, 5), { method: 'minmax' });
  const exclude = sensitiveNodes(m);  // the last ConvTranspose and the Sigmoid stay float
  assert.equal(exclude.size, 2, [...exclude].join(' '));
  const report = quantizeStatic(m, cal.ranges, { perChannel: true, exclude });
  assert.equal(report.clampsAbsorbed, 1, JSON.stringify(report));
  assert.ok(!m.graph.node.some((n) => n.op_type === 'Relu'), 'the Relu is gone from the quantized graph');
  const last = m.graph.node.filter((n) => n.op_type === 'ConvTranspose').at(-1)!;
  assert.match(last.input[0]!, /_dq$/, 'the float ConvTranspose reads the dequantized, saturated value');
  const bytes = writeModel(m);
  const ops = await optimizedOps(bytes, dir, 'head');
  assert.equal(ops.get('Relu') ?? 0, 0, [...ops].map(([k, v]) => `${k}:${v}`).join(' '));
  // Saturating at the zero point is the Relu: the variant still computes what fp32 does.
  const input = feeds(4, 99);
  const [ref, got] = [await runAll(dbHead(), input), await runAll(bytes, input)];
  const gate = compareRuns(ref.map((v) => ({ y: { type: 'float32', dims: [v.length], data: v } })), got.map((v) => ({ y: { type: 'float32', dims: [v.length], data: v } })),
    { minTextAgreement: 0.99, minCorrelation: 0.99, maxRelativeError: 0.1 });
  assert.ok(gate.passed, JSON.stringify(gate));
});

/** hardswish's "/ 6" and an affine block feeding two padded depthwise Convs: no Conv can take the chain. */
function twoReaderChain(): Uint8Array {
  const r = seededRandom(45);
  const rand = (n: number, s: number) => Array.from({ length: n }, () => (r() - 0.5) * 2 * s);
  const g = new OnnxGraph('two-reader-chain');
  const x = g.input('x', 'float32', [1, 3, 16, 16]);
  const c = g.node('Conv', [x, g.initializer('w1', rand(C * 27, 0.4), [C, 3, 3, 3]), g.initializer('b1', rand(C, 0.1), [C])], { pads: [1, 1, 1, 1] });
  const clip = g.node('Clip', [g.node('Add', [c, g.initializer('three', [3], [])]), g.initializer('lo', [0], []), g.initializer('hi', [6], [])]);
  const hs = g.node('Div', [g.node('Mul', [c, clip]), g.initializer('six', [6], [])]);
  const affine = g.node('Add', [g.node('Mul', [hs, g.initializer('s', [0.8], [1])]), g.initializer('b', [0.3], [1])]);
  const d1 = g.node('Conv', [affine, g.initializer('w2', rand(C * 9, 0.5), [C, 1, 3, 3])], { pads: [1, 1, 1, 1], group: C });
  const d2 = g.node('Conv', [affine, g.initializer('w3', rand(C * 9, 0.5), [C, 1, 3, 3])], { pads: [1, 1, 1, 1], group: C });
  const y = g.node('Add', [d1, d2], {}, 'y');
  g.output(y, 'float32', [1, C, 16, 16]);
  return g.toModel({ opset: 13 });
}

test('a scalar chain two padded Convs read is merged into one Mul and one Add (no float Div left)', async () => {
  const m = readModel(twoReaderChain());
  constantsToInitializers(m);
  foldAffineIntoConv(m);
  const count = (op: string) => m.graph.node.filter((n) => n.op_type === op).length;
  assert.equal(count('Div'), 1, 'the padded Convs with two readers take nothing');
  assert.equal(mergeScalarChains(m), 1);
  assert.equal(count('Div'), 0);
  assert.deepEqual([count('Mul'), count('Add')], [2, 3], m.graph.node.map((n) => n.op_type).join(' '));  // x·clip, ·(0.8/6); +3, +0.3, d1+d2
  const input = feeds(3, 61);
  const [a, b] = [await runAll(twoReaderChain(), input), await runAll(writeModel(m), input)];
  a.forEach((v, k) => v.forEach((e, i) => assert.ok(Math.abs(e - b[k]![i]!) < 1e-5 * Math.max(1, Math.abs(e)), `output ${k}[${i}]: ${e} vs ${b[k]![i]}`)));
  // Nothing saved, nothing changed: a lone scalar op stays as it is.
  assert.equal(mergeScalarChains(m), 0);
});
