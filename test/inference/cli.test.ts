// `faultsense models ...` and `faultsense doctor` as a user runs them.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { sha256File } from '../../src/inference/hash.js';
import { REPO_ROOT, runCliSync } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { writeAffine } from './helpers.js';

test('models list and verify --json cover the bundled models', () => {
  const state = tempDir();
  const list = runCliSync(['models', 'list', '--state-dir', state, '--json']);
  assert.equal(list.status, 0, list.stderr);
  const ids = (JSON.parse(list.stdout) as { models: Array<{ id: string; active: string }> }).models.map((m) => `${m.id}@${m.active}`);
  assert.deepEqual(ids, ['pp-ocrv4-det@4.0.0', 'pp-ocrv4-rec@4.0.0', 'ppocr-cls@2.0.0', 'silero-vad@4.0.0']);
  const verify = runCliSync(['models', 'verify', 'silero-vad', 'ppocr-cls', '--state-dir', state, '--json']);
  assert.equal(verify.status, 0, verify.stderr);
  const doc = JSON.parse(verify.stdout) as { ok: boolean; results: Array<{ model: string; ok: boolean; backend: string }> };
  assert.equal(doc.ok, true);
  assert.deepEqual(doc.results.map((r) => r.model), ['silero-vad@4.0.0', 'ppocr-cls@2.0.0']);
});

test('models activate of a broken version exits 1 and keeps the old one; bad refs exit 2', async () => {
  const root = tempDir();
  const dir = join(root, 'models', 'affine');
  mkdirSync(dir, { recursive: true });
  const good = writeAffine(dir, 'good.onnx', 1, 0);
  const broken = join(dir, 'broken.onnx');
  writeFileSync(broken, 'garbage');
  for (const [version, file] of [['1.0.0', good], ['1.1.0', broken]] as const) {
    writeFileSync(join(dir, `${version}.yaml`), stringify({ id: 'affine', version, task: 'other', files: { fp32: { path: file, sha256: await sha256File(file) } } }));
  }
  const config = join(root, 'config.yaml');
  writeFileSync(config, stringify({ stateDir: join(root, 'state'), inference: { modelDirs: [join(root, 'models')], accelerators: [{ backend: 'ort-native', ep: 'cpu' }] } }));
  const ok = runCliSync(['models', 'activate', 'affine@1.0.0', '-c', config, '--json']);
  assert.equal(ok.status, 0, ok.stderr);
  const bad = runCliSync(['models', 'activate', 'affine@1.1.0', '-c', config, '--json']);
  assert.equal(bad.status, 1);
  const doc = JSON.parse(bad.stdout) as { ok: boolean; active: string; error: string };
  assert.equal(doc.ok, false);
  assert.equal(doc.active, '1.0.0');
  assert.match(doc.error, /broken\.onnx/);
  const unknown = runCliSync(['models', 'activate', 'nosuch@1', '-c', config]);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown model "nosuch"/);
  const noVersion = runCliSync(['models', 'activate', 'affine', '-c', config]);
  assert.equal(noVersion.status, 2);
  assert.match(noVersion.stderr, /needs ID@VERSION/);
});

test('doctor --json reports accelerators from a fixture root, ORT providers and programs', () => {
  const r = runCliSync(['doctor', '--json', '--state-dir', tempDir(), '--root', join(REPO_ROOT, 'test/fixtures/probe/imx8mp-galcore')]);
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as {
    accelerators: { soc: string; suggested: Array<{ ep: string }> };
    onnxruntime: { libraries: Array<{ ok: boolean; providers: string[] }> };
    programs: Record<string, { present: boolean }>;
    models: Array<{ id: string }>;
  };
  assert.equal(doc.accelerators.soc, 'fsl,imx8mp');
  assert.equal(doc.accelerators.suggested[0]!.ep, 'VSINPU');
  assert.equal(doc.onnxruntime.libraries[0]!.ok, true);
  assert.ok(doc.onnxruntime.libraries[0]!.providers.includes('CPUExecutionProvider'));
  assert.equal(typeof doc.programs.ffmpeg!.present, 'boolean');
  assert.equal(doc.models.length, 4);
});
