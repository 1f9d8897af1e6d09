// Live baseline learning: the daemon's `learning` mode. While learning, the
// capture callbacks hand camera frames and microphone windows to this learner
// (cheaply: a bounded, evenly thinned sample is kept); when the time is up, or
// on `stop`, both modalities are fitted, written as a new baseline directory
// <stateDir>/baselines/<timestamp>/ (the `faultsense baseline fit` format),
// checked by loading it, recorded in active.json, and the daemon is asked to
// restart the pipeline so the analyzers load it.
//
//   monitoring ──start──▶ learning ──time up / stop──▶ fitting ──▶ monitoring (pipeline restarts)
//                            └──cancel──▶ monitoring
//
// Analysis is untouched while learning: scores from the baseline in use (if
// any) keep coming, and diagnoses without a baseline still work (alarm codes,
// acoustic events).
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultMelParams } from '../audio/mel.js';
import { loadAudioBaseline } from '../baseline/audio.js';
import { readBaselineDocument } from '../baseline/store.js';
import { loadVisionBaseline } from '../baseline/vision.js';
import type { SessionOpener } from '../inference/session.js';
import type { BuiltinArgs } from '../publish/commands.js';
import type { Component } from '../system/component.js';
import { getLogger, type Logger } from '../system/logger.js';
import type { AudioWindow, Frame } from '../types.js';
import {
  baselinesDir, clearActiveBaseline, readActiveBaseline, writeActiveBaseline, type BaselineChoice,
} from './active-baseline.js';
import { fitInWorker } from './learning-fit.js';
import { syncDir } from '../system/sync-dir.js';
import { carryOverModality, lumaFrame, stampOf, ThinnedSample } from './learning-sample.js';

/** cmd/baseline-learn's arguments (the schema is in the command registry, publish/commands.ts). */
export type BaselineLearnCommand = BuiltinArgs<'baseline-learn'>;

export type LearningMode = 'monitoring' | 'learning' | 'fitting';

export interface LiveBaselineLearnerOptions {
  stateDir: string;
  /** Learning time when a start names none (diagnosis.learnSeconds). */
  defaultSeconds: number;
  /** Learn at start-up when no baseline is in use (diagnosis.learnOnStart). */
  learnOnStart?: boolean;
  /** The baseline the analyzers use now; its parts the learner cannot learn are carried over. */
  current?: BaselineChoice;
  /** Microphone settings, when audio is analysed (undefined: no audio is learned). */
  audio?: { sampleRate: number; melBands: number; windowSec: number };
  /** Whether camera frames will arrive. */
  vision?: boolean;
  /** At most one frame per this many ms (frame time) is taken (default 500: ≤ 2 fps). */
  frameIntervalMs?: number;
  /** Frames kept for the fit (default 100); full-size 8-bit luma, so 640x480 needs 300 KB each. */
  maxFrames?: number;
  /** Audio kept for the fit, in seconds (default 300). */
  maxAudioSeconds?: number;
  /** Learned baseline directories kept besides the active one (default 2). */
  keepLearned?: number;
  /** Asks the daemon to restart the pipeline (ComponentContext.requestReload). */
  requestReload?: (reason: string) => void;
  /** How the load check opens the learned graphs (the daemon's engine); default onnxruntime-node on the CPU. */
  openSession?: SessionOpener;
  log?: Logger;
}

export type LearnResult =
  | { ok: true; dir: string; modalities: Array<'audio' | 'vision'>; carriedOver: Array<'audio' | 'vision'>; windows: number; frames: number; learnedSeconds: number; fitMs: number; warnings: string[]; finishedAt: string }
  | { ok: false; error: string; windows: number; frames: number; learnedSeconds: number; finishedAt: string };

