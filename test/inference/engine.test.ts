// Accelerator selection: preferences that cannot work fall through to the next
// with exactly one warning, and broken model files are named.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ModelLoadError } from '../../src/inference/backend.js';
import { InferenceEngine, NoAcceleratorError } from '../../src/inference/engine.js';
import { float32 } from '../../src/inference/tensor.js';
import { tempDir } from '../helpers/tmp.js';
import { recordingLogger, SILERO_VAD, writeAffine } from './helpers.js';

const dir = tempDir('faultsense-engine-');

test('a missing EP falls through to the next preference with one warning naming it', async () => {
  const log = recordingLogger();
  const engine = new InferenceEngine({
    accelerators: [
      { backend: 'ort-native', ep: 'QNN', options: { backend_type: 'htp' } },
      { backend: 'ort-native', ep: 'cpu', options: {} },
    ],
    log,
  });
  const s = await engine.loadSource({ path: writeAffine(dir, 'a.onnx', 2, 1) }, 'affine');
  try {
    assert.equal(s.chosen.backend, 'ort-native');
    assert.equal(s.chosen.ep, 'cpu');
    assert.equal(s.attempts.length, 2);
    assert.match(s.attempts[0]!.error!, /QNN execution provider is not supported in this build/);
    const warnings = log.records.filter((r) => r.level === 'warn');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!.message, /ort-native\/QNN failed \(.*not supported in this build.*\); using ort-native\/cpu instead/);
    const out = await s.run({ x: float32([1, 2, 3, 4], [1, 4]) });
    assert.deepEqual(Array.from(out.y!.data as Float32Array), [3, 5, 7, 9]);
    assert.equal(s.stats().runs, 1);
  } finally {
    await s.release();
  }
});

test('a plugin EP library that does not exist and a missing vendor library fall through', async () => {
  const log = recordingLogger();
  const engine = new InferenceEngine({
    accelerators: [
      { backend: 'ort-native', ep: 'ExampleEp', pluginLibrary: '/opt/vendor/libexample_ep.so', options: {} },
      { backend: 'ort-native', ep: 'QNN', library: '/opt/qcom/lib/libonnxruntime.so', options: {} },
      { backend: 'ort-node', ep: 'cpu', options: {} },
    ],
    log,
  });
  const s = await engine.loadSource({ path: writeAffine(dir, 'b.onnx', 1, 0) });
  try {
    assert.equal(s.chosen.backend, 'ort-node');
    assert.match(s.attempts[0]!.error!, /plugin EP library \/opt\/vendor\/libexample_ep\.so does not exist/);
    assert.match(s.attempts[1]!.error!, /ONNX Runtime library \/opt\/qcom\/lib\/libonnxruntime\.so does not exist/);
    const warnings = log.records.filter((r) => r.level === 'warn');
    assert.equal(warnings.length, 1, 'one warning for the whole fall-through');
    assert.match(warnings[0]!.message, /libexample_ep\.so.*libonnxruntime\.so.*using ort-node\/cpu/);
  } finally {
    await s.release();
  }
});

test('a plugin library that exists but is not an EP library is reported by ORT', async () => {
  const fake = join(dir, 'libnot_an_ep.so');
  writeFileSync(fake, 'not an ELF file');
  const engine = new InferenceEngine({
    accelerators: [{ backend: 'ort-native', ep: 'Fake', pluginLibrary: fake, options: {} }, { backend: 'ort-node', ep: 'cpu', options: {} }],
    log: recordingLogger(),
  });
  const s = await engine.loadSource({ path: SILERO_VAD() });
  assert.match(s.attempts[0]!.error!, /libnot_an_ep\.so/);
  assert.equal(s.chosen.backend, 'ort-node');
  await s.release();
});

test('an EP name ort-node does not know falls through with a hint', async () => {
  const engine = new InferenceEngine({ accelerators: [{ backend: 'ort-node', ep: 'QNN', options: {} }, { backend: 'ort-native', ep: 'cpu', options: {} }], log: recordingLogger() });
  const s = await engine.loadSource({ path: SILERO_VAD() });
  assert.match(s.attempts[0]!.error!, /NPU providers need backend ort-native/);
  await s.release();
});

test('corrupted model bytes: the load error names the file', async () => {
  const bad = join(dir, 'corrupt.onnx');
  const good = Buffer.from(await import('./helpers.js').then((h) => h.affineModel(1, 1)));
  writeFileSync(bad, good.subarray(0, good.length - 7));
  for (const backend of ['ort-native', 'ort-node'] as const) {
    const engine = new InferenceEngine({ accelerators: [{ backend, ep: 'cpu', options: {} }], log: recordingLogger() });
    await assert.rejects(engine.loadSource({ path: bad }), (err: Error) => {
      assert.ok(err instanceof ModelLoadError, `${backend}: ${err.name}`);
      assert.match(err.message, /corrupt\.onnx/);
      return true;
    });
  }
});

test('when nothing works, the error lists every attempt', async () => {
  const engine = new InferenceEngine({ accelerators: [{ backend: 'ort-native', ep: 'QNN', options: {} }, { backend: 'ort-native', ep: 'OpenVINO', options: {} }], log: recordingLogger() });
  await assert.rejects(engine.loadSource({ path: SILERO_VAD() }, 'silero'), (err: Error) => {
    assert.ok(err instanceof NoAcceleratorError);
    assert.match(err.message, /ort-native\/QNN: .*not supported.*; ort-native\/OpenVINO: .*not supported/);
    return true;
  });
});
