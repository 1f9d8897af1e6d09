// Shared by the development aids that show a line crop and what the recogniser saw in it (_char-debug.ts,
// _i11e-lines.ts): the crop written as PPM and scaled to a readable PNG, and the recogniser's top classes per step.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RgbImage } from '../src/vision/image.js';
import type { Recognised } from '../src/vision/ocr/line-arbitration.js';
import type { CharacterDictionary } from '../src/vision/ocr/ctc.js';

/** Writes OUT/NAME.ppm and OUT/NAME.png (scaled to about 96 pixels high, ImageMagick's convert). */
export function saveCrop(crop: RgbImage, out: string, name: string): void {
  const px = Buffer.alloc(crop.width * crop.height * 3);
  for (let k = 0; k < px.length; k++) px[k] = Math.max(0, Math.min(255, Math.round(crop.data[k]!)));
  const ppm = join(out, `${name}.ppm`);
  writeFileSync(ppm, Buffer.concat([Buffer.from(`P6\n${crop.width} ${crop.height}\n255\n`, 'latin1'), px]));
  execFileSync('convert', [ppm, '-scale', `${Math.max(1, Math.round(96 / crop.height)) * 100}%`, join(out, `${name}.png`)]);
}

/** Each step where the likeliest class changes to a character: `tSTEP:c=p,c=p,c=p` with the three likeliest classes. */
export function latticeSteps(lattice: Recognised['lattice'], dict: CharacterDictionary): string {
  const steps: string[] = [];
  let prev = -1;
  for (let t = 0; t < lattice.steps; t++) {
    const row = lattice.offset + t * lattice.classes;
    const order = [...Array(lattice.classes).keys()].sort((a, b) => lattice.probs[row + b]! - lattice.probs[row + a]!).slice(0, 3);
    if (order[0] !== 0 && order[0] !== prev) steps.push(`t${t}:` + order.map((k) => `${k ? dict.chars[k] : '_'}=${lattice.probs[row + k]!.toFixed(2)}`).join(','));
    prev = order[0]!;
  }
  return steps.join('  ');
}
