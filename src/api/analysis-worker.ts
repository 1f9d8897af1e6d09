// Entry of an analysis worker process (started by analysis-pool.ts): analyses
// the image and audio files of the local API's questions with the same code as
// the in-process path (LocalMediaFindings), away from the daemon's event loop.
// It lowers the priority of all its threads before loading anything, opens its
// models through an InferenceService of its own (the registry's verified bytes,
// the configured accelerators), and reports every model run back so the
// daemon's /metrics and status page show them. It exits when the daemon goes.
import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { originOf } from '../inference/derived-files.js';
import { InferenceService } from '../inference/service.js';
import type { ModelSession, SessionOpener } from '../inference/session.js';
import { InputFileError, LocalMediaFindings } from '../pipeline/media-findings.js';
import { configureLogging } from '../system/logger.js';
import type { EngineStats, RunLabels } from '../inference/engine.js';
import type { AnalysisWorkerInit, FromWorker, RunReport, ToWorker } from './analysis-protocol.js';

const send = (m: FromWorker): void => { process.send?.(m); };

/**
 * Sets the nice value of every thread of this process (Linux's nice is per thread; new threads inherit it);
 * never below the nice the process already has (an unprivileged process cannot raise its priority).
 */
export function reniceProcess(nice: number): void {
  const target = Math.max(nice, getPriority(0));
  let tids: number[] = [];
  try { tids = readdirSync('/proc/self/task').map(Number).filter((n) => Number.isInteger(n)); } catch { /* not Linux */ }
  if (tids.length === 0) tids = [0];
  for (const tid of tids) {
    try { setPriority(tid, target); } catch { /* a thread that just ended */ }
  }
}

const activity: { loaded: RunLabels[]; runs: Array<[RunLabels, number]> } = { loaded: [], runs: [] };
let inference: InferenceService | undefined;
let findings: LocalMediaFindings | undefined;

function report(): RunReport {
  const r: RunReport = {
    loaded: activity.loaded.splice(0), runs: activity.runs.splice(0),
    sessions: (inference?.health().sessions ?? {}) as Record<string, EngineStats>,
  };
  return r;
}

let nextTurn = 1;
const turnWaiters = new Map<number, () => void>();

/** Sessions whose every run first asks the daemon for a turn (its pipeline's stages go first). */
function turnTaking(open: SessionOpener): SessionOpener {
  return async (path, label) => {
    const s = await open(path, label);
    const wrapped: ModelSession = {
      inputNames: s.inputNames, outputNames: s.outputNames,
      run: async (feeds) => {
        const rid = nextTurn++;
        await new Promise<void>((resolve) => { turnWaiters.set(rid, resolve); send({ t: 'turn', rid }); });
        try {
          return await s.run(feeds);
        } finally {
          send({ t: 'turn-done', rid });
        }
      },
      release: () => s.release(),
    };
    return wrapped;
  };
}

async function init(o: AnalysisWorkerInit): Promise<void> {
  reniceProcess(o.nice);
  configureLogging({ level: o.logLevel });
  const t0 = performance.now();
  try {
    inference = new InferenceService({
      config: o.inference, stateDir: o.stateDir, models: [], mode: 'verify',
      observer: { loaded: (l) => { activity.loaded.push(l); }, ran: (l, ms) => { activity.runs.push([l, ms]); } },
    });
    const svc = inference;
    // A derived copy (the OCR models' folded ones: derived-files.ts) is labelled as the file it was made from.
    const open: SessionOpener = (path, label) => svc.open(path, o.labels[originOf(path)] ?? label);
    findings = await LocalMediaFindings.create({
      analysis: o.analysis, baseline: o.baseline, vocabulary: o.vocabulary, wantVision: true, wantAudio: true,
      ...(o.audioWindowSec !== undefined ? { audioWindowSec: o.audioWindowSec } : {}),
      openSession: o.turns ? turnTaking(open) : open,
      ...(o.ocrModels ? { ocrModels: o.ocrModels } : {}),
      ...(o.vadModelPath ? { vadModelPath: o.vadModelPath } : {}),
    });
  } catch (err) {
    send({ t: 'init-failed', message: (err as Error).message });
    return;
  }
  send({ t: 'ready', loadMs: performance.now() - t0, report: report() });
}

/** While analysing, a sign of life each second (the daemon takes a silent worker as hung). */
const ALIVE_EVERY_MS = 1000;

async function analyze(id: number, kind: 'vision' | 'audio', file: string): Promise<void> {
  const alive = setInterval(() => send({ t: 'alive' }), ALIVE_EVERY_MS);
  try {
    if (!findings) throw new Error('the analysis worker has no analyzers (its start failed)');
    const f = kind === 'vision' ? await findings.vision(file) : await findings.audio(file);
    send({ t: 'result', id, findings: f, report: report() });
  } catch (err) {
    send({ t: 'failed', id, message: (err as Error).message, input: err instanceof InputFileError, report: report() });
  } finally {
    clearInterval(alive);
  }
}

process.on('message', (m: ToWorker) => {
  if (m.t === 'init') void init(m.init);
  else if (m.t === 'analyze') void analyze(m.id, m.kind, m.file);
  else if (m.t === 'turn-ok') {
    const w = turnWaiters.get(m.rid);
    turnWaiters.delete(m.rid);
    w?.();
  }
});
// The daemon went away (or closed the channel to stop this worker): nothing is left to answer.
process.on('disconnect', () => process.exit(0));
