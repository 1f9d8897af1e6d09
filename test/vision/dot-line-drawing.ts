// Test helper: a dark dot-matrix module showing a text in bright 5×7 character-ROM dots (dot-rom.ts), drawn in code so
// that a test of a dot reader needs no model. A space is an empty cell; a dash is the ROM's middle row of five dots.
import type { RgbImage } from '../../src/vision/image.js';
import { DOT_ROM } from '../../src/vision/ocr/dot-rom.js';

const DASH = '00000 00000 00000 11111 00000 00000 00000';

/** `text` at a dot pitch of 6 px, one dark pitch between characters. */
export function dotLine(text: string): RgbImage {
  const p = 6, gap = 6, pad = 8;
  const W = pad * 2 + text.length * (5 * p + gap), H = pad * 2 + 7 * p;
  const data = new Float32Array(W * H * 3).fill(20);
  [...text].forEach((ch, c) => {
    if (ch === ' ') return;
    const rows = (ch === '-' ? DASH : DOT_ROM[ch]!).replace(/ /g, '');
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 7; j++) {
        if (rows[j * 5 + i] !== '1') continue;
        const x0 = pad + c * (5 * p + gap) + i * p, y0 = pad + j * p;
        for (let y = y0; y < y0 + p - 1; y++) for (let x = x0; x < x0 + p - 1; x++) data.fill(230, (y * W + x) * 3, (y * W + x) * 3 + 3);
      }
    }
  });
  return { data, width: W, height: H };
}
