// Development aids' shared loop: for each frame file, every line box the panel reader finds, with its crop, handed to
// a callback that may ask the reader's recogniser directly. Not a benchmark.
import { decodeImageFile, frameToRgb, type RgbImage } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { boxBounds, cropTextBox, type TextBox } from '../src/vision/ocr/text-boxes.js';
import type { Recognised } from '../src/vision/ocr/line-arbitration.js';

export type Recognise = (crops: RgbImage[]) => Promise<Recognised[]>;

/** "[x,y wxh]" of a box, for a dev aid's line. */
export function boxLabel(b: TextBox): string {
  const bb = boxBounds(b);
  return `[${bb.x.toFixed(0)},${bb.y.toFixed(0)} ${bb.width.toFixed(0)}x${bb.height.toFixed(0)}]`;
}

/** Calls `each` for every line box of every file (its name printed first); `each` returns the line to print, or null. */
export async function eachLineCrop(files: string[], each: (crop: RgbImage, box: TextBox, recognise: Recognise) => Promise<string | null>): Promise<void> {
  const reader = await PanelReader.create({ reuseUnchanged: false });
  const recognise: Recognise = (c) => (reader as unknown as { recognise(c: RgbImage[]): Promise<Recognised[]> }).recognise(c);
  try {
    for (const file of files) {
      const img = frameToRgb(await decodeImageFile(file));
      const { boxes } = await reader.lineBoxes(img);
      process.stdout.write(`${file}\n`);
      for (const b of boxes) {
        const line = await each(cropTextBox(img, b), b, recognise);
        if (line !== null) process.stdout.write(`  ${boxLabel(b)} ${line}\n`);
      }
    }
  } finally {
    await reader.close();
  }
}
