// What the disk governor may delete when a file system runs short. Each part
// of the daemon that keeps files it can lose offers a DiskTrimmer (given to
// the governor when it is built): the clip
// recorder's segments (oldest first, never the one being written) and the
// offload path's scratch folders left over from an interrupted analysis. The
// outbox, baselines, models and configuration have no trimmer: they are
// never deleted to make room.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface TrimCandidate {
  /** A file, or a folder deleted whole. */
  path: string;
  bytes: number;
  /** Age reference, ms since the epoch (a clip's start, a folder's last change). */
  mtimeMs: number;
}

export interface DiskTrimmer {
  /** Names the trimmer in logs and health, e.g. "clips". */
  readonly name: string;
  /** The folder its files live in: decides which file system deleting them frees. */
  readonly dir: string;
  /** Candidates older than this are deleted on every check whatever the free space (retention); undefined: only when short. */
  readonly maxAgeMs?: number;
  /** What may be deleted now, in any order; never a file in use. */
  candidates(): TrimCandidate[];
  /** Told after its candidates were deleted (a recorder forgets their index entries). */
  deleted?(paths: string[]): void;
}

/** Bytes under a path (a file's size, or the files in a folder, recursively). */
export function bytesUnder(path: string): number {
  let st;
  try { st = lstatSync(path); } catch { return 0; }
  if (!st.isDirectory()) return st.size;
  let total = 0;
  let names: string[] = [];
  try { names = readdirSync(path); } catch { return 0; }
  for (const n of names) total += bytesUnder(join(path, n));
  return total;
}

/** The clip recorder's finished segments (the one ffmpeg is still writing is never offered). */
export function clipSegmentTrimmer(
  recorder: { readonly dir: string; segments(): Array<{ file: string; start: number; bytes: number; complete: boolean }> },
  retentionHours: number,
): DiskTrimmer {
  return {
    name: 'clips',
    dir: recorder.dir,
    ...(retentionHours > 0 ? { maxAgeMs: retentionHours * 3_600_000 } : {}),
    candidates: () => recorder.segments().filter((s) => s.complete).map((s) => ({ path: s.file, bytes: s.bytes, mtimeMs: s.start })),
  };
}

/**
 * Offload scratch folders (<stateDir>/offload/video-*) that no analysis holds: an analysis
 * removes its own when it ends, so these are left over from a process that was killed.
 */
export function offloadScratchTrimmer(workDir: string, inUse: () => ReadonlySet<string>, maxAgeMs = 3_600_000): DiskTrimmer {
  return {
    name: 'offload-scratch',
    dir: workDir,
    maxAgeMs,
    candidates: () => {
      let names: string[];
      try { names = readdirSync(workDir).filter((n) => n.startsWith('video-')); } catch { return []; }
      const held = inUse();
      const out: TrimCandidate[] = [];
      for (const n of names) {
        const path = join(workDir, n);
        if (held.has(path)) continue;
        try {
          const st = lstatSync(path);
          if (st.isDirectory()) out.push({ path, bytes: bytesUnder(path), mtimeMs: st.mtimeMs });
        } catch { /* gone meanwhile */ }
      }
      return out;
    },
  };
}
