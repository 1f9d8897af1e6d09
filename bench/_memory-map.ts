// Where a running process's RSS is, by mapping (/proc/PID/smaps), and what glibc malloc holds
// (malloc_info, read with gdb when it is installed and may attach). Used by bench/footprint
// at the end of the daemon's run; docs/footprint.md reads these figures.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface RssByMapping {
  /** file-backed pages, by file: node, libonnxruntime, libvips, every other file together */
  file_node_mb: number;
  file_onnxruntime_mb: number;
  file_vips_mb: number;
  file_other_mb: number;
  /** glibc's main arena ([heap], brk) */
  brk_heap_mb: number;
  /** anonymous mappings of exactly 256 KiB: V8's heap pages */
  anon_256k_mb: number;
  /** other anonymous mappings of 1 MiB or more: malloc's mmapped chunks (ONNX Runtime arenas, weights, frames) and thread arenas */
  anon_big_mb: number;
  /** every other anonymous mapping (stacks, small mmaps, V8 code range pieces) */
  anon_other_mb: number;
  total_mb: number;
}

const MB = (bytes: number) => Math.round(bytes / 2 ** 20 * 10) / 10;

/** RSS of `pid` grouped by what backs it; null when smaps cannot be read. */
export function rssByMapping(pid: number): RssByMapping | null {
  let text: string;
  try { text = readFileSync(`/proc/${pid}/smaps`, 'utf8'); } catch { return null; }
  const sum: Record<string, number> = {};
  let key = 'anon_other';
  for (const line of text.split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const size = parseInt(head[2]!, 16) - parseInt(head[1]!, 16);
      const name = head[3]!.trim();
      if (name.startsWith('/')) {
        const base = name.slice(name.lastIndexOf('/') + 1);
        key = base === 'node' ? 'file_node' : base.startsWith('libonnxruntime') ? 'file_onnxruntime' : base.startsWith('libvips') ? 'file_vips' : 'file_other';
      } else if (name === '[heap]') key = 'brk_heap';
      else if (name) key = 'anon_other';
      else key = size === 256 * 1024 ? 'anon_256k' : size >= 2 ** 20 ? 'anon_big' : 'anon_other';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) sum[key] = (sum[key] ?? 0) + Number(rss[1]) * 1024;
  }
  const total = Object.values(sum).reduce((a, b) => a + b, 0);
  const f = (k: string) => MB(sum[k] ?? 0);
  return {
    file_node_mb: f('file_node'), file_onnxruntime_mb: f('file_onnxruntime'), file_vips_mb: f('file_vips'), file_other_mb: f('file_other'),
    brk_heap_mb: f('brk_heap'), anon_256k_mb: f('anon_256k'), anon_big_mb: f('anon_big'), anon_other_mb: f('anon_other'), total_mb: MB(total),
  };
}

export interface MallocFigures {
  /** bytes the arenas hold from the system (brk heap + thread arenas) */
  arenas_mb: number;
  /** free chunks inside the arenas: what malloc_trim(0) could give back */
  arenas_free_mb: number;
  /** chunks above the mmap threshold, each its own mapping */
  mmapped_mb: number;
  mmapped_count: number;
}

/**
 * glibc malloc's own totals for `pid`, read by making the process call malloc_info(0, stderr)
 * under gdb (the XML goes to the process's stderr, `readStderr` returns what it wrote since).
 * null when gdb is missing or cannot attach.
 */
export async function mallocInfo(pid: number, readStderr: () => string): Promise<MallocFigures | null> {
  const before = readStderr().length;
  const r = spawnSync('gdb', ['-p', String(pid), '-batch', '-ex', 'call (int)malloc_info(0, (void*)stderr)'], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) return null;
  await new Promise((ok) => setTimeout(ok, 500));
  const xml = readStderr().slice(before);
  const tail = xml.slice(xml.lastIndexOf('</heap>'));
  const num = (re: RegExp) => { const m = re.exec(tail); return m ? Number(m[1]) : NaN; };
  const figures = {
    arenas_mb: MB(num(/<system type="current" size="(\d+)"/)),
    arenas_free_mb: MB(num(/<total type="rest" count="\d+" size="(\d+)"/) + num(/<total type="fast" count="\d+" size="(\d+)"/)),
    mmapped_mb: MB(num(/<total type="mmap" count="\d+" size="(\d+)"/)),
    mmapped_count: num(/<total type="mmap" count="(\d+)"/),
  };
  return Object.values(figures).some((v) => Number.isNaN(v)) ? null : figures;
}
