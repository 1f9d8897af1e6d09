// Issue 21, finding 9 (time of check to time of use): a model file replaced
// after its sha256 check is never what runs. The registry loads the bytes it
// checked, and the inference component's `open` (OCR, VAD) checks the bytes it
// loads, so a swap between the start-up check and the analyzers' open is refused.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { validateConfig } from '../../src/config/load.js';
import type { Backend, BackendSession, ModelSource, SessionOptions } from '../../src/inference/backend.js';
import { OrtNodeBackend } from '../../src/inference/backend-ort-node.js';
import { InferenceEngine } from '../../src/inference/engine.js';
import { sha256File } from '../../src/inference/hash.js';
import { ModelRegistry } from '../../src/inference/registry.js';
import { InferenceService } from '../../src/inference/service.js';
import { float32 } from '../../src/inference/tensor.js';
import { tempDir } from '../helpers/tmp.js';
import { affineModel, recordingLogger, writeAffine } from './helpers.js';

/** affine@1.0.0: y = 2x + 1, with its sha256 and a self-test. */
async function modelDir(): Promise<{ models: string; state: string; file: string; root: string }> {
  const root = tempDir('faultsense-verified-');
  const dir = join(root, 'models', 'affine');
  mkdirSync(dir, { recursive: true });
  const file = writeAffine(dir, 'v1.onnx', 2, 1);
  writeFileSync(join(dir, 'expected.json'), JSON.stringify({ model: 'affine', recordedWith: 'test', outputs: { y: { dims: [1, 4], mean: 6, indices: [0, 1, 2, 3], values: [3, 5, 7, 9] } } }));
  writeFileSync(join(dir, '1.0.0.yaml'), stringify({
    id: 'affine', version: '1.0.0', task: 'other',
    files: { fp32: { path: 'v1.onnx', sha256: await sha256File(file) } },
    selfTest: { inputs: { x: { type: 'float32', dims: [1, 4], values: [1, 2, 3, 4] } }, expected: 'expected.json', atol: 1e-6, rtol: 0 },
  }));
  return { models: join(root, 'models'), state: join(root, 'state'), file, root };
}

/** The real onnxruntime-node backend, with the attacker's move made just before each load: the file on disk becomes y = 3x + 1. */
class SwapBeforeLoadBackend implements Backend {
  readonly name = 'ort-node' as const;
  readonly sources: ModelSource[] = [];
  private readonly real = new OrtNodeBackend();
  constructor(private readonly file: string) {}
  load(source: ModelSource, opts: SessionOptions): Promise<BackendSession> {
    this.sources.push(source);
    writeFileSync(this.file, affineModel(3, 1));
    return this.real.load(source, opts);
  }
  providers(): Promise<string[]> { return this.real.providers(); }
}

const x = () => ({ x: float32([1, 2, 3, 4], [1, 4]) });

test('registry.load runs the bytes it checked, even when the file is swapped between check and load', async () => {
  const d = await modelDir();
  const backend = new SwapBeforeLoadBackend(d.file);
  const engine = new InferenceEngine({ accelerators: [{ backend: 'ort-node', ep: 'cpu', options: {} }], log: recordingLogger(), backends: { 'ort-node': backend } });
  const reg = new ModelRegistry({ stateDir: d.state, modelDirs: [d.models], bundled: false });
  const loaded = await reg.load(reg.get('affine'), engine);
  try {
    assert.ok('bytes' in backend.sources[0]!, 'the backend was handed bytes, not a path to read again');
    assert.ok(loaded.selfTest.ok, loaded.selfTest.problems.join('; '));
    assert.deepEqual(Array.from((await loaded.session.run(x())).y!.data as Float32Array), [3, 5, 7, 9], 'the verified model (2x + 1), not the swapped one');
    assert.equal(loaded.session.chosen.file, d.file, 'the session is still named by its file');
  } finally {
    await loaded.session.release();
  }
  // The swapped file itself is refused from now on.
  await assert.rejects(reg.load(reg.get('affine'), engine), /v1\.onnx is corrupt or was replaced/);
});

test('the inference component\'s open refuses a file swapped after start-up verified it', async () => {
  const d = await modelDir();
  const engine = new InferenceEngine({ accelerators: [{ backend: 'ort-native', ep: 'cpu', options: {} }], log: recordingLogger() });
  const config = validateConfig({ inference: { accelerators: [{ backend: 'ort-native', ep: 'cpu' }], precision: 'fp32' } }).inference;
  const service = new InferenceService({
    config, stateDir: d.state, log: recordingLogger(), engine, models: ['affine'], mode: 'verify', required: true,
    registry: new ModelRegistry({ stateDir: d.state, modelDirs: [d.models], bundled: false }),
  });
  await service.start();
  const path = service.fileOf('affine')!;
  assert.equal(path, d.file);
  // Opened as verified: runs 2x + 1.
  const good = await service.open(path);
  assert.deepEqual(Array.from((await good.run({ x: { data: new Float32Array([1, 2, 3, 4]), dims: [1, 4] } })).y!.data), [3, 5, 7, 9]);
  await good.release();
  // Swapped on disk after the check: the analyzer's open is refused, naming the file.
  writeFileSync(d.file, affineModel(3, 1));
  await assert.rejects(service.open(path), /v1\.onnx is corrupt or was replaced: sha256 [0-9a-f]{64}, manifest expects/);
  // A file no manifest names (a baseline's graph) still opens by path.
  const other = writeAffine(d.root, 'baseline.onnx', 1, 0);
  const s = await service.open(other);
  assert.deepEqual(Array.from((await s.run({ x: { data: new Float32Array([1, 2, 3, 4]), dims: [1, 4] } })).y!.data), [1, 2, 3, 4]);
  await s.release();
  await service.stop();
});

test('the signature is checked on the same bytes that load', async () => {
  const d = await modelDir();
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pem = join(d.root, 'models.pub.pem');
  writeFileSync(pem, publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(`${d.file}.sig`, sign(null, readFileSync(d.file), privateKey).toString('base64'));
  const reg = new ModelRegistry({ stateDir: d.state, modelDirs: [d.models], bundled: false, signaturePublicKey: pem });
  const source = await reg.verifiedSource(reg.get('affine'), 'fp32');
  assert.deepEqual(source.bytes, readFileSync(d.file));
  writeFileSync(`${d.file}.sig`, sign(null, Buffer.from('other bytes'), privateKey));
  await assert.rejects(reg.verifiedSource(reg.get('affine'), 'fp32'), /signature does not match/);
});
