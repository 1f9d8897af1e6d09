// The clip recorder's segments as the offload path sees them: files on disk,
// each with the wall-clock time of its first frame.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ClipRecorder } from '../capture/clip-recorder.js';
import { probeVideo } from './ffmpeg-video.js';

export interface ClipSegment {
  path: string;
  /** Wall-clock time of the first frame, ms since the epoch. */
  startMs: number;
  durationSec: number;
}

export interface ClipSegmentSource {
  /** Segments overlapping [fromMs, toMs), oldest first. */
  segmentsBetween(fromMs: number, toMs: number): Promise<ClipSegment[]>;
}

const VIDEO_EXT = /\.(mp4|mkv|ts|mov|avi|webm)$/i;

/**
 * The start time a clip file's name carries: epoch milliseconds or seconds
 * (`1718000000000.mkv`, `cam-1718000000.mp4`) or a compact UTC stamp
 * (`20240610T121500Z.mp4`, `2024-06-10T12-15-00Z.mkv`).
 */
export function startFromName(name: string): number | undefined {
  const iso = /(\d{4})-?(\d{2})-?(\d{2})[T_-]?(\d{2})[-:]?(\d{2})[-:]?(\d{2})(?:[.,](\d{1,3}))?Z?/.exec(name);
  if (iso) {
    const [, y, mo, d, h, mi, s, ms] = iso;
    const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number((ms ?? '0').padEnd(3, '0')));
    if (Number.isFinite(t)) return t;
  }
  const epoch = /(?:^|\D)(\d{10}|\d{13})(?:\D|$)/.exec(name);
  if (epoch) return epoch[1]!.length === 13 ? Number(epoch[1]) : Number(epoch[1]) * 1000;
  return undefined;
}

/**
 * Clip segments found in a directory. Start times come from the file names
 * (see startFromName) or, failing that, the modification time minus the
 * duration (a segment file is finished when its last frame is written).
 */
export class DirectoryClipSource implements ClipSegmentSource {
  private readonly durations = new Map<string, { mtimeMs: number; durationSec: number }>();

  constructor(private readonly dir: string) {}

  async segmentsBetween(fromMs: number, toMs: number): Promise<ClipSegment[]> {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((n) => VIDEO_EXT.test(n));
    } catch (err) {
      throw new Error(`cannot list clip segments in ${this.dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}; ` +
        'enable capture.clips or pass a video file');
    }
    const out: ClipSegment[] = [];
    for (const name of names) {
      const path = join(this.dir, name);
      const st = statSync(path);
      let d = this.durations.get(path);
      if (!d || d.mtimeMs !== st.mtimeMs) {
        try {
          d = { mtimeMs: st.mtimeMs, durationSec: (await probeVideo(path)).durationSec };
        } catch {
          continue; // still being written, or not a video
        }
        this.durations.set(path, d);
      }
      const startMs = startFromName(name) ?? Math.round(st.mtimeMs - d.durationSec * 1000);
      if (startMs < toMs && startMs + d.durationSec * 1000 > fromMs) out.push({ path, startMs, durationSec: d.durationSec });
    }
    return out.sort((a, b) => a.startMs - b.startMs);
  }
}

/** The running daemon's clip recorder as a segment source (its own index of start and end times). */
export function clipRecorderSource(recorder: Pick<ClipRecorder, 'between'>): ClipSegmentSource {
  return {
    segmentsBetween: async (fromMs, toMs) => recorder.between(fromMs, toMs)
      .filter((s) => s.end > s.start)
      .map((s) => ({ path: s.file, startMs: s.start, durationSec: (s.end - s.start) / 1000 })),
  };
}
