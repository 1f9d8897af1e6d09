// A model loaded without the If branches its fixed inputs never take (fixed-inputs.ts): Silero VAD, whose file holds
// its network for 16 kHz and for 8 kHz, runs on its 16 kHz branch alone with the same outputs, from the registry too.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { sileroModelPath } from '../../src/audio/vad.js';
import { withFixedInputs } from '../../src/inference/fixed-inputs.js';
import { ModelRegistry } from '../../src/inference/registry.js';
import { openCpuSession } from '../../src/inference/session.js';
import { readModel } from '../../src/inference/onnx-io.js';
import { tempDir } from '../helpers/tmp.js';

/** Speech probabilities and the last state over `chunks` chunks of a tone under noise, state fed back. */
async function probabilities(model: Uint8Array, chunks: number): Promise<number[]> {
  const s = await openCpuSession(model, { threads: 1 });
  let h = new Float32Array(128), c = new Float32Array(128);
  const out: number[] = [];
  let seed = 5;
  const noise = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) - 0.5;
  for (let k = 0; k < chunks; k++) {
    const x = Float32Array.from({ length: 1536 }, (_, i) => 0.3 * Math.sin(i * (0.05 + 0.01 * (k % 7))) * (k % 3 ? 1 : 0.1) + 0.05 * noise());
    const o = await s.run({ input: { data: x, dims: [1, 1536] }, sr: { type: 'int64', data: BigInt64Array.from([16000n]), dims: [] },
      h: { data: h, dims: [2, 1, 64] }, c: { data: c, dims: [2, 1, 64] } });
    h = Float32Array.from(o.hn!.data);
    c = Float32Array.from(o.cn!.data);
    out.push(o.output!.data[0]!, ...h);
  }
  await s.release();
  return out;
}

test('Silero VAD with sr fixed at 16000: one branch, half the bytes, the same outputs as the whole model', async () => {
  const whole = new Uint8Array(readFileSync(sileroModelPath()));
  const fixed = withFixedInputs(whole, { sr: 16000 });
  assert.ok(fixed, 'the top-level If on sr is found');
  const g = readModel(fixed).graph;
  assert.ok(!g.node.some((n) => n.op_type === 'If' && n.input[0] && g.node.find((p) => p.output.includes(n.input[0]!))?.input.includes('sr')),
    'no If on sr is left');
  assert.deepEqual(g.input.map((i) => i.name), ['input', 'sr', 'h', 'c'], 'the input stays declared');
  assert.ok(fixed.length < 0.55 * whole.length, `${fixed.length} bytes of ${whole.length}`);
  assert.deepEqual(await probabilities(fixed, 24), await probabilities(whole, 24));
  // The 8 kHz branch is another network.
  assert.notDeepEqual(readModel(withFixedInputs(whole, { sr: 8000 })!).graph.initializer.map((t) => t.name).sort(), g.initializer.map((t) => t.name).sort());
  assert.equal(withFixedInputs(whole, { other: 1 }), null, 'an input the model does not branch on changes nothing');
});

test('the registry loads the bundled Silero VAD with its fixed input, keyed apart from the whole file', async () => {
  const reg = new ModelRegistry({ stateDir: tempDir() });
  const m = reg.get('silero-vad');
  assert.deepEqual(m.fixedInputs, { sr: 16000 });
  const source = await reg.verifiedSource(m, 'fp32');
  assert.ok(source.bytes.length < 0.55 * readFileSync(sileroModelPath()).length);
  assert.notEqual(source.sha256, m.files.fp32!.sha256);
});
