// The gate for recurrent models (Silero VAD): each model carries its own state
// through each held-back sequence, as the audio analyzer runs it, and only the
// score series is compared. A variant whose score follows fp32's passes; one
// whose state update is broken fails with flipped decisions, although every
// single step fed fp32's state would look close.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InferenceEngine } from '../../src/inference/engine.js';
import { OnnxGraph } from '../../src/inference/onnx-builder.js';
import { seededRandom } from '../../src/inference/selftest.js';
import type { Feeds } from '../../src/inference/tensor.js';
import { readModel, writeModel } from '../../src/inference/onnx-io.js';
import { constantsToInitializers, quantizeWeightsOnly } from '../../src/quantize/qdq-int8.js';
import { recurrentGate } from '../../src/quantize/gate.js';

/** hn = tanh(x·W + h·U); output = sigmoid(hn·V). `leak` scales the carried state (1 = as trained). */
function rnn(leak = 1): Uint8Array {
  const r = seededRandom(8);
  const rand = (n: number, s: number) => Array.from({ length: n }, () => (r() - 0.5) * 2 * s);
  const g = new OnnxGraph('rnn');
  const x = g.input('input', 'float32', [1, 6]);
  const h = g.input('h', 'float32', [1, 4]);
  const u = rand(16, 0.9).map((v) => v * leak);
  const z = g.node('Add', [g.node('MatMul', [x, g.initializer('W', rand(24, 0.8), [6, 4])]), g.node('MatMul', [h, g.initializer('U', u, [4, 4])])]);
  const hn = g.node('Tanh', [z], {}, 'hn');
  const out = g.node('Sigmoid', [g.node('MatMul', [hn, g.initializer('V', rand(4, 3), [4, 1])])], {}, 'output');
  g.output(hn, 'float32', [1, 4]);
  g.output(out, 'float32', [1, 1]);
  return g.toModel({ opset: 13 });
}

function sequences(count: number, steps: number): Feeds[][] {
  const r = seededRandom(31);
  return Array.from({ length: count }, () => Array.from({ length: steps }, () => ({
    input: { type: 'float32' as const, dims: [1, 6], data: Float32Array.from({ length: 6 }, () => (r() - 0.5) * 2) },
    h: { type: 'float32' as const, dims: [1, 4], data: new Float32Array(4) },
  })));
}

const TH = { minTextAgreement: 0.99, minCorrelation: 0.99, maxRelativeError: 0.05 };
const SPEC = { state: [['hn', 'h']] as Array<[string, string]>, score: 'output', threshold: 0.5 };

test('recurrent gate: a weight-only int8 variant passes; a broken state update fails with flipped decisions', async () => {
  const engine = new InferenceEngine({ accelerators: [{ backend: 'ort-node', ep: 'cpu', options: {} }] });
  const fp32 = await engine.loadSource({ bytes: rnn(), name: 'rnn fp32' }, 'rnn fp32');
  const m = readModel(rnn());
  constantsToInitializers(m);
  quantizeWeightsOnly(m, { perChannel: true });
  const int8 = await engine.loadSource({ bytes: writeModel(m), name: 'rnn int8' }, 'rnn int8');
  const broken = await engine.loadSource({ bytes: rnn(0), name: 'rnn no state' }, 'rnn no state');
  try {
    const seqs = sequences(3, 40);
    const good = await recurrentGate(fp32, int8, seqs, TH, SPEC);
    assert.equal(good.kind, 'recurrent-score');
    assert.ok(good.passed, JSON.stringify(good));
    assert.equal(good.figures.steps, 120);
    const bad = await recurrentGate(fp32, broken, seqs, TH, SPEC);
    assert.equal(bad.passed, false, JSON.stringify(bad));
    assert.ok(bad.figures.decisionFlips! > 0 && bad.reasons.length > 0, JSON.stringify(bad));
  } finally {
    await Promise.all([fp32.release(), int8.release(), broken.release()]);
  }
});
