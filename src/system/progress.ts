// Progress of a long operation (baseline fitting, model verification, a folder
// of diagnoses, a video analysis) on stderr, in one of three forms:
//   bar    a line redrawn in place, when stderr is a terminal;
//   lines  a plain line now and then (every step change, at most one a second,
//          and the last), when stderr is a file, a pipe or the journal;
//   json   one {"progress": {...}} object per line, when the command runs with
//          --json, so a script reading stderr can follow along.
// stdout is never touched: it holds the command's result.

export type ProgressStyle = 'bar' | 'lines' | 'json';

export interface ProgressOptions {
  /** What is in progress, e.g. "baseline fit"; names the lines and the JSON events. */
  task: string;
  /** What `done` and `total` count, e.g. "segments" (default "steps"). */
  unit?: string;
  /** The command runs with --json: progress goes out as JSON events. */
  json?: boolean;
  /** Default: json when `json`, bar on a terminal, lines otherwise. */
  style?: ProgressStyle;
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Width of the bar in characters (default 30). */
  width?: number;
  /** Least time between two plain lines or JSON events of the same step (default 1000 ms). */
  lineIntervalMs?: number;
}

export interface ProgressEvent {
  task: string;
  done: number;
  total: number;
  unit: string;
  label?: string;
  summary?: string;
}

export class ProgressReporter {
  readonly style: ProgressStyle;
  private readonly stream: NonNullable<ProgressOptions['stream']>;
  private readonly unit: string;
  private readonly width: number;
  private readonly lineIntervalMs: number;
  private lastDraw = 0;
  private lastLineAt = Number.NEGATIVE_INFINITY;
  private lastText = '';
  private lastKey = '';
  private drawn = false;
  private last: { done: number; total: number; label?: string } = { done: 0, total: 0 };

  constructor(private readonly opts: ProgressOptions) {
    this.stream = opts.stream ?? process.stderr;
    this.style = opts.style ?? (opts.json ? 'json' : this.stream.isTTY ? 'bar' : 'lines');
    this.unit = opts.unit ?? 'steps';
    this.width = opts.width ?? 30;
    this.lineIntervalMs = opts.lineIntervalMs ?? 1000;
  }

  /** Reports `done` of `total`; usable as a `(done, total, label) => void` callback. */
  readonly update = (done: number, total: number, label?: string): void => {
    this.last = { done, total, label };
    const finished = total > 0 && done >= total;
    if (this.style === 'bar') {
      const now = Date.now();
      if (now - this.lastDraw < 100 && !finished) return;
      const text = this.barText(done, total, label);
      if (text === this.lastText) return;
      this.lastDraw = now;
      this.lastText = text;
      const cols = Math.max(20, (this.stream.columns ?? 80) - 1);
      this.stream.write(`\r${text.slice(0, cols)}\x1b[K`);
      this.drawn = true;
      return;
    }
    // Lines and events: a new step count or label, the last step at once, others at most once per interval.
    const key = `${done}/${total} ${label ?? ''}`;
    if (key === this.lastKey) return;
    const now = Date.now();
    if (!finished && now - this.lastLineAt < this.lineIntervalMs) return;
    this.lastKey = key;
    this.lastLineAt = now;
    this.emit({ done, total, label });
  };

  /** Ends the report: clears the bar, and says `summary` (when given) in the report's form. */
  end(summary?: string): void {
    if (this.style === 'bar') {
      if (this.drawn) this.stream.write('\r\x1b[2K');
      this.drawn = false;
      if (summary) this.stream.write(`${summary}\n`);
      return;
    }
    if (summary) this.emit({ ...this.last, summary });
  }

  private barText(done: number, total: number, label: string | undefined): string {
    const share = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
    const filled = Math.round(share * this.width);
    return `[${'#'.repeat(filled)}${'-'.repeat(this.width - filled)}] ${done}/${total} ${this.unit}` +
      ` ${String(Math.round(share * 100)).padStart(3)}%${label ? `  ${label}` : ''}`;
  }

  private emit(p: { done: number; total: number; label?: string; summary?: string }): void {
    if (this.style === 'json') {
      const event: ProgressEvent = { task: this.opts.task, done: p.done, total: p.total, unit: this.unit,
        ...(p.label ? { label: p.label } : {}), ...(p.summary ? { summary: p.summary } : {}) };
      this.stream.write(`${JSON.stringify({ progress: event })}\n`);
      return;
    }
    const share = p.total > 0 ? ` (${Math.round(Math.min(1, p.done / p.total) * 100)}%)` : '';
    const text = p.summary ?? `${p.done}/${p.total} ${this.unit}${share}${p.label ? `  ${p.label}` : ''}`;
    this.stream.write(`${this.opts.task}: ${text}\n`);
  }
}
