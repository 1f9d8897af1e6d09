// Development aid for issue #11 (displays never detected): for the listed frames of a generated set, the
// detector's boxes on the display panel under several views of the frame (as the first pass sees it, half
// scale, grey stretched, denoised, a lower box threshold) and what the reader makes of the panel cropped
// out by hand (an oracle: could the display be read at all once found?).
//   node --import tsx bench/_view-probe.ts DIR FILE[,FILE...]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PanelLabel } from '../scripts/gen-panels.js';
import { cropRgb, decodeImageFile, frameToRgb, resizeBilinear, type RgbImage } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { enhancedFrame } from '../src/vision/ocr/second-look.js';
import { boxBounds, type TextBox } from '../src/vision/ocr/text-boxes.js';
import { findStrokes } from '../src/vision/ocr/display-regions.js';
import { LineGrammar } from '../src/vision/ocr/line-grammar.js';

const [dir, files] = process.argv.slice(2);
const want = new Set(files!.split(','));
const labels = readFileSync(join(dir!, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PanelLabel).filter((l) => want.has(l.file));
const reader = await PanelReader.create({ reuseUnchanged: false });
const loose = await PanelReader.create({ reuseUnchanged: false, textBoxes: { boxThreshold: 0.35, threshold: 0.2 } });
const r1 = (v: number): number => Math.round(v);
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
function scaled(img: RgbImage, side: number): { view: RgbImage; scale: number } {
  const s = Math.min(1, side / Math.max(img.width, img.height));
  const w = Math.round(img.width * s), h = Math.round(img.height * s);
  return { view: { data: resizeBilinear(img.data, img.width, img.height, 3, w, h), width: w, height: h }, scale: img.width / w };
}
for (const l of labels) {
  const rgb = frameToRgb(await decodeImageFile(join(dir!, l.file)));
  const p = l.panel, g = 0.15 * Math.max(p.width, p.height);
  const on = (b: { x: number; y: number; width: number; height: number }): boolean => {
    const cx = b.x + b.width / 2, cy = b.y + b.height / 2;
    return cx >= p.x - g && cx <= p.x + p.width + g && cy >= p.y - g && cy <= p.y + p.height + g;
  };
  const fmt = (bs: TextBox[], k = 1): string => bs.map((b) => ({ ...boxBounds(b), score: b.score })).map((b) => ({ ...b, x: b.x * k, y: b.y * k, width: b.width * k, height: b.height * k }))
    .filter(on).map((b) => `${r1(b.x)},${r1(b.y)} ${r1(b.width)}x${r1(b.height)} s=${b.score.toFixed(2)}`).join(' | ');
  process.stdout.write(`${l.file} ${l.width}x${l.height} ${l.font} [${l.effects.join(',')}] "${l.text}" panel ${p.x},${p.y} ${p.width}x${p.height}\n`);
  process.stdout.write(`  det960: ${fmt(await reader.detect(rgb))}\n`);
  process.stdout.write(`  det480: ${fmt(await reader.detect(rgb, 480))}\n`);
  const e = enhancedFrame(rgb, 960);
  process.stdout.write(`  enh:    ${fmt(await reader.detect(e.view), e.scale)}\n`);
  const s = scaled(rgb, 640);
  const bl = boxBlur(s.view, 1);
  process.stdout.write(`  blur640: ${fmt(await reader.detect(bl), s.scale)}\n`);
  process.stdout.write(`  loose960: ${fmt(await loose.detect(rgb))}\n`);
  process.stdout.write(`  loose480: ${fmt(await loose.detect(rgb, 480))}\n`);
  process.stdout.write(`  strokes: ${findStrokes(rgb).lines.filter(on).map((b) => `${r1(b.x)},${r1(b.y)} ${r1(b.width)}x${r1(b.height)} d=${b.density.toFixed(2)}`).join(' | ')}\n`);
  const crop = cropRgb(rgb, { x: p.x - g, y: p.y - g, width: p.width + 2 * g, height: p.height + 2 * g });
  process.stdout.write(`  crop ${crop.width}x${crop.height} det: ${fmt(await reader.detect(crop))}\n`);
  const lines = await reader.read(crop, { grammar: new LineGrammar({ alarmPatterns: [] }) });
  process.stdout.write(`  panel crop read: ${lines.map((o) => `${JSON.stringify(o.text)} ${o.reading?.kind ?? ''} c=${o.confidence.toFixed(2)} v=${o.view} f=${o.found ?? ''} @${r1(o.box.x)},${r1(o.box.y)} ${r1(o.box.width)}x${r1(o.box.height)}`).join(' | ')}\n`);
}
await reader.close();
await loose.close();
