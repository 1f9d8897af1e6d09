// A code's letter prefix read as digits on a 5×7 dot-matrix display (src/vision/ocr/dot-rom-letters.ts): the ROM's A
// read 8, the code A36 a bare number 836. Drawn in code first (no models): lines of ROM characters, bright dots on a
// dark module; a leading cell on a letter's dots becomes that letter where the grammar takes the result for a code, a
// digit's cell never does (a status value stays a value). Then a real crop: A36 on a blue LED module under glare wash
// and ghost dots, read 836 at 0.96 by the recogniser, no alarm (gen-panels-drawn seed 185 frame 36, the display line
// cut out of the frame) -- its own dots name the A, and through the whole reader it is the alarm A36. And a crop that is
// no dot matrix: ALM 85 on a red fourteen-segment LED with ghost segments (gen-panels seed 238 frame 31), read 88088 in its
// frame; its A sampled as 5×7 dots passes for the ROM's A, and the line was reported A8088. Its segment cells, every one
// explained by a glyph, read ALM 85: the dots name no letter there.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { romLetterCode } from '../../src/vision/ocr/dot-rom-letters.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { PanelReader } from '../../src/vision/ocr/panel-reader.js';
import { recogniseCrops } from '../helpers/real-readers.js';
import { dotLine as line } from './dot-line-drawing.js';

const SEGMENT_CROP = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/alm85-fourteen-ghost-rom-a8088.jpg');
const CROP = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/drawn-dot-matrix-a36-read-836.png');

describe('a code\'s letters read as digits on a dot-matrix ROM', () => {
  const g = new LineGrammar();

  test('a leading cell on a letter\'s dots is that letter where the result is a code', () => {
    assert.equal(romLetterCode(line('A36'), '836', g), 'A36');
    assert.equal(romLetterCode(line('E05'), '605', g), 'E05');
    assert.equal(romLetterCode(line('AL52'), '8452', g), 'AL52');
  });

  test('a value drawn as digits stays a value; a reading that is no bare number is not looked at', () => {
    assert.equal(romLetterCode(line('836'), '836', g), null, 'the ROM\'s 8 is a digit');
    assert.equal(romLetterCode(line('3559'), '3559', g), null);
    assert.equal(romLetterCode(line('A36'), 'A36', g), null, 'a code already');
    assert.equal(romLetterCode(line('A36'), '86', g), null, 'characters and cells do not pair');
    assert.equal(romLetterCode(line('K36'), '836', g), null, 'K is no usual alarm prefix');
  });

  test('a real crop: A36 under glare wash read 836 is the alarm A36', { timeout: 120_000 }, async () => {
    const crop = frameToRgb(await decodeImageFile(CROP));
    const reader = await PanelReader.create({ reuseUnchanged: false });
    try {
      const lines = await reader.read(crop, { grammar: g });
      assert.deepEqual(lines.filter((l) => l.reading?.kind === 'alarm').map((l) => l.reading?.text), ['A36']);
    } finally {
      await reader.close();
    }
  });

  test('a segment line whose cells a glyph table explains is read by its cells, not its dots', { timeout: 120_000 }, async () => {
    const crop = frameToRgb(await decodeImageFile(SEGMENT_CROP));
    const reader = await PanelReader.create({ reuseUnchanged: false });
    try {
      const [rec] = await recogniseCrops(reader, [crop]);
      // Read alone, the crop reads 888 88 (88088 in its frame): a bare number whose first 8 the dots alone call an A.
      assert.match(rec!.greedy.text, /^8[\d ]+$/);
      assert.match(romLetterCode(crop, rec!.greedy.text, g) ?? '', /^A8/, 'the dots alone name an A');
      const line = interpretLine(crop, rec!, reader.dictionary, { grammar: g, segmentCells: true });
      assert.equal(line.reading?.kind, 'alarm', JSON.stringify(line));
      assert.equal(line.text.replace(/\s+/g, ''), 'ALM85', JSON.stringify(line));
    } finally {
      await reader.close();
    }
  });
});
