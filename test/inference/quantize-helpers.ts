// A tiny conv net (Conv 3→4 3x3 + Relu + Conv 4→2 1x1 + MatMul) with a manifest and
// self-test, for the quantization tests.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { OrtNodeBackend } from '../../src/inference/backend-ort-node.js';
import { sha256File } from '../../src/inference/hash.js';
import { OnnxGraph } from '../../src/inference/onnx-builder.js';
import { seededRandom, selfTestFeeds, summarise } from '../../src/inference/selftest.js';
import type { Feeds } from '../../src/inference/tensor.js';

export function tinyConvNet(seed = 3): Uint8Array {
  const r = seededRandom(seed);
  const rand = (n: number, s: number) => Array.from({ length: n }, () => (r() - 0.5) * 2 * s);
  const g = new OnnxGraph('tiny');
  const x = g.input('x', 'float32', [1, 3, 8, 8]);
  const c1 = g.node('Conv', [x, g.initializer('w1', rand(4 * 3 * 9, 0.5), [4, 3, 3, 3]), g.initializer('b1', rand(4, 0.1), [4])], { pads: [1, 1, 1, 1] });
  const r1 = g.node('Relu', [c1]);
  const c2 = g.node('Conv', [r1, g.initializer('w2', rand(8, 0.7), [2, 4, 1, 1]), g.initializer('b2', rand(2, 0.1), [2])]);
  const m = g.node('MatMul', [c2, g.initializer('w3', rand(8 * 5, 0.4), [8, 5])], {}, 'y');
  g.output(m, 'float32', [1, 2, 8, 5]);
  return g.toModel({ opset: 13 });
}

export function tinyFeeds(count: number, seed: number, scale = 1): Feeds[] {
  const r = seededRandom(seed);
  return Array.from({ length: count }, () => ({
    x: { type: 'float32' as const, dims: [1, 3, 8, 8], data: Float32Array.from({ length: 192 }, () => (r() - 0.3) * 2 * scale) },
  }));
}

const SELF_TEST = { inputs: { x: { type: 'float32' as const, dims: [1, 3, 8, 8], random: { seed: 5, min: -1, max: 1 } } }, expected: '1.0.0.selftest.json', atol: 1e-4, rtol: 1e-3 };

/** Writes DIR/tiny/{tiny.onnx, 1.0.0.yaml, 1.0.0.selftest.json}; returns the model file. */
export async function writeTinyModel(modelsDir: string): Promise<string> {
  const dir = join(modelsDir, 'tiny');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'tiny.onnx');
  writeFileSync(file, tinyConvNet());
  const s = await new OrtNodeBackend().load({ path: file }, { ep: 'cpu' });
  const out = await s.run(selfTestFeeds(SELF_TEST));
  await s.release();
  writeFileSync(join(dir, '1.0.0.selftest.json'), JSON.stringify({ model: 'tiny@1.0.0', recordedWith: 'ort-node', outputs: summarise(out) }));
  writeFileSync(join(dir, '1.0.0.yaml'), stringify({
    id: 'tiny', version: '1.0.0', task: 'other', files: { fp32: { path: file, sha256: await sha256File(file) } }, selfTest: SELF_TEST,
  }));
  return file;
}
