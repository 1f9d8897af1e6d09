// Development aid for the passes that only add lines to a frame's reading: the second look (second-look.ts, lines
// found: 'second-look') and the finer stroke search (display-search.ts, found: 'fine-strokes'). Reads each frame
// of a generated set once without and once with the catalog patterns and scores the alarm codes with the pass (as
// read) and without it (the same reading less the lines the pass added: the first pass is unchanged by it), so one
// run gives both. Prints the frames the pass changed, both scores, how many frames it ran on and the mean time of
// a frame with and without it.
//   node --import tsx bench/_added-lines-eval.ts second-look|fine-strokes DIR [FROM] [COUNT]
import { join } from 'node:path';
import { decodeImageFile } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { benchAnalyzer, norm, readLabels, readRight } from './_set.js';

const [pass, dir, fromArg, countArg] = process.argv.slice(2);
if (pass !== 'second-look' && pass !== 'fine-strokes') throw new Error('first argument: second-look or fine-strokes');
const labels = readLabels(dir!, { from: Number(fromArg ?? 0), count: Number(countArg ?? 10000) });
const reader = await PanelReader.create({ reuseUnchanged: false });
const plain = await benchAnalyzer({ reader });
const cat = await benchAnalyzer({ reader, catalog: true });
/** How many times the pass has run on this reader. */
const runs = (): number => (pass === 'second-look' ? reader.secondLooks : reader.fineSearches);
type Line = { text: string; code?: string; found?: string; kind?: string; confidence: number };
const score = { base: { plain: 0, cat: 0, statusPlain: 0, statusCat: 0 }, head: { plain: 0, cat: 0, statusPlain: 0, statusCat: 0 } };
let alarms = 0, looked = 0, msLooked = 0, msPlain = 0, plainFrames = 0;
for (const l of labels) {
  const frame = await decodeImageFile(join(dir!, l.file));
  const out: Record<string, { base: string[]; head: string[] }> = {};
  for (const [name, a] of [['plain', plain], ['cat', cat]] as const) {
    const before = runs();
    const t = performance.now();
    const v = await a.analyze(frame);
    const ms = performance.now() - t;
    if (name === 'plain') {
      if (runs() > before) { looked++; msLooked += ms; } else { plainFrames++; msPlain += ms; }
    }
    const lines = v.detail.ocr as Line[];
    const added = new Set(lines.filter((o) => o.found === pass && o.code).map((o) => norm(o.code!)));
    const still = new Set(lines.filter((o) => o.found !== pass && o.code).map((o) => norm(o.code!)));
    out[name] = { head: v.alarmCodes, base: v.alarmCodes.filter((c) => !added.has(norm(c)) || still.has(norm(c))) };
  }
  const ok = (codes: string[]): boolean => readRight(l, codes);
  if (l.alarm) alarms++;
  for (const side of ['base', 'head'] as const) {
    if (l.alarm) { if (ok(out.plain![side])) score[side].plain++; if (ok(out.cat![side])) score[side].cat++; }
    else { if (out.plain![side].length) score[side].statusPlain++; if (out.cat![side].length) score[side].statusCat++; }
  }
  if (JSON.stringify(out.plain!.base) !== JSON.stringify(out.plain!.head) || JSON.stringify(out.cat!.base) !== JSON.stringify(out.cat!.head)) {
    process.stdout.write(`CHANGED ${l.file} "${l.text}" [${l.effects.join(',')}] plain ${JSON.stringify(out.plain!.base)} -> ${JSON.stringify(out.plain!.head)} cat ${JSON.stringify(out.cat!.base)} -> ${JSON.stringify(out.cat!.head)}\n`);
  }
}
const f = (s: typeof score.base): string => `alarm codes ${s.plain}/${alarms} (catalog ${s.cat}/${alarms}), status frames with an alarm ${s.statusPlain} (catalog ${s.statusCat}) of ${labels.length - alarms}`;
process.stdout.write(`${dir}: ${labels.length} frames\n  base: ${f(score.base)}\n  head: ${f(score.head)}\n` +
  `  ${pass} on ${looked}/${labels.length} frames (no catalog); mean ms with ${looked ? (msLooked / looked).toFixed(0) : '-'}, without ${(msPlain / Math.max(1, plainFrames)).toFixed(0)}\n`);
await reader.close();
