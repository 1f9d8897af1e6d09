// Builds small models with the ONNX writer and runs them through the real
// onnxruntime-node, comparing against the same arithmetic done in JS.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { attr, floatTensor, OnnxGraph } from '../../src/inference/onnx-builder.js';

async function run(model: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(model);
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  assert.equal(actual.length, expected.length, 'length');
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tol, `element ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

test('distance-to-mean baseline: Sub, Mul, ReduceSum, Sqrt, Div with a dynamic batch', async () => {
  const g = new OnnxGraph('baseline');
  const x = g.input('x', 'float32', ['N', 3]);
  const mean = g.initializer('mean', [1, 2, 3], [3]);
  const scale = g.initializer('scale', [2, 2, 2], [3]);
  const d = g.node('Div', [g.node('Sub', [x, mean]), scale]);
  const sum = g.node('ReduceSum', [g.node('Mul', [d, d]), g.int64s('axes', [1])], { keepdims: 0 });
  g.output(g.node('Sqrt', [sum], {}, 'score'), 'float32', ['N']);
  const model = g.toModel({ opset: 17, metadata: { kind: 'baseline' } });

  const input = new Float32Array([1, 2, 3, 3, 2, 1]);
  const out = await run(model, { x: new ort.Tensor('float32', input, [2, 3]) });
  assert.deepEqual(out.score!.dims, [2]);
  close(out.score!.data as Float32Array, [0, Math.sqrt(1 + 0 + 1)]);
});

test('MLP: MatMul, Add, Relu, Softmax, ReduceMean, Transpose, Reshape, Concat, Identity', async () => {
  const g = new OnnxGraph('mlp');
  const x = g.input('x', 'float32', [1, 4]);
  const w = g.initializer('w', [1, 0, -1, 0.5, 2, 0, 0, 1, 0, 0, 1, -1], [4, 3]);
  const b = g.initializer('b', [0.1, -0.2, 0.3], [3]);
  const h = g.node('Relu', [g.node('Add', [g.node('MatMul', [x, w]), b])]);
  const p = g.node('Softmax', [h], { axis: -1 }, 'probs');
  g.output(p, 'float32', [1, 3]);
  const m = g.node('ReduceMean', [x], { axes: [1], keepdims: 1 }, 'mean');
  g.output(m, 'float32', [1, 1]);
  const t = g.node('Transpose', [g.node('Reshape', [x, g.int64s('shape', [2, 2])])], { perm: [1, 0] });
  const c = g.node('Concat', [t, t], { axis: 0 });
  g.output(g.node('Identity', [c], {}, 'cat'), 'float32', [4, 2]);
  const model = g.toModel({ opset: 13 });

  const xs = [1, 2, 3, 4];
  const out = await run(model, { x: new ort.Tensor('float32', Float32Array.from(xs), [1, 4]) });
  const W = [[1, 0, -1], [0.5, 2, 0], [0, 1, 0], [0, 1, -1]];
  const pre = [0, 1, 2].map((j) => Math.max(0, xs.reduce((s, xi, i) => s + xi * W[i]![j]!, 0) + [0.1, -0.2, 0.3][j]!));
  const ex = pre.map(Math.exp);
  const sum = ex.reduce((a, v) => a + v, 0);
  close(out.probs!.data as Float32Array, ex.map((v) => v / sum));
  close(out.mean!.data as Float32Array, [2.5]);
  assert.deepEqual(out.cat!.dims, [4, 2]);
  close(out.cat!.data as Float32Array, [1, 3, 2, 4, 1, 3, 2, 4]);
});

test('Conv with float attributes and a tensor-valued Constant node', async () => {
  const g = new OnnxGraph('conv');
  const x = g.input('x', 'float32', [1, 1, 3, 3]);
  const k = g.initializer('k', [1, 1, 1, 1], [1, 1, 2, 2]);
  const y = g.node('Conv', [x, k], { kernel_shape: [2, 2], strides: [1, 1] });
  const half = g.node('Constant', [], { value: attr.tensor(floatTensor([0.5], [])) });
  const scaled = g.node('Mul', [y, half]);
  const lr = g.node('LeakyRelu', [g.node('Sub', [scaled, g.initializer('ten', [10], [])])], { alpha: attr.float(0.25) }, 'y');
  g.output(lr, 'float32', [1, 1, 2, 2]);
  const out = await run(g.toModel(), { x: new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), [1, 1, 3, 3]) });
  // window sums 12 16 24 28 → halved 6 8 12 14 → minus 10: -4 -2 2 4 → leaky(0.25)
  close(out.y!.data as Float32Array, [-1, -0.5, 2, 4]);
});

test('bad graphs are rejected with a message naming the problem', () => {
  const g = new OnnxGraph('bad');
  g.input('x', 'float32', [1]);
  assert.throws(() => g.node('Relu', ['nope']), /input "nope" is not defined/);
  assert.throws(() => g.input('x', 'float32', [1]), /used twice/);
  assert.throws(() => g.initializer('w', [1, 2, 3], [2, 2]), /3 elements but dims \[2, 2\] need 4/);
  assert.throws(() => g.toModel(), /has no outputs/);
});
