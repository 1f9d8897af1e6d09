// A digit the recogniser read over a seven-segment cell that clearly shows a digit of fewer segments, the rest dark,
// is read as the cell's digit (dark-segment-digits.ts): a 7 drawn with its upper left upright (abcf) is read 9 by the
// recogniser, and where the segment reader cannot read the whole line (the tilt misplaces the F's cell) the 9 stood.
// The crop is the display line of this branch's own set i11ab drawn3 (scripts/gen-panels-drawn.ts, seed 11311)
// frame 91: F-27 on a grey-green LCD with ghost segments, rounded thick segments, tilted, with perspective and noise.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { cellDigitUnder } from '../../src/vision/ocr/dark-segment-digits.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import type { SegmentCell } from '../../src/vision/ocr/segment-cells.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const file = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/f27-hooked-seven-tilted-lcd.png');

describe('a hooked 7 the recogniser reads 9', { timeout: 120_000 }, () => {
  const r = realReader();

  test('F-27 on a tilted LCD: the recogniser reads F-29, the cell under the 9 shows a 7', async () => {
    const crop = frameToRgb(await decodeImageFile(file));
    const [rec] = await recogniseCrops(r.reader, [crop]);
    assert.match(rec!.greedy.text, /29$/, `the recogniser reads a 9 there (${rec!.greedy.text})`);
    for (const g of [new LineGrammar(), new LineGrammar({ alarmPatterns: ['/F-?\\d{2,3}/'] })]) {
      const line = interpretLine(crop, rec!, r.reader.dictionary, { grammar: g });
      assert.equal(line.reading?.kind, 'alarm', JSON.stringify(line));
      assert.equal(line.text.toUpperCase(), 'F-27');
    }
  });
});

const cell = (lit: Partial<Record<string, number>>): SegmentCell => ({ x0: 0, x1: 10, spaceBefore: false,
  lit: Object.fromEntries('a b c d e f g g1 g2 h i j k l m'.split(' ').map((s) => [s, lit[s] ?? 0.05])) });

test('a digit is changed only where the cell clearly shows another digit, one segment set within the other', () => {
  // A 7 with its upper left upright under a recognised 9: the 9's middle bar is dark.
  assert.equal(cellDigitUnder(cell({ a: 1, b: 1, c: 1, f: 1 }), '9', (d) => (d === '7' ? 0.048 : 0)), '7');
  // A 0 under a recognised 8 (a ghost middle bar taken for lit).
  assert.equal(cellDigitUnder(cell({ a: 1, b: 1, c: 1, d: 1, e: 1, f: 1 }), '8', (d) => (d === '0' ? 0.02 : 0)), '0');
  // ... but not where the recogniser never considered the cell's digit: a 9 whose top and bottom bars were sampled
  // dark under a glare streak on a tilted display is no 4 (E99 read E94).
  assert.equal(cellDigitUnder(cell({ b: 1, c: 1, f: 1, g: 1 }), '9', (d) => (d === '4' ? 0.0003 : 0)), null);
  assert.equal(cellDigitUnder(cell({ b: 1, c: 1, f: 1, g: 1 }), '9', (d) => (d === '4' ? 0.02 : 0)), '4');
  // The cell shows the recognised digit, or a middle bar between lit and dark: no change.
  assert.equal(cellDigitUnder(cell({ a: 1, b: 1, c: 1, d: 1, f: 1, g: 1 }), '9'), null);
  assert.equal(cellDigitUnder(cell({ a: 1, b: 1, c: 1, f: 1, g: 0.5 }), '9'), null);
  // A cell showing a digit the recognised one does not contain (0 under a 9: e lit, g dark) is not this slip.
  assert.equal(cellDigitUnder(cell({ a: 1, b: 1, c: 1, d: 1, e: 1, f: 1 }), '9'), null);
  // An unjudged segment (glare) leaves the recogniser's digit.
  assert.equal(cellDigitUnder(cell({ a: 1, b: 1, c: 1, f: 1, g: NaN }), '9'), null);
  // The other way, a digit with fewer segments than the cell shows lit (a 7's top bar lost to blur, read 1): only where
  // the recogniser itself gave the cell's digit some probability there.
  assert.equal(cellDigitUnder(cell({ a: 1, b: 1, c: 1 }), '1', (d) => (d === '7' ? 0.24 : 0)), '7');
  assert.equal(cellDigitUnder(cell({ a: 1, b: 1, c: 1 }), '1', () => 0.01), null);
  assert.equal(cellDigitUnder(cell({ a: 1, b: 1, c: 1, d: 1, e: 1, f: 1, g: 1 }), '0', () => 0.01), null);
  // Letters are the grammar's and the other modules' to decide.
  assert.equal(cellDigitUnder(cell({ a: 1, d: 1, e: 1, f: 1, g: 1 }), 'B'), null);
});

