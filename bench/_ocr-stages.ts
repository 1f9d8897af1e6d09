// Where a frame's time goes on our side of bench/ocr.ts: the detector's and the
// recogniser's runs (count, input shapes, ms) against the whole frame, wall and
// CPU time (process.cpuUsage), on the frames of a list (as bench/_ocr-side.ts);
// how often the further looks for a display ran (the second look, the finer
// stroke search) and how many frames a sure display line let skip the retries.
//   node --import tsx bench/_ocr-stages.ts FRAMES.json [threads] [--frames]
// --frames also prints each frame (sorted by CPU): its CPU ms, detector and recogniser runs and CPU ms, the lines
// recognised, the looks that ran (S second look, F finer search, sure) and the codes; and the recogniser's CPU by
// the reader step that asked for it (found on the call stack).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeImageFile } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cpuSessionOpener } from '../src/inference/session.js';
import { timedOpener } from './_timed-sessions.js';
import { benchAnalyzer } from './_set.js';

const [listFile, threadsArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const perFrame = process.argv.includes('--frames');
const files: string[] = JSON.parse(readFileSync(listFile!, 'utf8'));
const open = cpuSessionOpener(threadsArg ? Number(threadsArg) : undefined);
/** Per model (det, rec): runs, wall ms, CPU ms, lines (batch rows) and pixels fed. */
const stats = new Map<string, { runs: number; ms: number; cpu: number; lines: number; px: number }>();
/** The recogniser's runs by the reader step that asked for them. */
const callers = new Map<string, { runs: number; lines: number; cpu: number; px: number }>();
const STEPS = ['retryOnOtherViews', 'readCutDotRows', 'completeCutLines', 'lookAgain', 'searchStrokes', 'extendDotMatrix', 'settle', 'read '];
const timed = timedOpener(open, (r) => {
  const st = stats.get(r.name) ?? { runs: 0, ms: 0, cpu: 0, lines: 0, px: 0 };
  const d = r.dims;
  st.runs++; st.ms += r.ms; st.cpu += r.cpu; st.lines += d[0]!; st.px += d[0]! * d[2]! * d[3]!;
  stats.set(r.name, st);
  if (perFrame && r.name === 'rec') {
    const by = STEPS.find((k) => r.stack.includes(k)) ?? 'other';
    const e = callers.get(by) ?? { runs: 0, lines: 0, cpu: 0, px: 0 };
    e.runs++; e.lines += d[0]!; e.cpu += r.cpu; e.px += d[0]! * d[3]!;
    callers.set(by, e);
  }
});
const t0 = performance.now();
const reader = await PanelReader.create({ reuseUnchanged: false, openSession: timed });
const analyzer = await benchAnalyzer({ reader });
const loadMs = performance.now() - t0;
stats.clear();
const snap = (): Record<string, number> => {
  const det = stats.get('det'), rec = stats.get('rec');
  return { det: det?.runs ?? 0, detCpu: det?.cpu ?? 0, rec: rec?.runs ?? 0, recCpu: rec?.cpu ?? 0, lines: rec?.lines ?? 0,
    second: reader.secondLooks, fine: reader.fineSearches, sure: reader.sureFrames };
};
const rows: Array<{ f: string; cpu: number; d: Record<string, number>; codes: string }> = [];
let frameMs = 0, decodeMs = 0;
const c0 = process.cpuUsage();
for (const f of files) {
  const s = performance.now();
  const frame = await decodeImageFile(f);
  decodeMs += performance.now() - s;
  const before = snap(), c = process.cpuUsage();
  const v = await analyzer.analyze(frame);
  const u = process.cpuUsage(c), after = snap();
  frameMs += performance.now() - s;
  rows.push({ f: basename(f), cpu: (u.user + u.system) / 1000, d: Object.fromEntries(Object.entries(after).map(([k, x]) => [k, x - before[k]!])), codes: v.alarmCodes.join(',') });
}
const cpu = process.cpuUsage(c0);
await reader.close();
const n = files.length;
const per = (v: number): string => (v / n).toFixed(1);
if (perFrame) {
  for (const r of [...rows].sort((a, b) => b.cpu - a.cpu)) {
    const d = r.d, look = `${d.second ? 'S' : '-'}${d.fine ? 'F' : '-'}${d.sure ? 'sure' : ''}`;
    console.log(`${r.f.padEnd(36)} cpu ${r.cpu.toFixed(0).padStart(5)} det ${d.det} ${d.detCpu!.toFixed(0).padStart(4)} rec ${d.rec} lines ${String(d.lines).padStart(3)} ${d.recCpu!.toFixed(0).padStart(4)} ${look.padEnd(6)} [${r.codes}]`);
  }
  for (const [k, e] of callers) console.log(`${k.padEnd(20)} runs ${e.runs} lines ${e.lines} cpu ${(e.cpu / n).toFixed(1)} ms/frame width ${(e.px / e.lines).toFixed(0)}`);
}
const looked = rows.filter((r) => r.d.second || r.d.fine);
const mean = (rs: typeof rows): string => (rs.reduce((a, r) => a + r.cpu, 0) / Math.max(1, rs.length)).toFixed(0);
console.log(`frames ${n}  load ${loadMs.toFixed(0)} ms  frame ${per(frameMs)} ms  decode ${per(decodeMs)} ms  cpu ${per((cpu.user + cpu.system) / 1000)} ms/frame`);
for (const [k, v] of stats) console.log(`${k.padEnd(8)} runs/frame ${(v.runs / n).toFixed(2)}  ms/frame ${per(v.ms)}  cpu ms/frame ${per(v.cpu)}  Mpx/frame ${(v.px / n / 1e6).toFixed(3)}`);
console.log(`looked again on ${looked.length} frames (cpu ${mean(looked)} ms/frame), finer search on ${rows.filter((r) => r.d.fine).length}, `
  + `the rest cpu ${mean(rows.filter((r) => !r.d.second && !r.d.fine))} ms/frame; a sure display line skipped the retries on ${rows.filter((r) => r.d.sure).length}`);
