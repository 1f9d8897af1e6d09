// The vision of `faultsense edge` and `analyze-video` (createOffloadVision) opens
// its models on the configured engine (inference.accelerators) and takes the OCR
// files from the model registry, checked by sha256, as the daemon does; it used
// to open the npm package's files on a CPU session of its own.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse, stringify } from 'yaml';
import { validateConfig } from '../../src/config/load.js';
import { emptyCatalog } from '../../src/diagnosis/catalog.js';
import { sha256File } from '../../src/inference/hash.js';
import { BUNDLED_MODELS_DIR } from '../../src/inference/manifest.js';
import { createOffloadVision } from '../../src/offload/vision-select.js';
import { tempDir } from '../helpers/tmp.js';
import { OCR_DET } from '../inference/helpers.js';

interface SessionHealth { backend: string; ep: string; runs: number }

test('OCR opens on the configured accelerator (ort-native here, not onnxruntime-node\'s CPU default)', async () => {
  const config = validateConfig({ deviceId: 'edge-test', stateDir: tempDir(), inference: { accelerators: [{ backend: 'ort-native', ep: 'cpu' }] } });
  const vision = await createOffloadVision(config, emptyCatalog());
  try {
    const frame = { data: Buffer.alloc(320 * 240 * 3, 200), width: 320, height: 240, channels: 3 as const, ts: Date.now(), seq: 1, source: 'test' };
    await vision.vision(frame);
    const h = vision.health() as { accelerators: string[]; sessions: Record<string, SessionHealth> };
    assert.deepEqual(h.accelerators, ['ort-native/cpu']);
    const det = h.sessions['ch_PP-OCRv4_det_infer.onnx'];
    const rec = h.sessions['ch_PP-OCRv4_rec_infer.onnx'];
    assert.ok(det && rec, `the OCR sessions are the engine's: ${Object.keys(h.sessions).join(', ')}`);
    assert.deepEqual([det.backend, det.ep, rec.backend, rec.ep], ['ort-native', 'cpu', 'ort-native', 'cpu']);
    assert.ok(det.runs >= 1, 'the frame was read through the engine\'s detector');
  } finally {
    await vision.close();
  }
});

test('the OCR files come from the registry: a newer detector version whose file was tampered with is refused', async () => {
  const dir = tempDir();
  const models = join(dir, 'models', 'pp-ocrv4-det');
  mkdirSync(models, { recursive: true });
  const file = join(models, 'det-4.1.0.onnx');
  copyFileSync(OCR_DET(), file);
  const manifest = parse(readFileSync(join(BUNDLED_MODELS_DIR, 'pp-ocrv4-det', '4.0.0.yaml'), 'utf8')) as Record<string, unknown>;
  copyFileSync(join(BUNDLED_MODELS_DIR, 'pp-ocrv4-det', '4.0.0.selftest.json'), join(models, '4.0.0.selftest.json'));
  writeFileSync(join(models, '4.1.0.yaml'), stringify({ ...manifest, version: '4.1.0', files: { fp32: { path: 'det-4.1.0.onnx', sha256: await sha256File(file) } } }));
  writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.from([0])]));  // changed after it was registered
  const config = validateConfig({ deviceId: 'edge-test', stateDir: join(dir, 'state'), inference: { modelDirs: [join(dir, 'models')] } });
  await assert.rejects(createOffloadVision(config, emptyCatalog()), /det-4\.1\.0\.onnx is corrupt or was replaced/);
});
