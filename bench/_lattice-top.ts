// Development aid: for each line with a digit on one frame (the first pass's boxes), the recogniser's four most
// likely classes at every step that is not surely blank: does the lattice give a letter any probability where the
// greedy reading has a digit (a code's prefix read as digits)? Not a benchmark.
//   node --import tsx bench/_lattice-top.ts FRAME
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cropTextBox } from '../src/vision/ocr/text-boxes.js';
import type { Recognised } from '../src/vision/ocr/line-arbitration.js';
const reader = await PanelReader.create({ reuseUnchanged: false });
const img = frameToRgb(await decodeImageFile(process.argv[2]!));
const { boxes } = await reader.lineBoxes(img);
const crops = boxes.map((b) => cropTextBox(img, b));
const recs = await (reader as unknown as { recognise(c: unknown[]): Promise<Recognised[]> }).recognise(crops);
const dict = reader.dictionary;
recs.forEach((r, i) => {
  if (!/\d/.test(r.greedy.text)) return;
  console.log(`line ${i} greedy=${r.greedy.text}`);
  const { probs, offset, steps, classes } = r.lattice;
  for (let t = 0; t < steps; t++) {
    const row = Array.from({ length: classes }, (_, c) => [probs[offset + t * classes + c]!, c] as const).sort((a, b) => b[0] - a[0]).slice(0, 4);
    if (row[0]![1] === 0 && row[0]![0] > 0.95) continue;
    console.log(`  t${t}: ` + row.map(([p, c]) => `${JSON.stringify(dict.chars[c] ?? '?')}:${p.toFixed(3)}`).join(' '));
  }
});
await reader.close();
