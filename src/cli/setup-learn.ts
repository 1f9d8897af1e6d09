// `faultsense setup --learn-now SECONDS`: learns what normal looks and sounds
// like right away, from the configured camera and microphone (ffmpeg), with
// the daemon's own live learner (src/pipeline/live-learning.ts). Progress goes
// through the project's one progress reporter (a bar on a terminal, plain lines
// off one, JSON events with --json). The learner writes the baseline into
// <stateDir>/baselines/<stamp>.partial, checks that it loads, renames it into
// place and only then records it in active.json; a failure (no frames, too
// little sound) removes the partial folder and leaves the previous baseline in
// use. The daemon picks the learned baseline up at its next start.
import { chownSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createFrameSource, MicrophoneSource, type FrameSource } from '../capture/index.js';
import type { Config } from '../config/schema.js';
import { baselinesDir, chooseBaseline } from '../pipeline/active-baseline.js';
import { LiveBaselineLearner, type LearnResult } from '../pipeline/live-learning.js';
import type { Component } from '../system/component.js';
import { getLogger } from '../system/logger.js';
import { ProgressReporter } from '../system/progress.js';
import type { SetupCheck } from './setup-checks.js';

export interface LearnNowOptions {
  seconds: number;
  /** The command runs with --json: progress as JSON events on stderr. */
  json?: boolean;
  /** Checks already run: a failed camera or microphone check stops learning before it starts. */
  checks?: SetupCheck[];
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** How long the sources may take to deliver their first frame or window (default 30 s). */
  startTimeoutSec?: number;
}

