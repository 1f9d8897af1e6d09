// Development aid: for one frame, each line read as a bare number (a status value, no letters) is read again on
// crops widened to the left by several box heights, plain and with the crop's slow light (glare) taken out, and
// each reading printed as the recogniser gave it and as interpretLine makes it. For tracing alarm frames that
// report no code because the box left a code's letters out.
//   node --import tsx bench/_nocode37-wide.ts FRAME
import type { RgbImage } from '../src/vision/image.js';
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { widenBox } from '../src/vision/ocr/box-ends.js';
import { interpretLine, type Recognised } from '../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../src/vision/ocr/line-grammar.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cropTextBox, type TextBox } from '../src/vision/ocr/text-boxes.js';

/** The crop with a wide box blur of its grey level taken out per pixel, stretched back to 0..255 (dev only). */
function flattened(c: RgbImage): RgbImage {
  const w = c.width, h = c.height, r = Math.max(2, Math.round(h * 0.6));
  const g = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) g[i] = 0.299 * c.data[3 * i]! + 0.587 * c.data[3 * i + 1]! + 0.114 * c.data[3 * i + 2]!;
  const bg = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let s = 0, n = 0;
    for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy += 2) for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx += 2) { s += g[yy * w + xx]!; n++; }
    bg[y * w + x] = s / n;
  }
  const d = new Float32Array(w * h);
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < w * h; i++) { d[i] = g[i]! - bg[i]!; lo = Math.min(lo, d[i]!); hi = Math.max(hi, d[i]!); }
  const out = new Float32Array(3 * w * h);
  for (let i = 0; i < w * h; i++) { const v = (255 * (d[i]! - lo)) / Math.max(1, hi - lo); out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = v; }
  return { width: w, height: h, data: out };
}

const reader = await PanelReader.create({ reuseUnchanged: false });
const recognise = (reader as unknown as { recognise(c: RgbImage[]): Promise<Recognised[]> }).recognise.bind(reader);
const img = frameToRgb(await decodeImageFile(process.argv[2]!));
const grammar = new LineGrammar({});
const lines = await reader.read(img, { grammar });
for (const l of lines) {
  console.log(`line ${JSON.stringify(l.text)} ${l.reading?.kind} seg=${l.segment} c=${l.confidence.toFixed(2)} box=${JSON.stringify(l.box)}`);
  if (!/^-?\d{1,4}$/.test(l.text.replace(/\s+/g, ''))) continue;
  const b = l.box;
  const box: TextBox = { points: [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]], score: 1 };
  for (const by of [1.5, 2, 2.5, 3, 3.5]) {
    const crop = cropTextBox(img, widenBox(box, true, false, by));
    for (const [name, c] of [['plain', crop], ['flat', flattened(crop)]] as const) {
      const [r] = await recognise([c]);
      const i = interpretLine(c, r!, reader.dictionary, { grammar });
      console.log(`   by=${by} ${name}: greedy=${JSON.stringify(r!.greedy.text)} c=${r!.greedy.confidence.toFixed(2)} → ${JSON.stringify(i.text)} ${i.reading?.kind} c=${i.confidence.toFixed(2)}`);
    }
  }
}
await reader.close();
