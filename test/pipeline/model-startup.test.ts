// The daemon verifies the active OCR model versions at start-up (self-test as
// warm-up); a version that fails then is rolled back to the one before it and
// the daemon runs on, instead of failing every restart.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { exited, REPO_ROOT, runCliSync, spawnCli } from '../helpers/cli.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const stateDir = join(dir, 'state');
const modelDir = join(dir, 'models');

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** A second version of the detector: the same weights under another version number, in an extra model folder. */
function addDetectorVersion(version: string): string {
  const src = join(REPO_ROOT, 'node_modules', '@gutenye', 'ocr-models', 'assets', 'ch_PP-OCRv4_det_infer.onnx');
  const folder = join(modelDir, 'pp-ocrv4-det');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `det-${version}.onnx`);
  copyFileSync(src, file);
  const yaml = readFileSync(join(REPO_ROOT, 'models', 'pp-ocrv4-det', '4.0.0.yaml'), 'utf8')
    .replace(/^version: .*$/m, `version: ${version}`)
    .replace(/^    package: .*\n/m, '')
    .replace(/^    path: .*$/m, `    path: ${file}`)
    .replace(/^    sha256: .*$/m, `    sha256: ${sha256(file)}`)
    .replace(/^  expected: .*$/m, `  expected: ${join(REPO_ROOT, 'models', 'pp-ocrv4-det', '4.0.0.selftest.json')}`);
  writeFileSync(join(folder, `${version}.yaml`), yaml);
  return file;
}

describe('model versions at daemon start-up', () => {
  it('rolls a version that fails at start-up back to the previous one and keeps running', async (t) => {
    if (!requireProgram(t, 'ffmpeg')) return;
    const file = addDetectorVersion('4.1.0');
    const config = join(dir, 'config.yaml');
    writeFileSync(config, [
      'deviceId: model-startup',
      `stateDir: ${stateDir}`,
      'inference:',
      `  modelDirs: [${modelDir}]`,
      'capture:',
      '  camera:',
      '    source: "lavfi:color=c=gray:size=320x180:rate=2"',
      '    width: 320',
      '    height: 180',
      '    fps: 2',
      'analysis:',
      '  visionIntervalMs: 2000',
      'mqtt:',
      '  url: embedded',
      '  embeddedPort: 0',
      '',
    ].join('\n'));
    // 4.0.0 in service, then 4.1.0 activated over it (it passes its self-test then).
    for (const ref of ['pp-ocrv4-det@4.0.0', 'pp-ocrv4-det@4.1.0']) {
      const act = runCliSync(['models', 'activate', ref, '-c', config, '--json'], { timeoutMs: 120_000 });
      assert.equal(act.status, 0, act.stderr);
    }

    // The file of the active version is damaged after it was activated.
    const bytes = readFileSync(file);
    bytes.fill(0, 1000, 5000);
    writeFileSync(file, bytes);

    const child = spawnCli(['run', '-c', config]);
    t.after(() => child.kill('SIGKILL'));
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    const deadline = Date.now() + 90_000;
    while (!/faultsense running/.test(stderr) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.match(stderr, /model pp-ocrv4-det@4\.1\.0 failed at start-up .*rolled back to pp-ocrv4-det@4\.0\.0/);
    assert.match(stderr, /OCR models: pp-ocrv4-det@4\.0\.0, pp-ocrv4-rec@4\.0\.0 \(self-tests passed\)/);
    assert.match(stderr, /faultsense running/);
    child.kill('SIGTERM');
    assert.equal(await exited(child), 0, stderr.slice(-2000));

    const list = runCliSync(['models', 'list', '-c', config, '--json']);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /"active": "4\.0\.0"/);
  });
});

/** A second Silero VAD version in the extra model folder (the same weights, a local copy). */
function addVadVersion(version: string): string {
  const src = join(REPO_ROOT, 'node_modules', '@ricky0123', 'vad-node', 'dist', 'silero_vad.onnx');
  const folder = join(modelDir, 'silero-vad');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `silero-${version}.onnx`);
  copyFileSync(src, file);
  const yaml = readFileSync(join(REPO_ROOT, 'models', 'silero-vad', '4.0.0.yaml'), 'utf8')
    .replace(/^version: .*$/m, `version: ${version}`)
    .replace(/^    package: .*\n/m, '')
    .replace(/^    path: .*$/m, `    path: ${file}`)
    .replace(/^    sha256: .*$/m, `    sha256: ${sha256(file)}`)
    .replace(/^  expected: .*$/m, `  expected: ${join(REPO_ROOT, 'models', 'silero-vad', '4.0.0.selftest.json')}`);
  writeFileSync(join(folder, `${version}.yaml`), yaml);
  return file;
}

describe('the speech-detection model at daemon start-up (issue 21, finding 9)', () => {
  it('is opened through the registry: its active version is used, and a damaged file is caught by its sha256', async (t) => {
    if (!requireProgram(t, 'ffmpeg')) return;
    const vadDir = tempDir();
    const file = addVadVersion('4.0.1');
    const config = join(vadDir, 'config.yaml');
    writeFileSync(config, [
      'deviceId: vad-startup', `stateDir: ${join(vadDir, 'state')}`,
      'inference:', `  modelDirs: [${modelDir}]`, '  selfTestOnStart: false',
      'capture:', '  microphone:', '    source: "lavfi:sine=frequency=440:sample_rate=16000"',
      'mqtt:', '  url: embedded', '  embeddedPort: 0', '',
    ].join('\n'));
    const runUntil = async (done: RegExp): Promise<{ stderr: string; code: number | string }> => {
      const child = spawnCli(['run', '-c', config]);
      t.after(() => child.kill('SIGKILL'));
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
      const deadline = Date.now() + 60_000;
      while (!done.test(stderr) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      if (child.exitCode === null) child.kill('SIGTERM');
      return { stderr, code: await exited(child) };
    };
    const good = await runUntil(/faultsense running/);
    assert.match(good.stderr, /speech detection model: silero-vad@4\.0\.1/, good.stderr.slice(-2000));
    assert.equal(good.code, 0, good.stderr.slice(-2000));

    const bytes = readFileSync(file);
    bytes.fill(0, 1000, 5000);
    writeFileSync(file, bytes);
    const bad = await runUntil(/faultsense running|failed to start/);
    assert.match(bad.stderr, /silero-vad@4\.0\.1.*sha256/, bad.stderr.slice(-2000));
    assert.doesNotMatch(bad.stderr, /faultsense running/, 'the daemon does not run a damaged model file');
  });
});
