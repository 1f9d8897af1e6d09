// Development aid (speed): per frame of a list, the CPU ms of analyze(), the detector's and recogniser's runs and
// the lines they were given, whether the second look or the finer search ran and whether a sure display line
// skipped the retries; the frames sorted by CPU, then totals.
//   node --import tsx bench/_speed36-frames.ts FRAMES.json
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeImageFile } from '../src/vision/image.js';
import { VisionAnalyzer } from '../src/vision/analyzer.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cpuSessionOpener, type ModelSession } from '../src/inference/session.js';

const files: string[] = JSON.parse(readFileSync(process.argv[2]!, 'utf8'));
const open = cpuSessionOpener();
const callers = new Map<string, { runs: number; lines: number; ms: number; px: number }>();
const runs = { det: 0, rec: 0, recLines: 0, detMs: 0, recMs: 0 };
const timed = async (path: string, label?: string): Promise<ModelSession> => {
  const s = await open(path, label);
  const det = basename(path).includes('_det_');
  return {
    ...s, inputNames: s.inputNames, outputNames: s.outputNames,
    run: async (feeds) => {
      const c = process.cpuUsage();
      const out = await s.run(feeds);
      const u = process.cpuUsage(c), ms = (u.user + u.system) / 1000;
      if (det) { runs.det++; runs.detMs += ms; } else {
        runs.rec++; runs.recLines += Object.values(feeds)[0]!.dims[0]!; runs.recMs += ms;
        const st = new Error().stack ?? '';
        const by = ['retryOnOtherViews', 'readCutDotRows', 'completeCutLines', 'lookAgain', 'searchStrokes', 'extendDotMatrix', 'settle', 'read '].find((k) => st.includes(k)) ?? 'other';
        const d = Object.values(feeds)[0]!.dims;
        const e = callers.get(by) ?? { runs: 0, lines: 0, ms: 0, px: 0 };
        e.runs++; e.lines += d[0]!; e.ms += ms; e.px += d[0]! * d[3]!;
        callers.set(by, e);
      }
      return out;
    },
  };
};
const reader = await PanelReader.create({ reuseUnchanged: false, openSession: timed });
const analyzer = await VisionAnalyzer.create({ reader, ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
const rows: Array<{ f: string; cpu: number; det: number; rec: number; lines: number; detMs: number; recMs: number; look: string; codes: string }> = [];
for (const f of files) {
  const frame = await decodeImageFile(f);
  const before = { ...runs }, [s, fi, su] = [reader.secondLooks, reader.fineSearches, reader.sureFrames];
  const c0 = process.cpuUsage();
  const v = await analyzer.analyze(frame);
  const c = process.cpuUsage(c0);
  rows.push({ f: basename(f), cpu: (c.user + c.system) / 1000, det: runs.det - before.det, rec: runs.rec - before.rec, lines: runs.recLines - before.recLines,
    detMs: runs.detMs - before.detMs, recMs: runs.recMs - before.recMs,
    look: `${reader.secondLooks > s ? 'S' : '-'}${reader.fineSearches > fi ? 'F' : '-'}${reader.sureFrames > su ? 'sure' : ''}`, codes: v.alarmCodes.join(',') });
}
rows.sort((a, b) => b.cpu - a.cpu);
for (const r of rows) console.log(`${r.f.padEnd(36)} cpu ${r.cpu.toFixed(0).padStart(5)} det ${r.det} ${r.detMs.toFixed(0).padStart(4)} rec ${r.rec} lines ${String(r.lines).padStart(3)} ${r.recMs.toFixed(0).padStart(4)} ${r.look.padEnd(6)} [${r.codes}]`);
const sum = (k: 'cpu' | 'detMs' | 'recMs' | 'lines'): number => rows.reduce((a, r) => a + r[k], 0) / rows.length;
console.log(`mean cpu ${sum('cpu').toFixed(0)} det ${sum('detMs').toFixed(0)} rec ${sum('recMs').toFixed(0)} rec lines ${sum('lines').toFixed(1)}; sure frames ${rows.filter((r) => r.look.includes('sure')).length}/${rows.length}`);
for (const [k, e] of callers) console.log(`${k.padEnd(20)} runs ${e.runs} lines ${e.lines} ms ${(e.ms / rows.length).toFixed(1)}/frame width ${(e.px / e.lines).toFixed(0)}`);
await reader.close();
