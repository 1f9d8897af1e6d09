// Which model runs change what a frame reads: per reader step (found on the call stack), the detector's and the
// recogniser's runs, lines, pixels and CPU on the frames of a list (CPU is the process's: JS run alongside a model
// counts with it), and the runs whose input tensor repeats an earlier run's on the same frame (each printed as REPEAT
// with its call stack); per step, on how many frames it ran and on how many its outcome shows in the lines read (a
// line kept on another view: retries; a line a further look found: second look, finer stroke search). What the
// box-end re-reads read is in the reader's debug log ('box end re-read': first and wider text), with a FRAME line
// before each frame's entries. One line per frame on stdout: the steps that ran, the codes, each line's view/found.
//   FAULTSENSE_LOG_LEVEL=debug FAULTSENSE_LOG_FORMAT=json node --import tsx bench/_speed67-runs.ts FRAMES.json [--catalog] 2>LOG
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeImageFile } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cpuSessionOpener } from '../src/inference/session.js';
import { timedOpener } from './_timed-sessions.js';
import { benchAnalyzer } from './_set.js';

const [listFile] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const files: string[] = JSON.parse(readFileSync(listFile!, 'utf8'));
const open = cpuSessionOpener();
const STEPS = ['retryOnOtherViews', 'readCutDotRows', 'completeCutLines', 'lookAgain', 'searchStrokes', 'secondLookDetections', 'lineBoxes', 'read '];
let seen = new Set<string>();
let ran = new Set<string>();
const by = new Map<string, { runs: number; dups: number; cpu: number; lines: number; px: number; frames: number; shows: number }>();
const timed = timedOpener(open, (r) => {
  const t = Object.values(r.feeds)[0]!;
  const d = t.data as Float32Array;
  const key = r.name + r.dims.join('x') + createHash('sha1').update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)).digest('hex');
  const dup = seen.has(key);
  seen.add(key);
  const k = `${r.name} ${(STEPS.find((x) => r.stack.includes(x)) ?? 'other').trim()}`;
  const e = by.get(k) ?? { runs: 0, dups: 0, cpu: 0, lines: 0, px: 0, frames: 0, shows: 0 };
  e.runs++; e.cpu += r.cpu; e.lines += r.dims[0]!; e.px += r.dims[0]! * r.dims[2]! * r.dims[3]!;
  if (dup) { e.dups++; process.stdout.write(`REPEAT ${k} ${r.stack.split('\n').slice(2, 9).map((s) => s.trim().replace(/^at /, '').replace(/\(.*\/src\//, '(')).join(' < ')}\n`); }
  if (!ran.has(k)) { ran.add(k); e.frames++; }
  by.set(k, e);
});
const reader = await PanelReader.create({ reuseUnchanged: false, openSession: timed });
const analyzer = await benchAnalyzer({ reader, catalog: process.argv.includes('--catalog') });
by.clear();
for (const f of files) {
  seen = new Set();
  ran = new Set();
  process.stderr.write(`FRAME ${basename(f)}\n`);
  const v = await analyzer.analyze(await decodeImageFile(f));
  const lines = (v.detail.ocr ?? []) as Array<{ view?: string; found?: string; rejected?: string }>;
  const shown = (k: string, yes: boolean): void => { if (yes && ran.has(k)) by.get(k)!.shows++; };
  shown('rec retryOnOtherViews', lines.some((l) => !l.rejected && l.view && l.view !== 'original' && l.view !== 'dots-joined'));
  shown('rec lookAgain', lines.some((l) => !l.rejected && l.found === 'second-look'));
  shown('rec searchStrokes', lines.some((l) => !l.rejected && l.found === 'fine-strokes'));
  process.stdout.write(`${basename(f)} ${[...ran].join(',')} | ${v.alarmCodes.join(',')} | ${lines.map((l) => `${l.view}/${l.found ?? ''}`).join(' ')}\n`);
}
await reader.close();
const n = files.length;
for (const [k, e] of [...by].sort()) {
  console.log(`${k.padEnd(28)} frames ${String(e.frames).padStart(4)} shows ${String(e.shows).padStart(4)} runs ${String(e.runs).padStart(5)} lines ${String(e.lines).padStart(5)}`
    + ` Mpx/frame ${(e.px / n / 1e6).toFixed(3)} cpu ${(e.cpu / n).toFixed(1).padStart(6)} ms/frame  repeated inputs ${e.dups}`);
}