interface Session {
  seconds: number;
  startedAt: number;
  endsAt: number;
  trigger: string;
  frames: ThinnedSample<Frame>;
  windows: ThinnedSample<AudioWindow>;
  lastFrameTs: number;
  lastAudioEnd: number;
  framesSeen: number;
  windowsSeen: number;
  speechRejected: number;
  rejected: string | undefined;
  timer: NodeJS.Timeout | undefined;
  done: Promise<LearnResult | undefined>;
  settle: (r: LearnResult | undefined) => void;
}

const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

export class LiveBaselineLearner implements Component {
  readonly name = 'baseline';
  private modeNow: LearningMode = 'monitoring';
  private session: Session | undefined;
  private fitStage = '';
  private fitting: Promise<unknown> | undefined;
  private last: LearnResult | undefined;
  private stopped = false;
  private abortFit: AbortController | undefined;
  private readonly log: Logger;
  private readonly frameIntervalMs: number;
  private readonly maxFrames: number;
  private readonly maxWindows: number;

  constructor(private readonly opts: LiveBaselineLearnerOptions) {
    this.log = opts.log ?? getLogger('baseline.live');
    this.frameIntervalMs = opts.frameIntervalMs ?? 500;
    this.maxFrames = Math.max(10, opts.maxFrames ?? 100);
    this.maxWindows = Math.max(10, Math.round((opts.maxAudioSeconds ?? 300) / (opts.audio?.windowSec ?? 1)));
  }

  get mode(): LearningMode { return this.modeNow; }
  get lastResult(): LearnResult | undefined { return this.last; }