// The window's edge the box took in at the line's end, right after the last glyph: an upright the cells read 1 where
// the recogniser read nothing (withoutEdgeUprights in line-arbitration.ts). The frame is this branch's own set i11ab
// ghost1 (scripts/gen-panels-drawn.ts with fixed texts, seed 77) frame 5: H19 on an inverted LCD with ghost segments,
// bevelled segments, tilted, dark, blurred, JPEG. Read whole (the line's reading depends on its recognition batch).
describe('an upright at the crop\'s end the recogniser read nothing on', { timeout: 120_000 }, () => {
  const frame = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/h19-window-edge-inverted-lcd.jpg');
  let plain: VisionAnalyzer;
  let withCatalog: VisionAnalyzer;
  before(async () => {
    plain = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
    withCatalog = await VisionAnalyzer.create({ alarmPatterns: ['/H\\d{2}/'], ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
  });
  after(async () => {
    await plain?.close();
    await withCatalog?.close();
  });

  test('H19 beside the window\'s edge is no H191', async () => {
    const img = await decodeImageFile(frame);
    assert.deepEqual((await plain.analyze(img)).alarmCodes, ['H19']);
    assert.deepEqual((await withCatalog.analyze(img)).alarmCodes, ['H19']);
  });

  // Two uprights that overlap at the crop's end are one glyph cut in two: dropping the last as the window's edge left
  // the other as an extra 1 (AL7021). The frame is development set drawn1 (scripts/gen-panels-drawn.ts) frame 111:
  // AL702 on a dim bevelled seven-segment LED, tilted, dark, blurred, JPEG.
  test('AL702 whose end the blur cut in two is no AL7021', async () => {
    const img = await decodeImageFile(join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/al702-blurred-end-cut-in-two.jpg'));
    assert.deepEqual((await plain.analyze(img)).alarmCodes, ['AL702']);
  });
});

/** Asserts that a whole frame (test/fixtures/frames) reports exactly this ERR code, without a catalog and with one. */
async function readsErrCode(fixture: string, code: string): Promise<void> {
  const ocr = { enabled: true, minConfidence: 0.5, reuseUnchanged: false };
  const plain = await VisionAnalyzer.create({ ocr });
  const withCatalog = await VisionAnalyzer.create({ alarmPatterns: ['/ERR[- ]?\\d{2,3}/'], ocr });
  try {
    const img = await decodeImageFile(join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames', fixture));
    assert.deepEqual((await plain.analyze(img)).alarmCodes, [code]);
    assert.deepEqual((await withCatalog.analyze(img)).alarmCodes, [code]);
  } finally {
    await plain.close();
    await withCatalog.close();
  }
}

// A 7 whose top bar motion blur thinned: the recogniser reads 1 (its runner-up a 7), the cell shows the top bar lit.
// The frame is this branch's own set i11ab drawn4 (scripts/gen-panels-drawn.ts, seed 11312) frame 1: ERR 79 on a
// grey-green LCD, glare wash, perspective, motion blur.
test('ERR 79 with a blurred top bar is no ERR 19', { timeout: 120_000 }, async () => {
  await readsErrCode('err79-blurred-seven-lcd.png', 'ERR 79');
});

// A line the segment reader judges fourteen-segment draws its digits with the same outer segments (the middle bar in
// two halves): a cell there shows a digit clearly where its centre uprights are dark. The frame is this branch's own
// set i11ag drawnB (scripts/gen-panels-drawn.ts, seed 11702) frame 86: ERR-700 on a sixteen-segment grey-green LCD,
// tilted, glare spot, perspective, over-exposed, noise, JPEG. The recogniser reads ERR-100 (its runner-up at the 1 a
// 7), the cell under the 1 shows the 7's top bar lit. Read whole (the line's reading depends on its recognition batch).
test('ERR-700 on a sixteen-segment LCD is no ERR-100', { timeout: 120_000 }, async () => {
  await readsErrCode('drawn-sixteen-segment-err700-seven-read-one.jpg', 'ERR-700');
});

test('on a fourteen-segment line a cell shows a digit only with its centre uprights dark', () => {
  const runnerUp = (d: string): number => (d === '7' ? 0.12 : 0);
  // A 7 (top bar and right uprights lit, the middle bar's halves dark) under a recognised 1.
  assert.equal(cellDigitUnder(cell({ a: 1, b: 1, c: 1 }), '1', runnerUp, 14), '7');
  // With the centre uprights lit the outer segments are no digit's alone (a T's top bar over its upright).
  assert.equal(cellDigitUnder(cell({ a: 1, b: 1, c: 1, i: 0.8, l: 0.8 }), '1', runnerUp, 14), null);
  // On a seven-segment line the inner positions are no glyph's: glow there does not stop the cell.
  assert.equal(cellDigitUnder(cell({ a: 1, b: 1, c: 1, i: 0.8, l: 0.8 }), '1', runnerUp, 7), '7');
});

test('a cell showing its middle bar alone under a recognised digit is a dash', () => {
  // C-86 read C886 on a display with ghost segments: the second cell lights only its middle bar, the 8's other six
  // segments dark there. The recogniser gave the dash some probability: the cell names it.
  assert.equal(cellDigitUnder(cell({ g: 1 }), '8', (d) => (d === '-' ? 0.03 : 0)), '-');
  assert.equal(cellDigitUnder(cell({ g: 0.9, e: 0.2 }), '4', (d) => (d === '-' ? 0.02 : 0)), '-');
  // Not where the recogniser never considered a dash there, nor where another segment shows some light.
  assert.equal(cellDigitUnder(cell({ g: 1 }), '8', () => 0), null);
  assert.equal(cellDigitUnder(cell({ g: 1, b: 0.5 }), '8', (d) => (d === '-' ? 0.03 : 0)), null);
  // A digit with no middle bar (a 1, a 7) is not the dash's slip.
  assert.equal(cellDigitUnder(cell({ g: 1 }), '7', (d) => (d === '-' ? 0.5 : 0)), null);
});
