// Development aid: the segment reader alone on line crops kept by
// bench/_segment-crops.ts (no models run). Per frame, the display's lines read
// cell by cell (with the kept recogniser steps for look-alikes) and accepted
// as panel-reader.ts accepts them; compared with the label's text (spaces and
// decimal points ignored). Counts: right, wrong (accepted but not the label's
// text) and rejected (the recogniser's reading would be used), by display.
//   node --import tsx bench/_segment-eval.ts CROPDIR [--all] [--effect=glare]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PanelLabel } from '../scripts/gen-panels.js';
import type { RgbImage } from '../src/vision/image.js';
import { CharacterDictionary } from '../src/vision/ocr/ctc.js';
import { bundledOcrModels } from '../src/vision/ocr/panel-reader.js';
import { readSegmentCells } from '../src/vision/ocr/segment-cells.js';
import { segmentReading } from '../src/vision/ocr/segment-lattice.js';

interface Kept { file: string; x: number; greedy: string; confidence: number; classes: number; steps: Array<Array<[number, number]>> }
const dirs = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const showAll = process.argv.includes('--all');
const effect = process.argv.find((a) => a.startsWith('--effect='))?.slice(9);
const SEGMENT_FIT = 0.35;

function readPpm(file: string): RgbImage {
  const buf = readFileSync(file);
  const [, w, h] = buf.toString('latin1', 0, 32).split(/\s+/).map(Number) as [number, number, number];
  const px = buf.subarray(buf.length - w * h * 3);
  return { data: Float32Array.from(px), width: w, height: h };
}
const norm = (s: string): string => s.replace(/[\s.]/g, '').toUpperCase();
const alnum = (s: string): number => s.replace(/[^\p{L}\p{N}]/gu, '').length;

let dict: CharacterDictionary | null = null;
const tally = new Map<string, { right: number; wrong: number; rejected: number; n: number }>();
const bump = (k: string, f: 'right' | 'wrong' | 'rejected'): void => {
  const t = tally.get(k) ?? { right: 0, wrong: 0, rejected: 0, n: 0 };
  t[f]++;
  t.n++;
  tally.set(k, t);
};
for (const dir of dirs) {
  const frames = JSON.parse(readFileSync(join(dir, 'crops.json'), 'utf8')) as Array<PanelLabel & { lines: Kept[] }>;
  for (const f of frames) {
    if (effect && !f.effects.includes(effect)) continue;
    const parts: Array<{ x: number; text: string; accepted: boolean; cells: string }> = [];
    for (const k of f.lines) {
      dict ??= await CharacterDictionary.load(bundledOcrModels().dictionary, k.classes);
      const img = readPpm(join(dir, k.file));
      const probs = new Float32Array(k.steps.length * k.classes);
      k.steps.forEach((row, t) => { for (const [c, p] of row) probs[t * k.classes + c] = p; });
      const line = readSegmentCells(img);
      const seg = line && line.cells.length >= 2 ? segmentReading(line, { probs, offset: 0, steps: k.steps.length, classes: k.classes }, dict, img.width, img.height) : null;
      const accepted = !!k.greedy.trim() && !!seg && seg.unexplained === 0 && seg.fit >= SEGMENT_FIT && (seg.gaps === 0 || seg.text.replace(/[\s.]/g, '').length >= alnum(k.greedy));
      parts.push({ x: k.x, text: accepted ? seg!.text : k.greedy, accepted,
        cells: seg ? `${seg.text}|u${seg.unexplained} fit${seg.fit.toFixed(2)} g${seg.gaps} ${line!.segments}` : line ? `cells=${line.cells.length}` : 'none' });
    }
    parts.sort((a, b) => a.x - b.x);
    const onDisplay = parts.filter((p) => norm(p.text).length > 0);
    const joined = norm(onDisplay.map((p) => p.text).join(''));
    const segDisplay = f.display === 'seven-segment' || f.display === 'fourteen-segment';
    const anyAccepted = onDisplay.some((p) => p.accepted);
    const outcome = !anyAccepted ? 'rejected' : joined === norm(f.text) ? 'right' : 'wrong';
    bump(f.display, outcome);
    if (f.effects.includes('glare')) bump(`${f.display}+glare`, outcome);
    if (f.effects.includes('dark')) bump(`${f.display}+dark`, outcome);
    if (showAll || (outcome !== 'right' && (segDisplay || outcome === 'wrong'))) {
      process.stdout.write(`${outcome.padEnd(8)} ${f.file} ${f.font} [${f.effects.join(',')}] "${f.text}" → ${onDisplay.map((p) => `${JSON.stringify(p.text)}${p.accepted ? '' : '(rec)'} {${p.cells}}`).join(' ')}\n`);
    }
  }
}
for (const [k, t] of [...tally].sort()) process.stdout.write(`${k.padEnd(24)} n=${t.n} right ${t.right} wrong ${t.wrong} rejected ${t.rejected}\n`);
