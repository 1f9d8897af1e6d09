// What the development aids that look at single line crops share (bench/_ocr-debug.ts and its subcommands,
// bench/_kept-crops.ts, bench/_ocr-dump.ts): the loop over every line box the panel reader finds on a frame, the
// reader's recogniser called directly, a box from axis-aligned numbers, and crops written and read back as PPM or
// PNG. Not a benchmark.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImageFile, frameToRgb, type RgbImage } from '../src/vision/image.js';
import type { CharacterDictionary } from '../src/vision/ocr/ctc.js';
import type { Recognised } from '../src/vision/ocr/line-arbitration.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { boxBounds, cropTextBox, type TextBox } from '../src/vision/ocr/text-boxes.js';

export type Recognise = (crops: RgbImage[]) => Promise<Recognised[]>;

/** The reader's recogniser (private in PanelReader) on a batch of crops. */
export function recogniserOf(reader: PanelReader): Recognise {
  return (c) => (reader as unknown as { recognise(c: RgbImage[]): Promise<Recognised[]> }).recognise(c);
}

/** "[x,y wxh]" of a box, for a dev aid's line. */
export function boxLabel(b: TextBox): string {
  const bb = boxBounds(b);
  return `[${bb.x.toFixed(0)},${bb.y.toFixed(0)} ${bb.width.toFixed(0)}x${bb.height.toFixed(0)}]`;
}

/** The box of axis-aligned numbers x y w h (as boxLabel prints them). */
export function axisBox(x: number, y: number, w: number, h: number): TextBox {
  return { points: [[x, y], [x + w, y], [x + w, y + h], [x, y + h]], score: 1 };
}

export interface LineCrop {
  file: string;
  index: number;
  box: TextBox;
  crop: RgbImage;
  /** The recogniser's reading of the crop alone in a batch of all the frame's lines (as the first pass reads). */
  rec: Recognised;
}

/**
 * Calls `each` for every line box of every file (its name printed first), with the crop and its reading; `each`
 * returns the line to print after the box, or null. The reader comes with it for its dictionary and recogniser.
 */
export async function eachLineCrop(files: string[], each: (line: LineCrop, recognise: Recognise, reader: PanelReader, frame: RgbImage) => Promise<string | null>): Promise<void> {
  const reader = await PanelReader.create({ reuseUnchanged: false });
  const recognise = recogniserOf(reader);
  try {
    for (const file of files) {
      const img = frameToRgb(await decodeImageFile(file));
      const { boxes } = await reader.lineBoxes(img);
      const crops = boxes.map((b) => cropTextBox(img, b));
      const recs = crops.length ? await recognise(crops) : [];
      process.stdout.write(`${file}\n`);
      for (const [index, box] of boxes.entries()) {
        const line = await each({ file, index, box, crop: crops[index]!, rec: recs[index]! }, recognise, reader, img);
        if (line !== null) process.stdout.write(`  ${index} ${boxLabel(box)} ${crops[index]!.width}x${crops[index]!.height} ${line}\n`);
      }
    }
  } finally {
    await reader.close();
  }
}

/** A crop as binary PPM (values clamped to 0..255). */
export function writePpm(file: string, crop: RgbImage): void {
  const px = Buffer.alloc(crop.width * crop.height * 3);
  for (let k = 0; k < px.length; k++) px[k] = Math.max(0, Math.min(255, Math.round(crop.data[k]!)));
  writeFileSync(file, Buffer.concat([Buffer.from(`P6\n${crop.width} ${crop.height}\n255\n`, 'latin1'), px]));
}

/** A binary PPM written by writePpm. */
export function readPpm(file: string): RgbImage {
  const buf = readFileSync(file);
  const [, w, h] = buf.toString('latin1', 0, 32).split(/\s+/).map(Number) as [number, number, number];
  const px = buf.subarray(buf.length - w * h * 3);
  return { data: Float32Array.from(px), width: w, height: h };
}

/** Writes OUT/NAME.ppm and OUT/NAME.png, the PNG scaled to about 96 pixels high unless `unscaled` (ImageMagick's convert). */
export function saveCrop(crop: RgbImage, out: string, name: string, unscaled = false): void {
  const ppm = join(out, `${name}.ppm`);
  writePpm(ppm, crop);
  execFileSync('convert', [ppm, ...(unscaled ? [] : ['-scale', `${Math.max(1, Math.round(96 / crop.height)) * 100}%`]), join(out, `${name}.png`)]);
}

/** The `top` likeliest classes of a lattice step, likeliest first, as [class, probability]. */
export function topClasses(lattice: Recognised['lattice'], t: number, top: number): Array<[number, number]> {
  const row = lattice.probs.subarray(lattice.offset + t * lattice.classes, lattice.offset + (t + 1) * lattice.classes);
  return [...row.keys()].sort((a, b) => row[b]! - row[a]!).slice(0, top).map((k) => [k, row[k]!]);
}

/** Each step where the likeliest class changes to a character: `tSTEP:c=p,c=p,c=p` with the three likeliest classes. */
export function latticeSteps(lattice: Recognised['lattice'], dict: CharacterDictionary): string {
  const steps: string[] = [];
  let prev = -1;
  for (let t = 0; t < lattice.steps; t++) {
    const order = topClasses(lattice, t, 3);
    if (order[0]![0] !== 0 && order[0]![0] !== prev) steps.push(`t${t}:` + order.map(([k, p]) => `${k ? dict.chars[k] : '_'}=${p.toFixed(2)}`).join(','));
    prev = order[0]![0];
  }
  return steps.join('  ');
}
