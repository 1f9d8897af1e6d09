// Development aid for issue #11 (displays never detected): reads the alarm frames of a generated set without a
// catalog and lists those where nothing at all was read from the display -- no line whose box centre lies on
// the panel (the label's panel bounds, grown a little for tilt). For each it prints the effects, the panel's
// size, the detector's boxes on the panel (with their scores, also those a lower box threshold keeps) and the
// stroke lines found there, and writes the panel's surroundings as PNG under OUT for looking at.
//   node --import tsx bench/_undetected.ts DIR [FROM] [COUNT] [OUT] [--only=FILE,...] [--probe]
// --probe also tries other views of the frame for each (half scale, grey stretched, blurred, a lower box threshold
// at half scale) and reads the panel cropped out by hand: an oracle, could the display be read at all once found?
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { cropRgb, decodeImageFile, frameToRgb, resizeBilinear, type RgbImage } from '../src/vision/image.js';
import { findStrokes } from '../src/vision/ocr/display-regions.js';
import { LineGrammar } from '../src/vision/ocr/line-grammar.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { enhancedFrame } from '../src/vision/ocr/second-look.js';
import { boxBounds, type TextBox } from '../src/vision/ocr/text-boxes.js';
import { benchAnalyzer, filterArgs, norm, readLabels, readRight } from './_set.js';

const [dir, fromArg, countArg, outArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const from = Number(fromArg ?? 0), count = Number(countArg ?? 1000);
const out = outArg ?? '/tmp/undetected';
mkdirSync(out, { recursive: true });
const labels = readLabels(dir!, { ...filterArgs(process.argv, from, count), alarms: true });
const reader = await PanelReader.create({ reuseUnchanged: false });
const loose = await PanelReader.create({ reuseUnchanged: false, textBoxes: { boxThreshold: 0.3, threshold: 0.2 } });
const plain = await benchAnalyzer({ reader });
const r1 = (v: number): number => Math.round(v);
let alarms = 0, wrong = 0, none = 0;
for (const l of labels) {
  alarms++;
  const frame = await decodeImageFile(join(dir!, l.file));
  const a = await plain.analyze(frame);
  if (readRight(l, a.alarmCodes)) continue;
  wrong++;
  const p = l.panel, g = 0.15 * Math.max(p.width, p.height);
  const on = (b: { x: number; y: number; width: number; height: number }): boolean => {
    const cx = b.x + b.width / 2, cy = b.y + b.height / 2;
    return cx >= p.x - g && cx <= p.x + p.width + g && cy >= p.y - g && cy <= p.y + p.height + g;
  };
  const lines = (a.detail.ocr as Array<{ text: string; box: { x: number; y: number; width: number; height: number }; confidence: number; rejected?: string }>);
  const onPanel = lines.filter((o) => on(o.box));
  // Read from the display: a line on the panel sharing at least half the code's characters (in order).
  const code = norm(l.alarm!).replace(/[^A-Z0-9]/g, '');
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
  if (process.argv.includes('--probe')) await probe(rgb, crop, on);
}
process.stdout.write(`alarm frames ${alarms}, wrong ${wrong}, nothing read on the display ${none}\n`);
await reader.close();
await loose.close();

/** The detector's boxes on the panel under other views of the frame, and the panel crop read as a frame. */
async function probe(rgb: RgbImage, crop: RgbImage, on: (b: { x: number; y: number; width: number; height: number }) => boolean): Promise<void> {
  const fmt = (bs: TextBox[], k = 1): string => bs.map((b) => ({ ...boxBounds(b), score: b.score })).map((b) => ({ ...b, x: b.x * k, y: b.y * k, width: b.width * k, height: b.height * k }))
    .filter(on).map((b) => `${r1(b.x)},${r1(b.y)} ${r1(b.width)}x${r1(b.height)} s=${b.score.toFixed(2)}`).join(' | ');
  process.stdout.write(`   det480: ${fmt(await reader.detect(rgb, 480))}\n`);
  const e = enhancedFrame(rgb, 960);
  process.stdout.write(`   enhanced: ${fmt(await reader.detect(e.view), e.scale)}\n`);
  const s = Math.min(1, 640 / Math.max(rgb.width, rgb.height)), w = Math.round(rgb.width * s), h = Math.round(rgb.height * s);
  const small = { data: resizeBilinear(rgb.data, rgb.width, rgb.height, 3, w, h), width: w, height: h };
  process.stdout.write(`   blur640: ${fmt(await reader.detect(boxBlur(small, 1)), rgb.width / w)}\n`);
  process.stdout.write(`   loose480: ${fmt(await loose.detect(rgb, 480))}\n`);
  process.stdout.write(`   panel crop ${crop.width}x${crop.height} det: ${fmt(await reader.detect(crop))}\n`);
  const lines = await reader.read(crop, { grammar: new LineGrammar({ alarmPatterns: [] }) });
  process.stdout.write(`   panel crop read: ${lines.map((o) => `${JSON.stringify(o.text)} ${o.reading?.kind ?? ''} c=${o.confidence.toFixed(2)} v=${o.view} f=${o.found ?? ''} @${r1(o.box.x)},${r1(o.box.y)} ${r1(o.box.width)}x${r1(o.box.height)}`).join(' | ')}\n`);
}

/** A (2r+1)² box blur of an image. */
function boxBlur(img: RgbImage, r: number): RgbImage {
  const { width: w, height: h, data } = img;
  const out = new Float32Array(data.length);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) {
    let s = 0, n = 0;
    for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) {
      const yy = y + dy, xx = x + dx;
      if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
      s += data[3 * (yy * w + xx) + c]!; n++;
    }
    out[3 * (y * w + x) + c] = s / n;
  }
  return { data: out, width: w, height: h };
}

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
