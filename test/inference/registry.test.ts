// Model registry: versions, integrity checks, activation that keeps the old
// version when the new one is broken, rollback, start-up rollback, signatures.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { inferenceSchema } from '../../src/config/sections/inference.js';
import { InferenceEngine } from '../../src/inference/engine.js';
import { sha256File } from '../../src/inference/hash.js';
import { ModelRegistry, registerFittedModel } from '../../src/inference/registry.js';
import { InferenceService } from '../../src/inference/service.js';
import { float32 } from '../../src/inference/tensor.js';
import { tempDir } from '../helpers/tmp.js';
import { recordingLogger, writeAffine } from './helpers.js';

const engine = new InferenceEngine({ accelerators: [{ backend: 'ort-native', ep: 'cpu', options: {} }], log: recordingLogger() });

/** A model folder with affine@1.0.0 (good), 2.0.0 (corrupt file), 3.0.0 (wrong output), 4.0.0 (good). */
async function modelDir(): Promise<{ root: string; models: string; state: string }> {
  const root = tempDir('faultsense-registry-');
  const models = join(root, 'models', 'affine');
  mkdirSync(models, { recursive: true });
  const expected = { model: 'affine', recordedWith: 'test', outputs: { y: { dims: [1, 4], mean: 6, indices: [0, 1, 2, 3], values: [3, 5, 7, 9] } } };
  writeFileSync(join(models, 'expected.json'), JSON.stringify(expected));
  const files: Record<string, string> = {
    '1.0.0': writeAffine(models, 'v1.onnx', 2, 1),
    '2.0.0': join(models, 'v2.onnx'),
    '3.0.0': writeAffine(models, 'v3.onnx', 3, 1),
    '4.0.0': writeAffine(models, 'v4.onnx', 2, 1),
  };
  writeFileSync(files['2.0.0']!, Buffer.from('this is not an ONNX model'));
  for (const [version, file] of Object.entries(files)) {
    writeFileSync(join(models, `${version}.yaml`), stringify({
      id: 'affine', version, task: 'other',
      files: { fp32: { path: file.slice(models.length + 1), sha256: await sha256File(file) } },
      selfTest: { inputs: { x: { type: 'float32', dims: [1, 4], values: [1, 2, 3, 4] } }, expected: 'expected.json', atol: 1e-6, rtol: 0 },
    }));
  }
  return { root, models: join(root, 'models'), state: join(root, 'state') };
}

function registry(d: { models: string; state: string }, extra: { signaturePublicKey?: string } = {}): ModelRegistry {
  return new ModelRegistry({ stateDir: d.state, modelDirs: [d.models], bundled: false, ...extra });
}

test('bundled manifests load and pass their self-tests on ort-native', async () => {
  const reg = new ModelRegistry({ stateDir: tempDir() });
  assert.deepEqual(reg.ids(), ['pp-ocrv4-det', 'pp-ocrv4-rec', 'ppocr-cls', 'silero-vad']);
  for (const id of reg.ids()) {
    const { session, selfTest } = await reg.load(reg.get(id), engine);
    assert.ok(selfTest.ok, `${id}: ${selfTest.problems.join('; ')}`);
    await session.release();
  }
});

test('the newest version is active by default; a sha256 mismatch names the file', async () => {
  const d = await modelDir();
  const reg = registry(d);
  assert.equal(reg.activeVersion('affine'), '4.0.0');
  writeFileSync(join(d.models, 'affine', 'v4.onnx'), Buffer.from('tampered'));
  const checks = await reg.checkFiles(reg.get('affine@4.0.0'));
  assert.equal(checks[0]!.ok, false);
  assert.match(checks[0]!.error!, /v4\.onnx is corrupt or was replaced: sha256 [0-9a-f]{64}, manifest expects/);
  await assert.rejects(reg.load(reg.get('affine@4.0.0'), engine), /v4\.onnx is corrupt/);
});

test('activating a broken version keeps the old one active and says why', async () => {
  const d = await modelDir();
  const reg = registry(d);
  (await reg.activate('affine@1.0.0', engine)).session.release();
  assert.equal(reg.activeVersion('affine'), '1.0.0');

  await assert.rejects(reg.activate('affine@2.0.0', engine), (err: Error) => {
    assert.match(err.message, /activation of affine@2\.0\.0 failed, affine@1\.0\.0 stays active/);
    assert.match(err.message, /v2\.onnx/);
    return true;
  });
  assert.equal(reg.activeVersion('affine'), '1.0.0');
  assert.equal(reg.modelState('affine').failed?.version, '2.0.0');

  await assert.rejects(reg.activate('affine@3.0.0', engine), /affine@1\.0\.0 stays active: self-test failed: output y/);
  assert.equal(reg.activeVersion('affine'), '1.0.0');

  const ok = await reg.activate('affine@4.0.0', engine);
  await ok.session.release();
  assert.equal(reg.activeVersion('affine'), '4.0.0');
  // the state is persisted: a fresh registry sees it
  assert.equal(registry(d).activeVersion('affine'), '4.0.0');
  assert.equal(reg.rollback('affine'), '1.0.0');
  assert.equal(registry(d).activeVersion('affine'), '1.0.0');
  // before 1.0.0 was first activated, 4.0.0 was active as the newest version
  assert.equal(reg.rollback('affine'), '4.0.0');
  assert.throws(() => reg.rollback('affine'), /no earlier version/);
  assert.throws(() => reg.get('nosuch'), /unknown model "nosuch"; known models: affine/);
  assert.throws(() => reg.get('affine@9'), /no version 9; available: 1\.0\.0, 2\.0\.0, 3\.0\.0, 4\.0\.0/);
});

