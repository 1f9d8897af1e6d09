// `faultsense setup --learn-now`: learning normal from real ffmpeg sources (the
// demo video and the demo's normal machine sound, as files), with progress, a
// baseline the daemon's loaders accept, and a failure that leaves the previous
// baseline in use. And a rerun of setup keeps an explicit learnOnStart: false.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultMelParams } from '../../src/audio/mel.js';
import { loadAudioBaseline } from '../../src/baseline/audio.js';
import { readBaselineDocument } from '../../src/baseline/store.js';
import { loadVisionBaseline } from '../../src/baseline/vision.js';
import { loadConfig } from '../../src/config/load.js';
import { activeBaselineFile, chooseBaseline } from '../../src/pipeline/active-baseline.js';
import { REPO_ROOT, runCliSync } from '../helpers/cli.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';

interface Report {
  ok: boolean;
  checks: Array<{ id: string; status: string; detail: string; fix?: string }>;
  learned?: { ok: boolean; dir?: string; modalities?: string[]; frames: number; windows: number; error?: string };
}

function setup(args: string[]): { status: number | null; report: Report; stderr: string } {
  const r = runCliSync(['setup', '--non-interactive', '--mqtt', 'embedded', ...args], { timeoutMs: 240_000 });
  let report: Report;
  try { report = JSON.parse(r.stdout) as Report; } catch { assert.fail(`no JSON report (exit ${r.status}): ${r.stdout}\n${r.stderr}`); }
  return { status: r.status, report, stderr: r.stderr };
}

const check = (r: Report, id: string) => r.checks.find((c) => c.id === id)!;

describe('faultsense setup --learn-now', () => {
  it('learns a baseline from the demo media with progress; a later run with too little sound fails and keeps it', async (t) => {
    if (!requireProgram(t, 'ffmpeg', 'apt-get install -y ffmpeg')) return;
    const dir = tempDir('faultsense-setup-learn-');
    const file = join(dir, 'config.yaml');
    const state = join(dir, 'state');
    const camera = `file:${join(REPO_ROOT, 'demo', 'demo.mp4')}?loop=1`;
    const mic = `file:${join(REPO_ROOT, 'demo', 'normal.wav')}?loop=1`;
    const r = setup(['--json', '-c', file, '--state-dir', state, '--camera', camera, '--microphone', mic, '--learn-now', '7']);
    assert.equal(r.status, 0, r.stderr);
    const learned = r.report.learned!;
    assert.equal(learned.ok, true, JSON.stringify(learned));
    assert.deepEqual([...learned.modalities!].sort(), ['audio', 'vision']);
    assert.equal(check(r.report, 'learn').status, 'pass');
    assert.match(check(r.report, 'baseline').detail, /learned on this board/);

    // Progress: JSON events on stderr from the project's reporter, counting learning seconds up to the total.
    const events = r.stderr.split('\n').filter((l) => l.startsWith('{"progress"'))
      .map((l) => (JSON.parse(l) as { progress: { task: string; done: number; total: number; unit: string; summary?: string } }).progress);
    assert.ok(events.length >= 3, r.stderr);
    assert.ok(events.every((e) => e.task === 'baseline learn' && e.unit === 's' && e.total === 7));
    assert.ok(events.some((e) => e.done > 0 && e.done < 7), 'a step between start and end');
    assert.match(events.at(-1)!.summary ?? '', /learned (audio \+ vision|vision \+ audio) from/);

    // The daemon's choice and loaders accept it.
    const { config } = loadConfig(file, { env: {} });
    const choice = chooseBaseline({
      configured: config.diagnosis.baseline, stateDir: config.stateDir,
      frameSize: { width: config.capture.camera!.width, height: config.capture.camera!.height },
      audio: { sampleRate: config.capture.microphone!.sampleRate, melBands: config.analysis.audio.melBands },
    });
    assert.equal(choice.origin, 'learned');
    assert.equal(choice.dir, learned.dir);
    const doc = readBaselineDocument(learned.dir!);
    assert.ok(doc.modalities.audio && doc.modalities.vision);
    {
      await (await loadAudioBaseline(learned.dir!, defaultMelParams(config.capture.microphone!.sampleRate, config.analysis.audio.melBands))).scorer.close();
      await (await loadVisionBaseline(learned.dir!, { frameWidth: config.capture.camera!.width, frameHeight: config.capture.camera!.height })).scorer.close();

      // Too little sound (2 s, microphone only, plain lines off a terminal): fails saying what to do; the baseline stays.
      const active = readFileSync(activeBaselineFile(state), 'utf8');
      const again = runCliSync(['setup', '--non-interactive', '--mqtt', 'embedded', '-c', file, '--camera', 'none', '--microphone', mic, '--learn-now', '2'],
        { timeoutMs: 240_000 });
      assert.equal(again.status, 2, again.stderr);
      assert.match(again.stderr, /^baseline learn: \d+(\.\d)?\/2 s \(\d+%\)/m);
      assert.match(again.stdout, /FAIL learn: not learned from .*audio.*; the baseline in use stays /);
      assert.match(again.stdout, /→ keep the machine running normally and learn longer: faultsense setup --non-interactive --learn-now 60/);
      assert.equal(readFileSync(activeBaselineFile(state), 'utf8'), active, 'active.json is untouched');
      assert.ok(readBaselineDocument(learned.dir!).modalities.vision, 'the learned baseline is still there');
    }
  });

  it('a camera that delivers nothing fails the learn check with what to do, before any learning time runs', () => {
    const dir = tempDir('faultsense-setup-learn-');
    const r = setup(['--json', '-c', join(dir, 'config.yaml'), '--state-dir', join(dir, 'state'), '--camera', '/dev/video-faultsense-missing',
      '--microphone', 'none', '--learn-now', '5']);
    assert.equal(r.status, 2);
    const learn = check(r.report, 'learn');
    assert.equal(learn.status, 'fail');
    assert.match(learn.detail, /not learned: the camera check failed/);
    assert.match(learn.fix!, /fix the camera first/);
  });
});

