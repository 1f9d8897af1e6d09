// Live baseline learning with real decoded media (demo/normal.wav, frames of
// demo/demo.mp4 through ffmpeg), real fitting in the worker thread, and the
// fitted ONNX baselines loaded back through ONNX Runtime.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { defaultMelParams } from '../../src/audio/mel.js';
import { loadAudioBaseline } from '../../src/baseline/audio.js';
import { decodeAudioFile, videoFrames } from '../../src/baseline/decode.js';
import { readBaselineDocument } from '../../src/baseline/store.js';
import { loadVisionBaseline } from '../../src/baseline/vision.js';
import {
  activeBaselineFile, chooseBaseline, readActiveBaseline, writeActiveBaseline,
} from '../../src/pipeline/active-baseline.js';
import { ThinnedSample } from '../../src/pipeline/learning-sample.js';
import { bindCommand } from '../../src/publish/commands.js';
import { LiveBaselineLearner, type LearnResult, type LiveBaselineLearnerOptions } from '../../src/pipeline/live-learning.js';
import { CommandRouter } from '../../src/publish/commands.js';
import { JsonCodec } from '../../src/publish/codec.js';
import { DeviceTopics } from '../../src/publish/topics.js';
import { getLogger } from '../../src/system/logger.js';
import type { AudioWindow, Frame } from '../../src/types.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { missingPrograms } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';

const AUDIO = { sampleRate: 16000, melBands: 64, windowSec: 1 };
let windows: AudioWindow[] = [];
let frames: Frame[] = [];

before(async () => {
  if (missingPrograms(['ffmpeg'], 'live-learning tests').length) return;
  const pcm = await decodeAudioFile(join(REPO_ROOT, 'demo', 'normal.wav'), 16000);
  for (let i = 0; (i + 1) * 16000 <= pcm.length && i < 12; i++) {
    const samples = new Int16Array(16000);
    for (let k = 0; k < samples.length; k++) samples[k] = Math.round(pcm[i * 16000 + k]! * 32767);
    windows.push({ samples, sampleRate: 16000, ts: 1_000_000 + i * 1000, seq: i, source: 'mic:normal.wav' });
  }
  // The first 8 s of the demo video are the normal panel; 4 fps gives 32 frames 250 ms apart.
  for await (const f of videoFrames(join(REPO_ROOT, 'demo', 'demo.mp4'), 4)) {
    if (frames.length >= 32) break;
    frames.push({ ...f, ts: 1_000_000 + frames.length * 250 });
  }
});

function ready(t: { skip: (m: string) => void }): boolean {
  if (windows.length && frames.length) return true;
  t.skip('ffmpeg is not installed');
  return false;
}

function learner(stateDir: string, extra: Partial<LiveBaselineLearnerOptions> = {}): { l: LiveBaselineLearner; reloads: string[] } {
  const reloads: string[] = [];
  const l = new LiveBaselineLearner({
    stateDir, defaultSeconds: 300, audio: AUDIO, vision: true, requestReload: (r) => reloads.push(r), ...extra,
  });
  return { l, reloads };
}

function feed(l: LiveBaselineLearner, nWindows = windows.length, nFrames = frames.length): void {
  for (const w of windows.slice(0, nWindows)) l.addAudio(w);
  for (const f of frames.slice(0, nFrames)) l.addFrame(f);
}

describe('ThinnedSample', () => {
  it('stays within its bound and evenly spread however many items are offered', () => {
    const s = new ThinnedSample<number>(10);
    for (let i = 0; i < 1000; i++) {
      if (s.wants()) s.add(i);
      else s.skip();
    }
    const kept = s.items();
    assert.ok(kept.length <= 10 && kept.length >= 5, `kept ${kept.length}`);
    const gaps = kept.slice(1).map((v, i) => v - kept[i]!);
    assert.ok(gaps.every((g) => g === gaps[0]), `uneven gaps ${gaps.join(',')}`);
    assert.ok(kept.at(-1)! >= 800, `the sample must reach the end of the run, last kept ${kept.at(-1)}`);
  });
});

