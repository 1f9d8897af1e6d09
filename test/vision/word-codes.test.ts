// Status frames whose words made short codes (analyzer.ts): LOAD 82% on an orange fourteen-segment LED read as one
// free-text line L08R 828, in which the code pattern found L08 at the start of the name L08R before its value
// (alarm-codes.ts letterFollows); and MODE AUTO on a green fourteen-segment LED with a printed label AIR beside it, which the segment
// cells read A8 where the recogniser read AIR (digit-places.ts cellsCodeOnWord). Both frames are from the branch
// status39's own status-only set (bench/_gen-sets.ts statuses, seed 109, frames 78 and 103).
// And the other way: ERR-703 on a fourteen-segment LED with ghost segments (scripts/gen-panels.ts seed 350, frame 44),
// which the cells read right while the recogniser read BRRAAOB at 0.50, one letter per cell, its dash a letter too: no
// word the recogniser is sure of, so the code stands. And ERR-761 on a dark, blurred fourteen-segment LCD with ghost
// segments (scripts/gen-panels.ts seed 364, frame 37), read ERROOGO at 0.68 by the recogniser on its enhanced view and
// ERR-761 by the cells: the code's letters read as themselves and one round letter per other character, the dash too,
// are the display's own cells, not a word beside it.
// And a printed HOT label beside ERR-073 on a dark inverted seven-segment LCD (scripts/gen-panels-drawn.ts seed 373,
// frame 52), read HOT at 0.96 by the recogniser and HO1 by seven-segment cells (the T's stem a 1): reported as a
// second alarm H01 while a T is like a 1 only by a fourteen-segment display's centre upright.
// And a red label whose printed HO (a HOT cut by a stripe) the recogniser read at 0.98 beside SPEED 395 on a
// sixteen-segment LCD (scripts/gen-panels-drawn.ts seed 375, frame 83): seven-segment cells read it H0, the O drawn as
// a 0, and the status frame reported the alarm H0.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile } from '../../src/vision/image.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'frames');

describe('status frames whose words read as short codes', { timeout: 240_000 }, () => {
  let plain: VisionAnalyzer;
  before(async () => {
    plain = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
  });
  after(async () => {
    await plain?.close();
  });

  test('LOAD 82% read L08R 828 reports no alarm', async () => {
    const f = await plain.analyze(await decodeImageFile(join(FIXTURES, 'drawn-fourteen-segment-load-82-read-l08r-828.jpg')));
    assert.deepEqual(f.alarmCodes, [], JSON.stringify(f.detail.ocr));
  });

  test('a label AIR read A8 by the cells beside MODE AUTO reports no alarm', async () => {
    const f = await plain.analyze(await decodeImageFile(join(FIXTURES, 'drawn-fourteen-segment-mode-auto-label-air-cells-a8.png')));
    assert.deepEqual(f.alarmCodes, [], JSON.stringify(f.detail.ocr));
  });

  test('a code the cells read where the recogniser read letters at even odds is reported', async () => {
    const f = await plain.analyze(await decodeImageFile(join(FIXTURES, 'panels-fourteen-ghost-err-703-read-brraaob.jpg')));
    assert.deepEqual(f.alarmCodes, ['ERR-703'], JSON.stringify(f.detail.ocr));
  });

  test('a code the cells read where the recogniser read its letters and a round letter for every other cell is reported', async () => {
    const f = await plain.analyze(await decodeImageFile(join(FIXTURES, 'panels-fourteen-ghost-dark-err-761-read-errooggo.jpg')));
    const line = (f.detail.ocr as Array<{ text: string; raw?: string }>).find((l) => l.text === 'ERR-761');
    assert.equal(line?.raw, 'ERROOG0', 'the recogniser reads letters over the code: ' + JSON.stringify(f.detail.ocr));
    assert.deepEqual(f.alarmCodes, ['ERR-761'], JSON.stringify(f.detail.ocr));
  });

  test('a HOT label that seven-segment cells read HO1 is no second alarm H01 beside the display\'s code', async () => {
    const f = await plain.analyze(await decodeImageFile(join(FIXTURES, 'drawn-seven-lcd-err-073-hot-label-cells-ho1.png')));
    const hot = (f.detail.ocr as Array<{ text: string; raw?: string; cellsKind?: number }>).find((l) => l.raw === 'HOT');
    assert.equal(hot?.cellsKind, 7, 'the cells read the label as seven segments: ' + JSON.stringify(f.detail.ocr));
    assert.deepEqual(f.alarmCodes, ['ERR-073'], JSON.stringify(f.detail.ocr));
  });

  test('a printed HO read surely, cells H0, is no one-digit code: the status frame reports no alarm', async () => {
    const f = await plain.analyze(await decodeImageFile(join(FIXTURES, 'drawn-sixteen-speed-395-ho-label-cells-h0.jpg')));
    const ho = (f.detail.ocr as Array<{ text: string; raw?: string; cells?: string }>).find((l) => l.raw === 'HO');
    assert.equal(ho?.cells, 'H0', 'the cells read the label as a code: ' + JSON.stringify(f.detail.ocr));
    assert.deepEqual(f.alarmCodes, [], JSON.stringify(f.detail.ocr));
  });
});