describe('faultsense setup rerun', () => {
  it('keeps an explicit learnOnStart: false unless --learn-on-start is given', () => {
    const dir = tempDir('faultsense-setup-rerun-');
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'deviceId: press-07\ndiagnosis:\n  learnOnStart: false   # decided by the plant\n');
    const r = setup(['--json', '-c', file, '--state-dir', join(dir, 'state'), '--camera', 'none', '--microphone', 'none']);
    assert.notEqual(r.status, null);
    assert.equal(loadConfig(file, { env: {} }).config.diagnosis.learnOnStart, false);
    assert.match(readFileSync(file, 'utf8'), /learnOnStart: false\s+# decided by the plant/);
    // The explicit flag still changes it.
    setup(['--json', '-c', file, '--camera', 'none', '--microphone', 'none', '--learn-on-start']);
    assert.equal(loadConfig(file, { env: {} }).config.diagnosis.learnOnStart, true);
  });

  it('interactive: asks how long to learn now; 0 skips it, and an explicit learnOnStart is not asked again', () => {
    const dir = tempDir('faultsense-setup-rerun-');
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'deviceId: press-07\ndiagnosis:\n  learnOnStart: false\n');
    // device id, camera, microphone, broker, learn now (seconds)
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test', 'helpers', 'cli-entry.ts'), 'setup', '--interactive', '--json',
      '-c', file, '--state-dir', join(dir, 'state')], { cwd: REPO_ROOT, input: 'press-07\nnone\nnone\nembedded\n0\n', encoding: 'utf8', timeout: 120_000,
      env: { ...process.env, FAULTSENSE_LOG_FORMAT: 'json' } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /learn what normal looks and sounds like now, while the machine runs normally: seconds \(0: not now\) \[0\]: 0/);
    assert.doesNotMatch(r.stderr, /live after start\? \(y\/n\)/, 'the file already decides learnOnStart');
    assert.equal((JSON.parse(r.stdout) as Report).checks.find((c) => c.id === 'learn'), undefined, 'nothing learned');
    assert.equal(loadConfig(file, { env: {} }).config.diagnosis.learnOnStart, false);
  });
});