describe('LiveBaselineLearner', () => {
  it('learns audio and vision, writes a loadable baseline, records it in active.json and asks for a restart', async (t) => {
    if (!ready(t)) return;
    const state = tempDir();
    const { l, reloads } = learner(state);
    await l.start();
    assert.equal(l.mode, 'monitoring');
    l.begin(2);
    feed(l);
    const h = l.health() as { mode: string; learning: { windows: number; frames: number; secondsLeft: number; progress: number } };
    assert.equal(h.mode, 'learning');
    assert.equal(h.learning.windows, windows.length);
    assert.equal(h.learning.frames, 16, 'frames 250 ms apart are taken at most every 500 ms');
    assert.ok(h.learning.secondsLeft > 0 && h.learning.secondsLeft <= 2);
    const r = await l.whenDone() as Extract<LearnResult, { ok: true }>;
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.deepEqual(r.modalities.sort(), ['audio', 'vision']);
    assert.equal(l.mode, 'monitoring');
    assert.ok(r.dir.startsWith(join(state, 'baselines')) && existsSync(join(r.dir, 'baseline.json')));
    assert.deepEqual(readdirSync(join(state, 'baselines')).filter((e) => e.endsWith('.partial')), []);

    const audio = await loadAudioBaseline(r.dir, defaultMelParams(16000, 64));
    await audio.scorer.close();
    const vision = await loadVisionBaseline(r.dir, { frameWidth: 640, frameHeight: 360 });
    const scored = await vision.scorer.score(frames[5]!);
    await vision.scorer.close();
    assert.ok(Number.isFinite(scored.score) && scored.score < 5, `a normal frame scores ${scored.score}`);
    assert.equal(readBaselineDocument(r.dir).modalities.audio?.params.sampleRate, 16000);

    const active = readActiveBaseline(state)!;
    assert.equal(active.dir, r.dir);
    assert.equal(active.windows, windows.length);
    assert.equal(active.frames, 16);
    assert.equal(JSON.parse(readFileSync(activeBaselineFile(state), 'utf8')).origin, 'learned');
    assert.equal(reloads.length, 1);
    assert.match(reloads[0]!, /baseline learned/);
    const health = l.health() as { last: LearnResult };
    assert.equal(health.last.ok, true);
  });

  it('stop fits early; too little data is a clear error result and activates nothing', async (t) => {
    if (!ready(t)) return;
    const state = tempDir();
    const { l, reloads } = learner(state);
    const router = new CommandRouter({ enabled: true, maxPayloadBytes: 4096, timeoutMs: 5000 }, new DeviceTopics('faultsense', 'dev'), new JsonCodec(), getLogger('test'),
      [bindCommand('baseline-learn', (a) => l.command(a))]);
    const send = async (body: unknown) => (await router.handle({ name: 'baseline-learn', payload: Buffer.from(JSON.stringify(body)) })).reply;

    const started = await send({ action: 'start', seconds: 60 });
    assert.equal(started.ok, true, JSON.stringify(started));
    assert.equal((started.result as { mode: string }).mode, 'learning');
    const again = await send({ action: 'start' });
    assert.equal(again.ok, false);
    assert.match(again.error!, /already learning/);
    feed(l, 2, 3);
    const t0 = Date.now();
    const stopped = await send({ action: 'stop' });
    assert.equal(stopped.ok, true, JSON.stringify(stopped));
    assert.equal((stopped.result as { mode: string }).mode, 'fitting');
    const r = await l.whenDone();
    assert.ok(Date.now() - t0 < 30_000);
    assert.ok(r && !r.ok);
    assert.match(r.error, /nothing could be fitted/);
    assert.match(r.error, /audio: only 2\.0 s of audio/);
    assert.match(r.error, /vision: only 2 frame/);
    assert.equal(l.mode, 'monitoring');
    assert.equal(readActiveBaseline(state), undefined);
    assert.deepEqual(reloads, []);
    assert.deepEqual(readdirSync(join(state, 'baselines')), [], 'the half-written directory is removed');

    // A second session, stopped after enough data, fits.
    assert.equal((await send({ action: 'start', seconds: 60 })).ok, true);
    feed(l);
    assert.equal((await send({ action: 'stop' })).ok, true);
    const r2 = await l.whenDone();
    assert.ok(r2?.ok, JSON.stringify(r2));
    assert.ok(r2.learnedSeconds < 60);
    assert.equal(readActiveBaseline(state)?.dir, r2.dir);

    const notLearning = await send({ action: 'stop' });
    assert.equal(notLearning.ok, false);
    assert.match(notLearning.error!, /not learning/);
    const bad = await send({ action: 'forget' });
    assert.equal(bad.code, 'invalid_args');
    const reset = await send({ action: 'reset' });
    assert.equal(reset.ok, true);
    assert.equal(readActiveBaseline(state), undefined);
    assert.equal(reloads.length, 2);
    const resetAgain = await send({ action: 'reset' });
    assert.match(resetAgain.error!, /no learned baseline is active/);
  });

  it('cancel discards; speech-rejected windows are left out; no sources is an error', async (t) => {
    if (!ready(t)) return;
    const state = tempDir();
    const { l } = learner(state);
    l.begin(60);
    feed(l, 6, 0);
    l.rejectAudio(3);
    assert.equal((l.health() as { learning: { windows: number; speechRejected: number } }).learning.windows, 5);
    assert.deepEqual(await l.command({ action: 'cancel' }), { mode: 'monitoring', discarded: { windows: 5, frames: 0 } });
    assert.equal(await l.whenDone(), undefined);
    assert.equal(l.mode, 'monitoring');
    const none = new LiveBaselineLearner({ stateDir: state, defaultSeconds: 5 });
    assert.throws(() => none.begin(), /nothing to learn from/);
  });

  it('a daemon stop while fitting ends the worker and activates nothing', async (t) => {
    if (!ready(t)) return;
    const state = tempDir();
    const { l, reloads } = learner(state);
    l.begin(60);
    feed(l);
    const fitting = l.finish();
    assert.equal(l.mode, 'fitting');
    assert.match(JSON.stringify(l.health()), /"fitting":\{"stage":"fitting 12 audio windows and 16 frames"\}/);
    await l.stop();
    const r = await fitting;
    assert.ok(r && !r.ok);
    assert.match(r.error, /interrupted/);
    assert.equal(readActiveBaseline(state), undefined);
    assert.deepEqual(reloads, []);
  });

  it('learnOnStart learns only when no baseline is in use; stop during learning discards it', async () => {
    const state = tempDir();
    const a = learner(state, { learnOnStart: true, current: { origin: 'none', reason: 'none' } });
    await a.l.start();
    assert.equal(a.l.mode, 'learning');
    await a.l.stop();
    assert.equal(a.l.mode, 'monitoring');
    const b = learner(state, { learnOnStart: true, current: { origin: 'configured', dir: '/x', reason: 'diagnosis.baseline' } });
    await b.l.start();
    assert.equal(b.l.mode, 'monitoring');
  });

  it('keeps the part it could not learn from the baseline in use', async (t) => {
    if (!ready(t)) return;
    const first = tempDir();
    const one = learner(first, { audio: undefined });
    one.l.begin(60);
    feed(one.l);
    await one.l.finish();
    const full = readActiveBaseline(first)!.dir;
    const state = tempDir();
    const { l } = learner(state, { vision: false, current: { origin: 'configured', dir: full, reason: 'diagnosis.baseline' } });
    l.begin(60);
    feed(l);
    const r = await l.finish();
    assert.ok(r?.ok, JSON.stringify(r));
    assert.deepEqual(r.modalities, ['audio']);
    assert.deepEqual(r.carriedOver, ['vision']);
    const v = await loadVisionBaseline(r.dir, { frameWidth: 640, frameHeight: 360 });
    await v.scorer.close();
  });
});