test('the service rolls a version that fails at start-up back to the last good one', async () => {
  const d = await modelDir();
  const reg = registry(d);
  (await reg.activate('affine@1.0.0', engine)).session.release();
  reg.state.update('affine', (s) => { s.active = '2.0.0'; });  // as if someone activated it while the daemon was down
  const log = recordingLogger();
  const config = inferenceSchema.parse({ accelerators: [{ backend: 'ort-native', ep: 'cpu' }], precision: 'fp32' });
  const service = new InferenceService({ config, stateDir: d.state, log, engine, registry: registry(d) });
  await service.start();
  try {
    const m = service.model('affine');
    assert.equal(m.version, '1.0.0');
    const out = await m.run({ x: float32([0, 1, 2, 3], [1, 4]) });
    assert.deepEqual(Array.from(out.y!.data as Float32Array), [1, 3, 5, 7]);
    assert.ok(log.records.some((r) => r.level === 'error' && /affine@2\.0\.0 failed at start-up .*rolled back to affine@1\.0\.0/.test(r.message)));
    assert.equal(registry(d).activeVersion('affine'), '1.0.0');
    const st = service.stats()[0]!;
    assert.equal(st.rolledBackFrom, '2.0.0');
    assert.equal(st.backend, 'ort-native');
    assert.ok(st.runs! >= 2, 'self-test warm-up and one run');

    // live activation: the new version is loaded beside the old and swapped in
    await service.activate('affine@4.0.0');
    assert.equal(service.model('affine').version, '4.0.0');
    await assert.rejects(service.activate('affine@3.0.0'), /stays active/);
    assert.equal(service.model('affine').version, '4.0.0');
  } finally {
    await service.stop();
  }
});

test('ed25519 signatures: signed files pass, unsigned or wrongly signed files fail', async () => {
  const d = await modelDir();
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pem = join(d.root, 'models.pub.pem');
  writeFileSync(pem, publicKey.export({ type: 'spki', format: 'pem' }));
  const v1 = join(d.models, 'affine', 'v1.onnx');
  writeFileSync(`${v1}.sig`, sign(null, readFileSync(v1), privateKey).toString('base64'));
  const reg = registry(d, { signaturePublicKey: pem });
  assert.deepEqual((await reg.checkFiles(reg.get('affine@1.0.0'))).map((c) => c.ok), [true]);
  const [unsigned] = await reg.checkFiles(reg.get('affine@4.0.0'));
  assert.match(unsigned!.error!, /v4\.onnx has no signature/);
  const v4 = join(d.models, 'affine', 'v4.onnx');
  writeFileSync(`${v4}.sig`, sign(null, Buffer.from('other bytes'), privateKey));
  const [bad] = await reg.checkFiles(reg.get('affine@4.0.0'));
  assert.match(bad!.error!, /signature does not match/);
});

test('a model fitted on the board registers itself under the state dir', async () => {
  const d = await modelDir();
  const file = writeAffine(d.root, 'fitted.onnx', 1, 0);
  const manifest = await registerFittedModel(d.state, { id: 'line-baseline', version: '2024.1', task: 'anomaly', file });
  assert.match(manifest, /line-baseline\/2024\.1\.yaml$/);
  const reg = registry(d);
  assert.ok(reg.ids().includes('line-baseline'));
  const { session, selfTest } = await reg.load(reg.get('line-baseline'), engine);
  assert.ok(selfTest.ok);
  await session.release();
});

test('verify mode (the daemon\'s inference component): rolls back a failing version, releases what it tested', async () => {
  const d = await modelDir();
  const reg = registry(d);
  (await reg.activate('affine@1.0.0', engine)).session.release();
  reg.state.update('affine', (s) => { s.active = '3.0.0'; });  // 3.0.0 gives wrong answers
  const log = recordingLogger();
  const config = inferenceSchema.parse({ accelerators: [{ backend: 'ort-native', ep: 'cpu' }], precision: 'fp32' });
  const service = new InferenceService({ config, stateDir: d.state, log, engine, registry: registry(d), models: ['affine'], mode: 'verify', required: true, label: 'test models' });
  await service.start();
  try {
    assert.equal(registry(d).activeVersion('affine'), '1.0.0');
    assert.ok(log.records.some((r) => r.level === 'error' && /affine@3\.0\.0 failed at start-up .*rolled back to affine@1\.0\.0/.test(r.message)));
    assert.ok(log.records.some((r) => r.level === 'info' && r.message === 'test models: affine@1.0.0 (self-tests passed)'));
    assert.deepEqual(service.stats().map((s) => [s.id, s.version, s.state, s.rolledBackFrom]), [['affine', '1.0.0', 'verified', '3.0.0']]);
    assert.throws(() => service.model('affine'), /not loaded/, 'verify mode keeps nothing loaded');
  } finally {
    await service.stop();
  }
});

test('a required model whose versions all fail stops start-up, naming it, without going round in circles', async () => {
  const d = await modelDir();
  const reg = registry(d);
  // 3.0.0 fails and rolls back to the last good 2.0.0, which fails and would roll back to 3.0.0 again.
  reg.state.update('affine', (s) => { s.active = '3.0.0'; s.lastGood = '2.0.0'; s.previous = []; });
  const config = inferenceSchema.parse({ accelerators: [{ backend: 'ort-native', ep: 'cpu' }], precision: 'fp32' });
  const service = new InferenceService({ config, stateDir: d.state, log: recordingLogger(), engine, registry: registry(d), models: ['affine'], mode: 'verify', required: true });
  await assert.rejects(service.start(), /model affine@2\.0\.0 failed at start-up and no earlier good version exists/);
});
