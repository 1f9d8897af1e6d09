// Development aid for the segment reader (segment-cells.ts …): finds the text
// lines of generated panels with the real detector and recogniser once, and
// keeps each line crop that lies on the display (PPM) with the recogniser's
// most likely classes per step, so that bench/_segment-eval.ts can re-run the
// segment reader on them in seconds while it is changed. Not a benchmark.
//   node --import tsx bench/_segment-crops.ts DIR FROM COUNT OUTDIR
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PanelLabel } from '../scripts/gen-panels.js';
import { decodeImageFile, frameToRgb, type RgbImage } from '../src/vision/image.js';
import type { Lattice } from '../src/vision/ocr/constrained-ctc.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { boxBounds, cropTextBox } from '../src/vision/ocr/text-boxes.js';

const [dir, fromArg, countArg, out] = process.argv.slice(2);
if (!dir || !out) throw new Error('usage: _segment-crops.ts DIR FROM COUNT OUTDIR');
const from = Number(fromArg ?? 0), count = Number(countArg ?? 40);
const labels = readFileSync(join(dir, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PanelLabel).slice(from, from + count);
mkdirSync(out, { recursive: true });
const reader = await PanelReader.create({ reuseUnchanged: false });
const recognise = (reader as unknown as { recognise(c: RgbImage[]): Promise<Array<{ greedy: { text: string; confidence: number }; lattice: Lattice }>> }).recognise.bind(reader);
const TOP = 6;
const index: unknown[] = [];
for (const l of labels) {
  const rgb = frameToRgb(await decodeImageFile(join(dir, l.file)));
  const { boxes } = await reader.lineBoxes(rgb);
  const p = l.panel;
  const onDisplay = boxes.filter((b) => {
    const r = boxBounds(b);
    const cx = r.x + r.width / 2, cy = r.y + r.height / 2;
    return cx >= p.x && cx <= p.x + p.width && cy >= p.y && cy <= p.y + p.height;
  });
  const crops = onDisplay.map((b) => cropTextBox(rgb, b));
  const recs = crops.length ? await recognise(crops) : [];
  const lines = crops.map((c, i) => {
    const name = `${l.file.replace(/\.\w+$/, '')}-${i}.ppm`;
    const px = Buffer.alloc(c.width * c.height * 3);
    for (let k = 0; k < px.length; k++) px[k] = Math.max(0, Math.min(255, Math.round(c.data[k]!)));
    writeFileSync(join(out, name), Buffer.concat([Buffer.from(`P6\n${c.width} ${c.height}\n255\n`, 'latin1'), px]));
    const { lattice, greedy } = recs[i]!;
    const steps: Array<Array<[number, number]>> = [];
    for (let t = 0; t < lattice.steps; t++) {
      const row = lattice.probs.subarray(lattice.offset + t * lattice.classes, lattice.offset + (t + 1) * lattice.classes);
      const top = [...row.keys()].sort((a, b) => row[b]! - row[a]!).slice(0, TOP).map((k) => [k, Math.round(row[k]! * 1e4) / 1e4] as [number, number]);
      steps.push(top);
    }
    return { file: name, x: boxBounds(onDisplay[i]!).x, greedy: greedy.text, confidence: greedy.confidence, classes: lattice.classes, steps };
  });
  index.push({ ...l, lines });
  process.stderr.write('.');
}
writeFileSync(join(out, 'crops.json'), JSON.stringify(index));
process.stderr.write(`\n${index.length} frames\n`);
await reader.close();