  async start(): Promise<void> {
    this.stopped = false;
    this.removeLeftovers();
    if (this.opts.learnOnStart && (this.opts.current?.origin ?? 'none') === 'none') {
      try {
        this.begin(this.opts.defaultSeconds, 'diagnosis.learnOnStart');
      } catch (err) {
        this.log.warn(`cannot learn a baseline at start-up: ${(err as Error).message}`);
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.modeNow === 'learning') this.cancel('the daemon is stopping');
    this.abortFit?.abort();
    await this.fitting;
  }

  /** Starts learning for `seconds`. Throws (with what to do) when already learning or when nothing can be learned. */
  begin(seconds = this.opts.defaultSeconds, trigger = 'command'): Record<string, unknown> {
    if (this.modeNow !== 'monitoring') {
      throw new Error(`already ${this.modeNow}${this.session ? ` (${this.secondsLeft()} s left)` : ''}; send {"action":"stop"} to fit now or {"action":"cancel"} to discard`);
    }
    if (!this.opts.audio && !this.opts.vision) {
      throw new Error('nothing to learn from: no camera and no analysed microphone are configured (capture.camera, capture.microphone, analysis.audio.enabled)');
    }
    if (!(seconds > 0)) throw new Error(`learning time must be positive, got ${seconds} s`);
    const now = Date.now();
    let settle!: (r: LearnResult | undefined) => void;
    const done = new Promise<LearnResult | undefined>((r) => { settle = r; });
    const s: Session = {
      seconds, startedAt: now, endsAt: now + seconds * 1000, trigger,
      frames: new ThinnedSample<Frame>(this.maxFrames), windows: new ThinnedSample<AudioWindow>(this.maxWindows),
      lastFrameTs: -Infinity, lastAudioEnd: -Infinity, framesSeen: 0, windowsSeen: 0, speechRejected: 0, rejected: undefined,
      timer: undefined, done, settle,
    };
    s.timer = setTimeout(() => { void this.finish(); }, seconds * 1000);
    this.session = s;
    this.modeNow = 'learning';
    this.log.info(`learning a baseline for ${seconds} s (${trigger}); keep the machine running normally`, {
      audio: Boolean(this.opts.audio), vision: Boolean(this.opts.vision),
    });
    return { mode: 'learning', seconds, endsAt: new Date(s.endsAt).toISOString(), audio: Boolean(this.opts.audio), vision: Boolean(this.opts.vision) };
  }

  /** A camera frame; cheap when not learning or between the ≤ 2 fps picks. */
  addFrame(frame: Frame): void {
    const s = this.session;
    if (this.modeNow !== 'learning' || !s || !this.opts.vision) return;
    if (frame.ts - s.lastFrameTs < this.frameIntervalMs) return;
    s.lastFrameTs = frame.ts;
    s.framesSeen++;
    if (s.frames.wants()) {
      try {
        s.frames.add(lumaFrame(frame));
      } catch (err) {
        s.rejected = (err as Error).message;
        s.frames.skip();
      }
    } else {
      s.frames.skip();
    }
  }

  /** A microphone window; overlapping windows (hopSec < windowSec) are skipped so no audio is counted twice. */
  addAudio(window: AudioWindow): void {
    const s = this.session;
    const a = this.opts.audio;
    if (this.modeNow !== 'learning' || !s || !a) return;
    if (window.sampleRate !== a.sampleRate) {
      s.rejected = `audio window from ${window.source} is ${window.sampleRate} Hz, expected ${a.sampleRate} Hz`;
      return;
    }
    if (window.ts < s.lastAudioEnd - 5) return;
    s.lastAudioEnd = window.ts + (window.samples.length / window.sampleRate) * 1000;
    s.windowsSeen++;
    if (s.windows.wants()) s.windows.add({ ...window, samples: window.samples.slice() });
    else s.windows.skip();
  }

  /** A window turned out to hold speech (or other unusable sound): leave it out of the fit. */
  rejectAudio(seq: number): void {
    const s = this.session;
    if (this.modeNow !== 'learning' || !s) return;
    if (s.windows.remove((w) => w.seq === seq)) s.speechRejected++;
  }

  /** Ends learning now and fits what was collected; resolves with the result. */
  finish(): Promise<LearnResult | undefined> {
    const s = this.session;
    if (this.modeNow !== 'learning' || !s) return Promise.resolve(undefined);
    clearTimeout(s.timer);
    this.modeNow = 'fitting';
    this.fitStage = 'starting';
    const run = this.fit(s).catch((err: unknown): LearnResult => ({
      ok: false, error: `fitting failed: ${(err as Error).message}`, windows: s.windows.size, frames: s.frames.size,
      learnedSeconds: this.learnedSeconds(s), finishedAt: new Date().toISOString(),
    })).then((r) => {
      this.last = r;
      this.modeNow = 'monitoring';
      this.session = undefined;
      if (r.ok) this.log.info(`learned baseline written to ${r.dir}`, { modalities: r.modalities, windows: r.windows, frames: r.frames, fitMs: r.fitMs });
      else this.log.error(`live baseline learning failed: ${r.error}`);
      s.settle(r);
      if (r.ok) this.requestReload(`baseline learned (${r.modalities.join(' + ')}) into ${r.dir}`);
      return r;
    });
    this.fitting = run;
    return run;
  }

  /** Discards what was collected. */
  cancel(why = 'cancelled by command'): { windows: number; frames: number } {
    const s = this.session;
    if (this.modeNow !== 'learning' || !s) throw new Error(`not learning (mode ${this.modeNow}); nothing to cancel`);
    clearTimeout(s.timer);
    this.session = undefined;
    this.modeNow = 'monitoring';
    this.log.warn(`baseline learning stopped without fitting: ${why}`);
    s.settle(undefined);
    return { windows: s.windows.size, frames: s.frames.size };
  }

  /** Resolves when the current learning session has ended (fitted, failed or cancelled). */
  whenDone(): Promise<LearnResult | undefined> {
    return this.session?.done ?? Promise.resolve(this.last);
  }

  /** Handles cmd/baseline-learn; errors are thrown with what to do next. */
  async command(args: BaselineLearnCommand): Promise<unknown> {
    switch (args.action) {
      case 'start':
        return { ...this.begin(args.seconds ?? this.opts.defaultSeconds, 'command'), note: 'health shows the progress; when done the pipeline restarts with the learned baseline' };
      case 'stop': {
        if (this.modeNow !== 'learning') throw new Error(`not learning (mode ${this.modeNow}); send {"action":"start"} first`);
        const collected = { windows: this.session!.windows.size, frames: this.session!.frames.size };
        void this.finish();
        return { mode: 'fitting', ...collected, note: 'fitting now; health shows the result, then the pipeline restarts with it' };
      }
      case 'cancel':
        return { mode: 'monitoring', discarded: this.cancel() };
      case 'reset': {
        if (this.modeNow !== 'monitoring') throw new Error(`cannot reset while ${this.modeNow}; send {"action":"cancel"} first`);
        if (!clearActiveBaseline(this.opts.stateDir)) throw new Error('no learned baseline is active; nothing to reset');
        this.requestReload('learned baseline reset by command');
        return { reset: true, note: 'the pipeline restarts with diagnosis.baseline (or none)' };
      }
      case 'status':
        return this.health();
    }
  }

  health(): Record<string, unknown> {
    const cur = this.opts.current;
    const out: Record<string, unknown> = {
      mode: this.modeNow,
      baseline: cur ? { dir: cur.dir ?? null, origin: cur.origin, reason: cur.reason } : { dir: null, origin: 'none' },
    };
    // Said outright: without a baseline nothing is compared against normal.
    const active = Boolean(cur && cur.origin !== 'none' && cur.dir);
    Object.assign(out.baseline as Record<string, unknown>, active ? { active: true, anomalyDetection: 'on' } : {
      active: false,
      anomalyDetection: 'off: no baseline is active; learn one (cmd/baseline-learn {"action":"start"}) or fit one (faultsense baseline fit) and set diagnosis.baseline',
    });
    const s = this.session;
    if (s) {
      out.learning = {
        progress: Math.min(1, Math.round(((Date.now() - s.startedAt) / (s.seconds * 1000)) * 1000) / 1000),
        secondsLeft: this.secondsLeft(), seconds: s.seconds, trigger: s.trigger,
        windows: s.windows.size, frames: s.frames.size, windowsSeen: s.windowsSeen, framesSeen: s.framesSeen,
        speechRejected: s.speechRejected, ...(s.rejected ? { lastRejected: s.rejected } : {}),
      };
    }
    if (this.modeNow === 'fitting') out.fitting = { stage: this.fitStage };
    if (this.last) out.last = this.last;
    return out;
  }

  private secondsLeft(): number {
    return this.session ? Math.max(0, Math.round((this.session.endsAt - Date.now()) / 100) / 10) : 0;
  }

  private learnedSeconds(s: Session): number {
    return Math.round((Math.min(Date.now(), s.endsAt) - s.startedAt) / 100) / 10;
  }

  private requestReload(reason: string): void {
    if (this.stopped) return;
    if (this.opts.requestReload) this.opts.requestReload(reason);
    else this.log.info(`${reason}; restart the daemon to use it`);
  }

  private async fit(s: Session): Promise<LearnResult> {
    const t0 = performance.now();
    const frames = s.frames.items();
    const windows = s.windows.items();
    const learnedSeconds = this.learnedSeconds(s);
    const root = baselinesDir(this.opts.stateDir);
    let name = stampOf(Date.now());
    for (let i = 2; existsSync(join(root, name)); i++) name = `${stampOf(Date.now())}-${i}`;
    const dir = resolve(root, name);
    const tmp = `${dir}.partial`;
    mkdirSync(tmp, { recursive: true });
    const failed = (error: string): LearnResult => {
      rmSync(tmp, { recursive: true, force: true });
      return { ok: false, error, windows: windows.length, frames: frames.length, learnedSeconds, finishedAt: new Date().toISOString() };
    };
    const a = this.opts.audio;
    const mel = a ? defaultMelParams(a.sampleRate, a.melBands) : undefined;
    const frameSize = frames[0] ? { frameWidth: frames[0].width, frameHeight: frames[0].height } : {};
    const counts = { windows: windows.length, frames: frames.length };

    this.fitStage = `fitting ${[a ? `${counts.windows} audio windows` : '', this.opts.vision ? `${counts.frames} frames` : ''].filter(Boolean).join(' and ')}`;
    this.abortFit = new AbortController();
    let fitted: Array<'audio' | 'vision'>;
    let warnings: string[];
    try {
      ({ fitted, warnings } = await fitInWorker({
        outDir: tmp,
        ...(a ? { audio: { ...a, windows } } : {}),
        ...(this.opts.vision ? { frames } : {}),
      }, this.abortFit.signal));
    } catch (err) {
      return failed((err as Error).message);
    } finally {
      this.abortFit = undefined;
    }
    if (this.stopped) return failed('fitting was interrupted (the daemon is stopping)');
    if (fitted.length === 0) {
      return failed(`nothing could be fitted from ${learnedSeconds} s of learning (${warnings.join('; ')}); learn longer with the machine running normally`);
    }

    // Parts the learner could not learn this time stay as they were.
    const carriedOver: Array<'audio' | 'vision'> = [];
    const cur = this.opts.current?.dir;
    if (cur) {
      for (const m of ['audio', 'vision'] as const) {
        if (fitted.includes(m)) continue;
        try {
          if (carryOverModality(cur, tmp, m)) carriedOver.push(m);
        } catch (err) {
          warnings.push(`${m}: could not keep the part from ${cur}: ${(err as Error).message}`);
        }
      }
    }

    // Load it as the analyzers will; a baseline that fails here is never activated.
    this.fitStage = 'checking';
    await yieldToLoop();
    try {
      const doc = readBaselineDocument(tmp);
      if (doc.modalities.audio) await (await loadAudioBaseline(tmp, mel ?? {}, this.opts.openSession)).scorer.close();
      if (doc.modalities.vision) await (await loadVisionBaseline(tmp, frameSize, this.opts.openSession)).scorer.close();
    } catch (err) {
      return failed(`the learned baseline did not pass its load check: ${(err as Error).message}`);
    }

    this.fitStage = 'activating';
    renameSync(tmp, dir);
    syncDir(root);
    writeActiveBaseline(this.opts.stateDir, {
      dir, activated: new Date().toISOString(), origin: 'learned', modalities: [...fitted, ...carriedOver],
      learnedSeconds, ...counts,
    });
    this.prune(dir);
    const result: LearnResult = {
      ok: true, dir, modalities: fitted, carriedOver, ...counts, learnedSeconds,
      fitMs: Math.round(performance.now() - t0), warnings, finishedAt: new Date().toISOString(),
    };
    for (const w of warnings) this.log.warn(`learned baseline: ${w}`);
    return result;
  }

  /** Half-written directories from an interrupted fit. */
  private removeLeftovers(): void {
    const root = baselinesDir(this.opts.stateDir);
    if (!existsSync(root)) return;
    for (const e of readdirSync(root)) if (e.endsWith('.partial')) rmSync(join(root, e), { recursive: true, force: true });
  }

  /** Keeps the active learned directory and the `keepLearned` newest others. */
  private prune(active: string): void {
    const root = baselinesDir(this.opts.stateDir);
    const keep = this.opts.keepLearned ?? 2;
    let activeNow: string | undefined;
    try { activeNow = readActiveBaseline(this.opts.stateDir)?.dir; } catch { /* reported where it is read */ }
    const learned = readdirSync(root).filter((e) => /^\d{8}T\d{9}Z(-\d+)?$/.test(e)).sort().reverse()
      .map((e) => resolve(root, e)).filter((d) => d !== active && d !== (activeNow && resolve(activeNow)));
    for (const old of learned.slice(keep)) rmSync(old, { recursive: true, force: true });
  }
}
