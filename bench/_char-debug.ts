// Development aid: for one frame, each line crop saved as PNG (OUTDIR/line-N.png) with the recogniser's emitted
// characters and their runner-up classes, the segment cells and the chosen reading. Not a benchmark.
//   node --import tsx bench/_char-debug.ts FRAME OUTDIR [catalog]
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cropTextBox } from '../src/vision/ocr/text-boxes.js';
import { LineGrammar } from '../src/vision/ocr/line-grammar.js';
import { readSegmentCells } from '../src/vision/ocr/segment-cells.js';
import { segmentReading } from '../src/vision/ocr/segment-lattice.js';
import { dotMatrixLine, isDotMatrix } from '../src/vision/ocr/dot-matrix.js';
import { interpretLine, type Recognised } from '../src/vision/ocr/line-arbitration.js';

const CATALOG_PATTERNS = ['/E-\\d{3}/', '/E\\d{2,3}/', '/AL\\d{3,4}/', '/F-?\\d{2,3}/', '/ERR[- ]?\\d{2,3}/', '/A\\d{2}/',
  '/ALM \\d{2}/', '/FLT \\d{2}/', '/H\\d{2}/', '/C-\\d{2}/'];
const [file, out, cat] = process.argv.slice(2);
mkdirSync(out!, { recursive: true });
const reader = await PanelReader.create({ reuseUnchanged: false });
const dict = reader.dictionary;
const grammar = new LineGrammar(cat ? { alarmPatterns: CATALOG_PATTERNS } : {});
const img = frameToRgb(await decodeImageFile(file!));
const { boxes } = await reader.lineBoxes(img);
const crops = boxes.map((b) => cropTextBox(img, b));
const recs = await (reader as unknown as { recognise(c: unknown[]): Promise<Recognised[]> }).recognise(crops);
crops.forEach((c, i) => {
  const px = Buffer.alloc(c.width * c.height * 3);
  for (let k = 0; k < px.length; k++) px[k] = Math.max(0, Math.min(255, Math.round(c.data[k]!)));
  const ppm = join(out!, `line-${i}.ppm`);
  writeFileSync(ppm, Buffer.concat([Buffer.from(`P6\n${c.width} ${c.height}\n255\n`, 'latin1'), px]));
  execFileSync('convert', [ppm, '-scale', `${Math.max(1, Math.round(96 / c.height)) * 100}%`, join(out!, `line-${i}.png`)]);
  const rec = recs[i]!;
  const l = rec.lattice;
  const steps: string[] = [];
  let prev = -1;
  for (let t = 0; t < l.steps; t++) {
    const row = l.offset + t * l.classes;
    const order = [...Array(l.classes).keys()].sort((a, b) => l.probs[row + b]! - l.probs[row + a]!).slice(0, 3);
    if (order[0] !== 0 && order[0] !== prev) steps.push(`t${t}:` + order.map((k) => `${k ? dict.chars[k] : '_'}=${l.probs[row + k]!.toFixed(2)}`).join(','));
    prev = order[0]!;
  }
  const line = readSegmentCells(c);
  const seg = line && line.cells.length >= 2 ? segmentReading(line, rec.lattice, dict, c.width, c.height) : null;
  const dm = dotMatrixLine(c);
  const isDm = isDotMatrix(dm);
  const chosen = interpretLine(c, rec, dict, { grammar, dotMatrix: isDm });
  console.log(`line-${i} ${c.width}x${c.height} greedy=${JSON.stringify(rec.greedy.text)} c=${rec.greedy.confidence.toFixed(3)} dots=${dm?.score.toFixed(2)}/${isDm}`
    + (seg ? ` cells=${JSON.stringify(seg.text)} ${line!.segments}seg fit=${seg.fit.toFixed(2)} unexpl=${seg.unexplained} gaps=${seg.gaps}` : '')
    + `\n   ${steps.join('  ')}\n   → ${JSON.stringify(chosen.text)} ${chosen.reading?.kind} c=${chosen.confidence.toFixed(3)}${chosen.cells ? ' BY CELLS' : ''}`);
  if (line) console.log('   cells: ' + line.cells.map((x) => x.shape ?? Object.entries(x.lit).filter(([, v]) => (v as number) > 0.5).map(([s]) => s).join('')).join(' | '));
});
await reader.close();
