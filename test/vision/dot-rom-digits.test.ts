// Digits of a 5×7 dot-matrix character ROM read as letters (src/vision/ocr/dot-rom-digits.ts): the slashed zero read
// D, G or O, the flat-topped 5 read S. Drawn in code first (no models): a line of ROM characters, dark dots on a light
// module with its unlit dots faintly shown, sampled back dot for dot; a letter on a digit's dots becomes the digit, a
// letter on a letter's dots (the O of the ROM has no slash) stays. Then a generated camera frame through the real
// models: E00 on a yellow-green LCD with ghost dots, read EDO on its plain crop and EGD on its enhanced one, no code
// (gen-panels-drawn seed 140 frame 24, its line scoring 0.04 on the dot-matrix test: square dots nearly touching).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile, type RgbImage } from '../../src/vision/image.js';
import { dotGlyphs, romDigit, romDigitCode, romDigits } from '../../src/vision/ocr/dot-rom-digits.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';

const FRAME = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/drawn-dot-matrix-e00-slashed-zeros-read-edo.png');

const ROWS: Record<string, string> = {
  E: '11111 10000 10000 11110 10000 10000 11111', F: '11111 10000 10000 11110 10000 10000 10000',
  '0': '01110 10001 10011 10101 11001 10001 01110', O: '01110 10001 10001 10001 10001 10001 01110',
  '5': '11111 10000 11110 00001 00001 10001 01110', S: '01111 10000 10000 01110 00001 00001 11110',
  L: '10000 10000 10000 10000 10000 10000 11111', '7': '11111 00001 00010 00100 01000 01000 01000',
  '2': '01110 10001 00001 00010 00100 01000 11111', Z: '11111 00001 00010 00100 01000 10000 11111', T: '11111 00100 00100 00100 00100 00100 00100',
};

/** A light module showing `text` in dark 5×7 dots at a pitch of 6 px, every unlit dot of its cells faintly drawn. */
function line(text: string): RgbImage {
  const p = 6, gap = 6, pad = 8;
  const W = pad * 2 + text.length * (5 * p + gap), H = pad * 2 + 7 * p;
  const data = new Float32Array(W * H * 3).fill(200);
  [...text].forEach((ch, c) => {
    const rows = ROWS[ch]!.replace(/ /g, '');
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 7; j++) {
        const v = rows[j * 5 + i] === '1' ? 30 : 180;
        const x0 = pad + c * (5 * p + gap) + i * p, y0 = pad + j * p;
        for (let y = y0; y < y0 + p - 1; y++) for (let x = x0; x < x0 + p - 1; x++) data.fill(v, (y * W + x) * 3, (y * W + x) * 3 + 3);
      }
    }
  });
  return { data, width: W, height: H };
}

describe('letters read on a dot-matrix ROM digit', () => {
  test('each character is sampled back dot for dot; only a digit\'s dots name a digit', () => {
    const glyphs = dotGlyphs(line('E0O5S'))!;
    assert.equal(glyphs.length, 5);
    assert.deepEqual(glyphs.map((g) => (g ? romDigit(g) : null)), [null, '0', null, '5', null]);
  });

  test('a letter after the first character on a digit\'s dots is the digit; letters on letters stay', () => {
    assert.equal(romDigits(line('E00'), 'EDO'), 'E00');
    assert.equal(romDigits(line('E00'), 'EGD'), 'E00');
    assert.equal(romDigits(line('FLT05'), 'FLTGS'), 'FLT05');
    assert.equal(romDigits(line('E72'), 'E7Z'), 'E72', 'the ROM\'s 2 has a round top, its Z a flat one');
    assert.equal(romDigits(line('E7Z'), 'E7Z'), 'E7Z');
    assert.equal(romDigits(line('EOO'), 'EOO'), 'EOO', 'the ROM\'s O has no slash');
    assert.equal(romDigits(line('E00'), 'ED'), 'ED', 'characters and runs do not pair');
  });

  test('only a reading the digits make an alarm code is changed', () => {
    const g = new LineGrammar();
    assert.equal(romDigitCode(line('E00'), 'EDO', g), 'E00');
    assert.equal(romDigitCode(line('E00'), 'E00', g), null, 'a code already');
    assert.equal(romDigitCode(line('EOO'), 'EOO', g), null);
  });

  test('a whole frame: E00 of slashed zeros read EDO is E00', { timeout: 120_000 }, async () => {
    const plain = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
    try {
      assert.deepEqual((await plain.analyze(await decodeImageFile(FRAME))).alarmCodes, ['E00']);
    } finally {
      await plain.close();
    }
  });
});
