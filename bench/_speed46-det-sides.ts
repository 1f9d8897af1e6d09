// The detector lever measured box for box: the first pass's boxes at the reader's 960 against the same frame's boxes at
// smaller detector sides (how many boxes each side finds that the other does not, and how far the boxes it shares
// lie apart, in frame pixels), and the detector's CPU at each side; with how much of the frame the 960 boxes' union
// covers (what a detector pass over the text's region only would still have to look at). Dev aid for speed46.
//   node --import tsx bench/_speed46-det-sides.ts FRAMES.json [SIDE,SIDE...]
import { readFileSync } from 'node:fs';
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { boxBounds, type TextBox } from '../src/vision/ocr/text-boxes.js';

const [listFile, sidesArg] = process.argv.slice(2);
const files: string[] = JSON.parse(readFileSync(listFile!, 'utf8'));
const sides = (sidesArg ?? '832,736,640').split(',').map(Number);
const reader = await PanelReader.create({ reuseUnchanged: false });
type B = ReturnType<typeof boxBounds>;
const iou = (a: B, b: B): number => {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x), h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  const i = w > 0 && h > 0 ? w * h : 0;
  return i / (a.width * a.height + b.width * b.height - i);
};
const cpu = async (img: Parameters<PanelReader['detect']>[0], side: number): Promise<{ boxes: B[]; ms: number }> => {
  const c = process.cpuUsage();
  const boxes: TextBox[] = await reader.detect(img, side);
  const u = process.cpuUsage(c);
  return { boxes: boxes.map(boxBounds), ms: (u.user + u.system) / 1000 };
};
const tally = new Map<number, { ms: number; lost: number; extra: number; shared: number; shift: number; sameFrames: number }>();
let fullMs = 0, fullBoxes = 0, cover = 0;
for (const f of files) {
  const img = frameToRgb(await decodeImageFile(f));
  const full = await cpu(img, 960);
  fullMs += full.ms; fullBoxes += full.boxes.length;
  if (full.boxes.length) {
    const x0 = Math.min(...full.boxes.map((b) => b.x)), y0 = Math.min(...full.boxes.map((b) => b.y));
    const x1 = Math.max(...full.boxes.map((b) => b.x + b.width)), y1 = Math.max(...full.boxes.map((b) => b.y + b.height));
    cover += ((x1 - x0) * (y1 - y0)) / (img.width * img.height);
  }
  for (const s of sides) {
    const small = await cpu(img, s);
    const t = tally.get(s) ?? { ms: 0, lost: 0, extra: 0, shared: 0, shift: 0, sameFrames: 0 };
    t.ms += small.ms;
    const used = new Set<number>();
    let lost = 0, maxShift = 0;
    for (const b of full.boxes) {
      let best = -1, bi = -1;
      small.boxes.forEach((c, i) => { const v = iou(b, c); if (!used.has(i) && v > best) { best = v; bi = i; } });
      if (best < 0.5) { lost++; continue; }
      used.add(bi);
      const c = small.boxes[bi]!;
      const shift = Math.max(Math.abs(b.x - c.x), Math.abs(b.y - c.y), Math.abs(b.x + b.width - c.x - c.width), Math.abs(b.y + b.height - c.y - c.height));
      t.shared++; t.shift += shift; maxShift = Math.max(maxShift, shift);
    }
    const extra = small.boxes.length - used.size;
    t.lost += lost; t.extra += extra;
    if (!lost && !extra && maxShift < 1) t.sameFrames++;
    tally.set(s, t);
  }
}
const n = files.length;
console.log(`frames ${n}  detector at 960: ${(fullMs / n).toFixed(1)} ms CPU/frame, ${fullBoxes} boxes; the boxes' union covers ${((100 * cover) / n).toFixed(0)}% of a frame on average`);
for (const [s, t] of tally) {
  console.log(`side ${s}: ${(t.ms / n).toFixed(1)} ms CPU/frame (${((100 * t.ms) / fullMs).toFixed(0)}%), boxes lost ${t.lost}, extra ${t.extra}, shared ${t.shared} `
    + `(mean largest edge shift ${(t.shift / Math.max(1, t.shared)).toFixed(1)} px), frames with the same boxes to a pixel ${t.sameFrames}`);
}
await reader.close();
