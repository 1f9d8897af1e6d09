// Development aid: for a line crop saved as PPM/PNG by _char-debug.ts (or any line image), the 5×7 dots dot-zero.ts
// samples per character, and what romDigits makes of a reading given on the command line.
//   node --import tsx bench/_dots41-rom.ts LINE.png TEXT
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { dotGlyphs, romDigit, romDigits } from '../src/vision/ocr/dot-rom-digits.js';

const img = frameToRgb(await decodeImageFile(process.argv[2]!));
const glyphs = dotGlyphs(img);
for (const g of glyphs ?? []) {
  if (!g) { console.log('(no full cell)'); continue; }
  for (let r = 0; r < 7; r++) console.log(g.slice(5 * r, 5 * r + 5).map((b) => (b ? '#' : '.')).join(''));
  console.log(romDigit(g) ?? "-", '');
}
console.log(glyphs?.length, 'runs;', JSON.stringify(romDigits(img, process.argv[3] ?? '')));
