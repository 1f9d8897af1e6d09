// A session opener for the development aids that count model runs (bench/_ocr-stages.ts, bench/_speed67-runs.ts):
// each run of a session it opens is timed (wall and the process's CPU) and handed, with its feeds and the call stack
// that asked for it, to the caller's tally. The model's short name is the third part of its file name (det, rec).
import { basename } from 'node:path';
import type { ModelSession } from '../src/inference/session.js';

export interface TimedRun {
  /** det, rec, or the file's path where its name has no third part. */
  name: string;
  feeds: Parameters<ModelSession['run']>[0];
  /** The first feed's shape. */
  dims: readonly number[];
  ms: number;
  cpu: number;
  /** The call stack at the run, to name the reader step that asked for it. */
  stack: string;
}

/** `open` with every run of its sessions reported to `tally` after it ran. */
export function timedOpener(open: (path: string, label?: string) => Promise<ModelSession>, tally: (r: TimedRun) => void): (path: string, label?: string) => Promise<ModelSession> {
  return async (path, label) => {
    const s = await open(path, label);
    const name = basename(path).split('_')[2] ?? path;
    return {
      ...s, inputNames: s.inputNames, outputNames: s.outputNames,
      run: async (feeds) => {
        const t = performance.now(), c = process.cpuUsage();
        const out = await s.run(feeds);
        const u = process.cpuUsage(c);
        tally({ name, feeds, dims: Object.values(feeds)[0]!.dims, ms: performance.now() - t, cpu: (u.user + u.system) / 1000, stack: new Error().stack ?? '' });
        return out;
      },
    };
  };
}
