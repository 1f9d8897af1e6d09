// Development aid for issue #11 (displays never detected): reads the alarm frames of a generated set without a
// catalog and lists those where nothing at all was read from the display -- no line whose box centre lies on
// the panel (the label's panel bounds, grown a little for tilt). For each it prints the effects, the panel's
// size, the detector's boxes on the panel (with their scores, also those a lower box threshold keeps) and the
// stroke lines found there, and writes the panel's surroundings as PNG under OUT for looking at.
//   node --import tsx bench/_undetected.ts DIR [FROM] [COUNT] [OUT]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { PanelLabel } from '../scripts/gen-panels.js';
import { VisionAnalyzer } from '../src/vision/analyzer.js';
import { cropRgb, decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { findStrokes } from '../src/vision/ocr/display-regions.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { boxBounds } from '../src/vision/ocr/text-boxes.js';

const [dir, fromArg, countArg, outArg] = process.argv.slice(2);
const from = Number(fromArg ?? 0), count = Number(countArg ?? 1000);
const out = outArg ?? '/tmp/undetected';
mkdirSync(out, { recursive: true });
const labels = readFileSync(join(dir!, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PanelLabel).slice(from, from + count);
const reader = await PanelReader.create({ reuseUnchanged: false });
const loose = await PanelReader.create({ reuseUnchanged: false, textBoxes: { boxThreshold: 0.3, threshold: 0.2 } });
const plain = await VisionAnalyzer.create({ reader, ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
const norm = (c: string): string => c.replace(/\s+/g, '').toUpperCase();
const r1 = (v: number): number => Math.round(v);
let alarms = 0, wrong = 0, none = 0;
for (const l of labels) {
  if (!l.alarm) continue;
  alarms++;
  const frame = await decodeImageFile(join(dir!, l.file));
  const a = await plain.analyze(frame);
  if (a.alarmCodes.length === 1 && norm(a.alarmCodes[0]!) === norm(l.alarm)) continue;
  wrong++;
  const p = l.panel, g = 0.15 * Math.max(p.width, p.height);
  const on = (b: { x: number; y: number; width: number; height: number }): boolean => {
    const cx = b.x + b.width / 2, cy = b.y + b.height / 2;
    return cx >= p.x - g && cx <= p.x + p.width + g && cy >= p.y - g && cy <= p.y + p.height + g;
  };
  const lines = (a.detail.ocr as Array<{ text: string; box: { x: number; y: number; width: number; height: number }; confidence: number; rejected?: string }>);
  const onPanel = lines.filter((o) => on(o.box));
  // Read from the display: a line on the panel sharing at least half the code's characters (in order).
  const code = norm(l.alarm).replace(/[^A-Z0-9]/g, '');
  const shared = (t: string): number => lcs(norm(t).replace(/[^A-Z0-9]/g, ''), code);
  const read = onPanel.some((o) => shared(o.text) >= Math.ceil(code.length / 2));
  if (!read) none++;
  const rgb = frameToRgb(frame);
  const det = (await reader.detect(rgb)).map((b) => ({ ...boxBounds(b), score: b.score })).filter(on);
  const det2 = (await loose.detect(rgb)).map((b) => ({ ...boxBounds(b), score: b.score })).filter(on);
  const strokes = findStrokes(rgb).lines.filter(on);
  const fmt = (b: { x: number; y: number; width: number; height: number; score?: number; density?: number }): string =>
    `${r1(b.x)},${r1(b.y)} ${r1(b.width)}x${r1(b.height)}${b.score !== undefined ? ` s=${b.score.toFixed(2)}` : ''}${b.density !== undefined ? ` d=${b.density.toFixed(2)}` : ''}`;
  process.stdout.write(`${read ? 'READ' : 'NONE'} ${l.file} ${l.width}x${l.height} ${l.display} ${l.font} [${l.effects.join(',')}] "${l.text}" panel ${fmt(p)}\n` +
    `   lines: ${lines.map((o) => `${JSON.stringify(o.text)}@${fmt(o.box)} c=${o.confidence}${o.rejected ? ' REJ' : ''}`).join(' | ')}\n` +
    `   det on panel: ${det.map(fmt).join(' | ')}\n   loose det: ${det2.map(fmt).join(' | ')}\n   strokes: ${strokes.map(fmt).join(' | ')}\n`);
  const crop = cropRgb(rgb, { x: p.x - g, y: p.y - g, width: p.width + 2 * g, height: p.height + 2 * g });
  const bytes = Buffer.from(Uint8Array.from(crop.data, (v) => Math.max(0, Math.min(255, Math.round(v)))));
  writeFileSync(join(out, l.file.replace(/\.\w+$/, '.png')), await sharp(bytes, { raw: { width: crop.width, height: crop.height, channels: 3 } }).png().toBuffer());
}
process.stdout.write(`alarm frames ${alarms}, wrong ${wrong}, nothing read on the display ${none}\n`);
await reader.close();
await loose.close();

/** Length of the longest common subsequence of two strings. */
function lcs(a: string, b: string): number {
  const d = new Array<number>((a.length + 1) * (b.length + 1)).fill(0);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i * (b.length + 1) + j] = a[i - 1] === b[j - 1] ? d[(i - 1) * (b.length + 1) + j - 1]! + 1 : Math.max(d[(i - 1) * (b.length + 1) + j]!, d[i * (b.length + 1) + j - 1]!);
    }
  }
  return d[d.length - 1]!;
}
