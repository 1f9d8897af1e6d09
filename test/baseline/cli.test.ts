// `faultsense baseline fit` end to end: real files (WAV and a 44.1 kHz stereo
// MP3 made by ffmpeg), the real CLI, the baseline read back and used.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LogMel } from '../../src/audio/mel.js';
import { loadAudioBaseline } from '../../src/baseline/audio.js';
import { decodeAudioFile } from '../../src/baseline/decode.js';
import { normalRecordings } from '../fixtures/audio/sets.js';
import { machine, toPcm16, wavBytes, withFault } from '../fixtures/audio/synth.js';
import { runCliSync } from '../helpers/cli.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('faultsense-baseline-cli-');

function writeRecordings(): string[] {
  const files: string[] = [];
  for (const r of normalRecordings(3, 10)) {
    const f = join(dir, r.name);
    writeFileSync(f, wavBytes(toPcm16(r.samples)));
    files.push(f);
  }
  return files;
}

describe('faultsense baseline fit', () => {
  it('fits an audio baseline from files of any format and writes a usable directory', async (t) => {
    if (!requireProgram(t, 'ffmpeg')) return;
    const files = writeRecordings();
    // One recording as 44.1 kHz stereo MP3: ffmpeg must bring it to 16 kHz mono.
    const mp3 = join(dir, 'normal-2.mp3');
    const conv = spawnSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', files[2]!, '-ar', '44100', '-ac', '2', '-b:a', '192k', mp3]);
    assert.equal(conv.status, 0, conv.stderr?.toString());
    const out = join(dir, 'baseline');
    const r = runCliSync(['baseline', 'fit', '--audio', files[0]!, files[1]!, mp3, '--out', out, '--json'], { timeoutMs: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { ok: boolean; files: Array<{ path: string }>; baseline: { modalities: { audio: { inputs: string[]; params: { sampleRate: number; melBands: number }; calibration: { heldOut: number } } } } };
    assert.equal(result.ok, true);
    assert.deepEqual(result.files.map((f) => f.path).sort(), ['audio-anomaly.manifest.yaml', 'audio-anomaly.onnx', 'baseline.json']);
    for (const f of [...result.files.map((x) => x.path), 'audio-anomaly.manifest.selftest.json']) assert.ok(existsSync(join(out, f)), f);
    const audio = result.baseline.modalities.audio;
    assert.deepEqual(audio.inputs, [files[0], files[1], mp3]);
    assert.equal(audio.params.sampleRate, 16000);
    assert.equal(audio.params.melBands, 64);
    assert.ok(audio.calibration.heldOut >= 3);
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'baseline.json'), 'utf8')).modalities.audio.inputs, audio.inputs);

    // The directory works: a bearing fault written to a file and decoded scores far above normal.
    const normalFile = join(dir, 'check-normal.wav');
    const faultFile = join(dir, 'check-fault.wav');
    const base = machine({ seconds: 1, seed: 31337, level: 0.05 });
    writeFileSync(normalFile, wavBytes(toPcm16(base)));
    writeFileSync(faultFile, wavBytes(toPcm16(withFault(base, 'bearing', { seed: 5, relDb: -12 }))));
    const mel = new LogMel();
    const loaded = await loadAudioBaseline(out, mel.params);
    try {
      const normal = (await loaded.scorer.score(mel.compute(await decodeAudioFile(normalFile))))!;
      const fault = (await loaded.scorer.score(mel.compute(await decodeAudioFile(faultFile))))!;
      assert.ok(normal < 1.6 && fault > 2 * normal, `normal ${normal}, fault ${fault}`);
    } finally {
      await loaded.scorer.close();
    }

    const show = runCliSync(['baseline', 'show', out, '--json']);
    assert.equal(show.status, 0, show.stderr);
    assert.equal(JSON.parse(show.stdout).format, 'faultsense-baseline');

    // A second fit into the same directory needs --force.
    const again = runCliSync(['baseline', 'fit', '--audio', files[0]!, '--out', out]);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /is not empty; .*--force/);
  });

  it('fits audio and vision together from images and a video through the vision fitter', async (t) => {
    if (!requireProgram(t, 'ffmpeg')) return;
    const sharp = (await import('sharp')).default;
    const images: string[] = [];
    for (let i = 0; i < 6; i++) {
      const f = join(dir, `frame-${i}.png`);
      await sharp({ create: { width: 160, height: 90, channels: 3, background: { r: 90 + i, g: 100, b: 110 } } })
        .composite([{ input: { create: { width: 40, height: 30, channels: 3, background: { r: 200, g: 60, b: 40 } } }, left: 30, top: 20 }])
        .png().toFile(f);
      images.push(f);
    }
    const video = join(dir, 'camera.mp4');
    const v = spawnSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=0x5a646e:size=160x90:rate=5', '-t', '2', '-pix_fmt', 'yuv420p', video]);
    assert.equal(v.status, 0, v.stderr?.toString());
    const audio = join(dir, 'av-normal.wav');
    writeFileSync(audio, wavBytes(toPcm16(machine({ seconds: 8, seed: 9 }))));
    const out = join(dir, 'av-baseline');
    const r = runCliSync(['baseline', 'fit', '--audio', audio, '--image', ...images, '--video', video, '--fps', '5', '--out', out, '--json'], { timeoutMs: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(readFileSync(join(out, 'baseline.json'), 'utf8')) as { modalities: { audio?: { inputs: string[] }; vision?: { inputs: string[]; model: string } } };
    assert.deepEqual(doc.modalities.audio?.inputs, [audio]);
    assert.deepEqual(doc.modalities.vision?.inputs, [...images, video]);
    assert.ok(existsSync(join(out, doc.modalities.vision!.model)));
  });

  it('exits 2 with a message naming the file for missing, undecodable or too short audio', (t) => {
    if (!requireProgram(t, 'ffmpeg')) return;
    const missing = runCliSync(['baseline', 'fit', '--audio', join(dir, 'nope.wav'), '--out', join(dir, 'o1')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nope\.wav: no such file/);

    const text = join(dir, 'notes.wav');
    writeFileSync(text, 'this is not audio\n');
    const bad = runCliSync(['baseline', 'fit', '--audio', text, '--out', join(dir, 'o2')]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /cannot decode .*notes\.wav as audio/);
    assert.equal(existsSync(join(dir, 'o2')), false, 'nothing is written for a failed fit');

    const short = join(dir, 'short.wav');
    writeFileSync(short, wavBytes(toPcm16(machine({ seconds: 2, seed: 1 }))));
    const tooShort = runCliSync(['baseline', 'fit', '--audio', short, '--out', join(dir, 'o3')]);
    assert.equal(tooShort.status, 2);
    assert.match(tooShort.stderr, /only 2\.0 s of audio/);

    mkdirSync(join(dir, 'not-a-baseline'));
    const show = runCliSync(['baseline', 'show', join(dir, 'not-a-baseline')]);
    assert.equal(show.status, 2);
    assert.match(show.stderr, /baseline\.json is missing/);
  });
});