export interface LearnNowReport {
  check: SetupCheck;
  result?: LearnResult;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Hands what root created in the state directory to the directory's owner, so the service can replace it later. */
function giveToStateOwner(stateDir: string, paths: string[]): void {
  if (process.getuid?.() !== 0) return;
  let owner;
  try { owner = statSync(stateDir); } catch { return; }
  if (owner.uid === 0) return;
  const walk = (p: string): void => {
    try {
      chownSync(p, owner.uid, owner.gid);
      if (lstatSync(p).isDirectory()) for (const n of readdirSync(p)) walk(join(p, n));
    } catch { /* the daemon reports what it cannot read */ }
  };
  for (const p of paths) walk(p);
}

export async function learnNow(config: Config, o: LearnNowOptions): Promise<LearnNowReport> {
  const fail = (detail: string, fix: string): LearnNowReport => ({ check: { id: 'learn', status: 'fail', detail, fix } });
  const cam = config.capture.camera;
  const mic = config.capture.microphone && config.analysis.audio.enabled ? config.capture.microphone : undefined;
  if (!cam && !mic) {
    return fail('nothing to learn from: no camera and no analysed microphone are configured',
      'pass --camera SOURCE and/or --microphone SOURCE, then run setup again with --learn-now SECONDS');
  }
  const broken = (o.checks ?? []).filter((c) => (c.id === 'camera' || c.id === 'microphone') && c.status === 'fail');
  if (broken.length) {
    return fail(`not learned: the ${broken.map((c) => c.id).join(' and ')} check failed (${broken.map((c) => c.detail).join('; ')})`,
      `fix the ${broken.map((c) => c.id).join(' and ')} first, then run setup again with --learn-now ${o.seconds}`);
  }

  mkdirSync(baselinesDir(config.stateDir), { recursive: true });
  giveToStateOwner(config.stateDir, [baselinesDir(config.stateDir)]); // the service writes its own learned baselines there later
  const current = chooseBaseline({
    configured: config.diagnosis.baseline, stateDir: config.stateDir,
    frameSize: cam ? { width: cam.width, height: cam.height } : undefined,
    audio: mic ? { sampleRate: mic.sampleRate, melBands: config.analysis.audio.melBands } : undefined,
  });
  const log = getLogger('setup.learn');
  const learner = new LiveBaselineLearner({
    stateDir: config.stateDir, defaultSeconds: o.seconds, current, vision: Boolean(cam),
    audio: mic ? { sampleRate: mic.sampleRate, melBands: config.analysis.audio.melBands, windowSec: mic.windowSec } : undefined,
    // The daemon loads it at its next start; nothing to reload here.
    requestReload: () => undefined,
    log,
  });
  const sources: Component[] = [];
  const healthOf = (c: Component): Record<string, unknown> => c.health?.() ?? {};
  // Learning time counts from the moment every source delivers (ffmpeg takes a moment to open a device or stream).
  const delivered = new Set<string>();
  if (cam) {
    const camera: FrameSource = createFrameSource(cam, 'camera');
    camera.on('frame', (f) => { delivered.add('camera'); learner.addFrame(f); });
    sources.push(camera);
  }
  if (mic) {
    const m = new MicrophoneSource(mic);
    m.on('window', (w) => { delivered.add('microphone'); learner.addAudio(w); });
    sources.push(m);
  }

  const progress = new ProgressReporter({ task: 'baseline learn', unit: 's', json: o.json, ...(o.stream ? { stream: o.stream } : {}) });
  await learner.start();
  for (const s of sources) await s.start();
  const waitUntil = Date.now() + (o.startTimeoutSec ?? 30) * 1000;
  const allFailed = () => sources.every((s) => healthOf(s).state === 'failed');
  while (delivered.size < sources.length && Date.now() < waitUntil && !allFailed()) {
    progress.update(0, o.seconds, `waiting for ${sources.filter((s) => !delivered.has(s.name)).map((s) => s.name).join(' and ')}`);
    await sleep(100);
  }
  if (delivered.size === 0) {
    const why = sources.map((s) => `${s.name}: ${String(healthOf(s).lastError ?? healthOf(s).state)}`).join('; ');
    for (const s of [...sources].reverse()) await s.stop().catch(() => undefined);
    progress.end('stopped: no source delivered, nothing was learned');
    return fail(`not learned: no camera frame or microphone window arrived within ${o.startTimeoutSec ?? 30} s (${why})`,
      'check the camera/microphone sources (the checks above; a running faultsense service holds the devices: systemctl stop faultsense), then run setup again with --learn-now');
  }
  learner.begin(o.seconds, 'faultsense setup --learn-now');
  const done = learner.whenDone();
  let settled: LearnResult | undefined | null = null;
  void done.then((r) => { settled = r; });
  let stoppedSources = false;
  const stopSources = async () => {
    if (stoppedSources) return;
    stoppedSources = true;
    for (const s of [...sources].reverse()) await s.stop().catch(() => undefined);
  };
  try {
    while (settled === null) {
      const h = learner.health();
      const l = h.learning as { seconds: number; secondsLeft: number; frames: number; windows: number } | undefined;
      if (l) {
        const parts = [cam ? `${l.frames} frames` : '', mic ? `${l.windows} audio windows` : ''].filter(Boolean).join(', ');
        progress.update(Math.round((l.seconds - l.secondsLeft) * 10) / 10, l.seconds, parts);
      } else if (learner.mode === 'fitting') {
        await stopSources(); // capture is done: fitting gets the CPU
        progress.update(o.seconds, o.seconds, `fitting: ${(h.fitting as { stage?: string } | undefined)?.stage ?? ''}`);
      }
      // Every source gave up (a device that does not exist, a file that cannot be read): stop early.
      if (learner.mode === 'learning' && allFailed()) {
        learner.cancel('every source failed');
        break;
      }
      await Promise.race([done, sleep(250)]);
    }
  } finally {
    await stopSources();
  }
  const result = await done;
  if (!result) {
    const why = sources.map((s) => `${s.name}: ${String(healthOf(s).lastError ?? healthOf(s).state)}`).join('; ');
    progress.end('stopped: every source failed, nothing was learned');
    return fail(`not learned: no source delivered (${why})`, 'check the camera/microphone sources (a running faultsense service holds the devices: systemctl stop faultsense), then run setup again with --learn-now');
  }
  if (!result.ok) {
    progress.end(`failed: ${result.error}`);
    const kept = current.origin === 'none' ? 'no baseline was in use before, none is now' : `the baseline in use stays ${current.dir}`;
    return {
      result,
      check: {
        id: 'learn', status: 'fail',
        detail: `not learned from ${result.learnedSeconds} s (${result.windows} audio windows, ${result.frames} frames): ${result.error}; ${kept}`,
        fix: `keep the machine running normally and learn longer: faultsense setup --non-interactive --learn-now ${Math.max(60, o.seconds * 2)} -c FILE`,
      },
    };
  }
  giveToStateOwner(config.stateDir, [baselinesDir(config.stateDir)]);
  const summary = `learned ${result.modalities.join(' + ')} from ${result.learnedSeconds} s (${result.frames} frames, ${result.windows} audio windows) into ${result.dir}`;
  progress.end(summary);
  return {
    result,
    check: result.warnings.length
      ? { id: 'learn', status: 'warn', detail: `${summary}; ${result.warnings.join('; ')}`, fix: 'learn again longer for the missing part: faultsense setup --non-interactive --learn-now SECONDS' }
      : { id: 'learn', status: 'pass', detail: `${summary}; the daemon uses it from its next start` },
  };
}