describe('chooseBaseline', () => {
  it('the newer of diagnosis.baseline and the learned one wins; a mismatched learned one is skipped', async (t) => {
    if (!ready(t)) return;
    const state = tempDir();
    assert.deepEqual(chooseBaseline({ stateDir: state }).origin, 'none');
    // Vision-only baselines fit fastest; they stand in for a configured directory here.
    const older = learner(tempDir(), { audio: undefined });
    older.l.begin(60);
    feed(older.l);
    const configured = (await older.l.finish())!;
    assert.ok(configured.ok);
    assert.equal(chooseBaseline({ stateDir: state, configured: configured.dir }).origin, 'configured');

    const { l } = learner(state);
    l.begin(60);
    feed(l);
    const learned = (await l.finish())!;
    assert.ok(learned.ok);
    const pick = chooseBaseline({ stateDir: state, configured: configured.dir, frameSize: { width: 640, height: 360 }, audio: AUDIO });
    assert.equal(pick.origin, 'learned');
    assert.equal(pick.dir, learned.dir);
    assert.equal(chooseBaseline({ stateDir: state }).dir, learned.dir, 'a learned baseline wins over none');

    // The camera was switched to another size: the learned vision part no longer fits.
    const other = chooseBaseline({ stateDir: state, configured: configured.dir, frameSize: { width: 1280, height: 720 } });
    assert.equal(other.origin, 'configured');

    // A baseline fitted (into diagnosis.baseline) after learning takes over again.
    const newer = learner(tempDir(), { audio: undefined });
    newer.l.begin(60);
    feed(newer.l);
    const refit = (await newer.l.finish())!;
    assert.ok(refit.ok);
    assert.equal(chooseBaseline({ stateDir: state, configured: refit.dir }).origin, 'configured');

    // A damaged active.json is ignored (with a warning), never fatal.
    writeActiveBaseline(state, { ...readActiveBaseline(state)!, dir: join(state, 'missing') });
    assert.equal(chooseBaseline({ stateDir: state, configured: configured.dir }).origin, 'configured');
  });
});
