// Digits of a 5×7 dot-matrix line read as other digits (src/vision/ocr/dot-rom-checked.ts): the ROM's slashed zero
// read 8. First lines drawn in code from the ROM (no models), then a real line crop whose blurred characters touch in
// pairs (dot-rom-digits.ts dotCells now parts such a run into its characters), then a generated camera frame through
// the real models: ERR 03 on a dark LCD, read ERR 83 by every view, reported ERR 83 before this rule
// (gen-panels-drawn seed 255, frame 626).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { romCheckedDigits } from '../../src/vision/ocr/dot-rom-checked.js';
import { dotGlyphs } from '../../src/vision/ocr/dot-rom-digits.js';
import { dotLine } from './dot-line-drawing.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const FRAME = join(here, '../fixtures/frames/drawn-dot-matrix-err03-slashed-zero-read-83.jpg');
const TOUCHING = join(here, '../fixtures/dot-crops/al7209-touching-characters-read-al7289.png');

describe('digits read as other digits on a dot-matrix ROM', () => {
  test('an 8 on a slashed zero\'s dots is 0; an 8 on an 8\'s dots stays', () => {
    assert.equal(romCheckedDigits(dotLine('ERR 03'), 'ERR 83'), 'ERR 03');
    assert.equal(romCheckedDigits(dotLine('FLT 02'), 'FLT82'), 'FLT02');
    assert.equal(romCheckedDigits(dotLine('ERR 83'), 'ERR 83'), 'ERR 83');
    assert.equal(romCheckedDigits(dotLine('880'), '880'), '880', 'a value read right stays');
  });

  test('nothing changes where the cells and the characters do not pair, or no other character confirms them', () => {
    assert.equal(romCheckedDigits(dotLine('ERR 03'), 'ERR 8'), 'ERR 8', 'a character dropped: which cell is which is unknown');
    assert.equal(romCheckedDigits(dotLine('00'), '88'), '88', 'every character changed: nothing shows the cells are read in step');
  });

  test('a real crop whose characters touch in pairs: the runs are parted, and AL7289 is AL7209', async () => {
    const crop = frameToRgb(await decodeImageFile(TOUCHING));
    assert.equal(dotGlyphs(crop)?.length, 6, 'six characters, the touching 7 and 2 parted');
    assert.equal(romCheckedDigits(crop, 'AL7289'), 'AL7209');
    assert.equal(romCheckedDigits(crop, 'AL7209'), 'AL7209');
  });

  test('a whole frame: ERR 03 whose slashed zero every view reads 8 is reported ERR 03', { timeout: 120_000 }, async () => {
    const analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
    try {
      assert.deepEqual((await analyzer.analyze(await decodeImageFile(FRAME))).alarmCodes, ['ERR 03']);
    } finally {
      await analyzer.close();
    }
  });
});
