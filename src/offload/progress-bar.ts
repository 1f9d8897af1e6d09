// Progress of a video analysis on stderr: a redrawn bar on a terminal, one line
// per finished segment otherwise (logs and CI keep a readable record).
import type { VideoProgress } from './video-analysis.js';

export class ProgressBar {
  private lastLine = '';
  private lastDone = -1;
  private drawn = false;

  constructor(private readonly out: NodeJS.WriteStream = process.stderr, private readonly width = 24) {}

  update(p: VideoProgress): void {
    const total = Math.max(1, p.total);
    const framesPart = Object.values(p.perWorker).reduce((s, w) => s + (w.framesTotal ? w.framesDone / w.framesTotal : 0), 0);
    const frac = Math.min(1, (p.done + framesPart) / total);
    const filled = Math.round(frac * this.width);
    const workers = Object.entries(p.perWorker).map(([id, w]) => `${id}:${w.segments}`).join(' ');
    const line = `[${'#'.repeat(filled)}${'-'.repeat(this.width - filled)}] ${p.done}/${p.total} segments` +
      `${workers ? `  ${workers}` : ''}${p.redispatched ? `  re-dispatched:${p.redispatched}` : ''}`;
    if (this.out.isTTY) {
      if (line === this.lastLine) return;
      this.out.write(`\r${line}\x1b[K`);
      this.drawn = true;
    } else if (p.done !== this.lastDone) {
      this.out.write(`${line}\n`);
    }
    this.lastLine = line;
    this.lastDone = p.done;
  }

  end(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}
