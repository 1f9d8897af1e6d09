// A one-line progress bar on stderr, drawn only when stderr is a terminal
// (so logs and --json output stay clean in scripts and under systemd).
import type { FitProgress } from './types.js';

export interface ProgressBar {
  update: FitProgress;
  /** Clears the line; call once at the end. */
  done(): void;
}

export function progressBar(stream: NodeJS.WriteStream = process.stderr, width = 30): ProgressBar {
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  let last = 0;
  let drawn = false;
  const update: FitProgress = (done, total, label) => {
    const now = Date.now();
    if (now - last < 100 && done < total) return;
    last = now;
    const share = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(share * width);
    const text = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)}% ${label ?? ''}`;
    stream.write(`\r${text.padEnd((stream.columns ?? 80) - 1).slice(0, (stream.columns ?? 80) - 1)}`);
    drawn = true;
  };
  return {
    update,
    done() { if (drawn) stream.write('\r\x1b[2K'); },
  };
}
