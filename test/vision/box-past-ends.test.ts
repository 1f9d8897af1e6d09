// Box ends of fourteen-segment lines (i11q). A glyph that stands wholly past a line box's end, a gap short of it (a
// display draws a 1 at the right of its cell), is found by ink-past-ends.ts and the line is read again widened there
// (box-ends.ts): ERR-331 was read ERR-33. A line the detector split in two on a tilted display is joined along the
// slope of its box (split-lines.ts): FLT 40 was read as the word FLT and the bare number 40. The frames were generated
// with scripts/gen-panels-drawn.ts: seed 91171 frame 109 (VFD, over-exposed, JPEG), and bench/_gen-sets.ts wide-segments seed
// 6607 frame 22 (grey-green LCD, tilt, perspective, glare spot, motion blur, JPEG). A32 past a box's end beside a glare
// sheen: scripts/gen-panels.ts seed 380 frame 34 (DSEG7ModernMini-Light on a blue LED with ghost segments and glare).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { endsToReRead } from '../../src/vision/ocr/box-ends.js';
import { inkPastEnds, pastEndsClear } from '../../src/vision/ocr/ink-past-ends.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { joinSplitLines } from '../../src/vision/ocr/split-lines.js';
import type { OcrLine } from '../../src/vision/ocr/panel-reader.js';
import type { TextBox } from '../../src/vision/ocr/text-boxes.js';
import { drawnDisplay } from '../helpers/drawn-display.js';

const FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames');
const ONE_PAST_BOX = join(FIXTURES, 'drawn-fourteen-segment-err331-one-past-box.jpg');
const TILTED_SPLIT = join(FIXTURES, 'drawn-fourteen-segment-flt40-tilted-split.jpg');
const SHEEN_A32 = join(FIXTURES, 'panels-seven-led-sheen-a32-left-of-box.png');

const display = drawnDisplay;
const box = (x0: number, x1: number, y0: number, y1: number): TextBox => ({ points: [[x0, y0], [x1, y0], [x1, y1], [x0, y1]], score: 0.9 });
/** Three glyphs 20 px wide at pitch 30 from x = 60, 40 px high (y 30-70); the box: x 55-145, y 25-75 (a height of 50). */
const GLYPHS: Array<[number, number, number, number]> = [[60, 80, 30, 70], [90, 110, 30, 70], [120, 140, 30, 70]];
const BOX = box(55, 145, 25, 75);

describe('a glyph wholly past a line box\'s end', { timeout: 240_000 }, () => {
  test('an upright a gap past the right end is found; nothing is past a box that holds its whole line', () => {
    assert.deepEqual(inkPastEnds(display(GLYPHS), BOX), { left: false, right: false });
    // A 1 drawn at the right of its cell: 15 px of background, then a 6 px upright.
    assert.deepEqual(inkPastEnds(display([...GLYPHS, [160, 166, 30, 70]]), BOX), { left: false, right: true });
    assert.deepEqual(inkPastEnds(display([[20, 40, 30, 70], ...GLYPHS]), BOX), { left: true, right: false }, 'a letter set apart on the left');
  });

  test('the window\'s edge past the end is no glyph, nor is anything beyond it; a glyph the box cuts is cutEnds\'s', () => {
    assert.equal(inkPastEnds(display(GLYPHS, 160), BOX).right, false, 'the bezel runs the whole height');
    assert.equal(inkPastEnds(display([...GLYPHS, [175, 181, 30, 70]], 160), BOX).right, false, 'a glyph past the bezel');
    assert.equal(inkPastEnds(display([...GLYPHS, [140, 150, 30, 70]]), BOX).right, false, 'ink running on from the end');
    assert.equal(inkPastEnds(display([...GLYPHS, [160, 166, 2, 98]]), BOX).right, false, 'a stroke through the margins is an edge');
  });

  test('a glyph past the end beside a glare sheen over the box is found: the band is judged against the ground beside it', () => {
    // A sheen lights the ground and the strokes under it alike (a bright spot over the box's middle, fading past its
    // ends). Judged against the whole crop's ground, the strokes under it stood out so far that the letter past the left
    // end, as lit as they are without the sheen, fell under half of it (A32 on an LED read 32).
    const sheened = (bars: ReadonlyArray<readonly [number, number, number, number]>, sheen: number) => {
      const width = 300, height = 100, data = new Float32Array(width * height * 3);
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
        const g = sheen * Math.exp(-(((x - 110) / 40) ** 2) - (((y - 50) / 60) ** 2));
        const lit = bars.some(([x0, x1, y0, y1]) => x >= x0 && x < x1 && y >= y0 && y < y1);
        data.fill(Math.min(255, (lit ? 120 : 15) + g), 3 * (y * width + x), 3 * (y * width + x) + 3);
      }
      return { data, width, height };
    };
    for (const sheen of [0, 100, 140]) {
      assert.deepEqual(inkPastEnds(sheened([[20, 40, 30, 70], ...GLYPHS], sheen), BOX), { left: true, right: false }, `sheen ${sheen}`);
      assert.deepEqual(inkPastEnds(sheened(GLYPHS, sheen), BOX), { left: false, right: false }, `sheen ${sheen}, nothing past`);
    }
  });

  test('an end whose reach runs into another line\'s box on the same row is not looked past: that ink is the other line\'s', () => {
    // The right part of a status line split in two (FREQ 3 | 1.4): its left reach (35 px) holds the left part's end.
    const both = { left: true, right: true };
    const leftPart = box(0, 50, 25, 75), below = box(0, 145, 80, 130), farLeft = box(0, 10, 25, 75);
    assert.deepEqual(pastEndsClear(both, BOX, [leftPart, BOX]), { left: false, right: true });
    assert.deepEqual(pastEndsClear(both, BOX, [BOX, below]), both, 'a line on another row takes nothing');
    assert.deepEqual(pastEndsClear(both, BOX, [BOX, farLeft]), both, 'a box beyond the reach takes nothing');
  });

  test('the line is read again wider only where the ends cut nothing and a glyph stands past one', () => {
    const g = new LineGrammar();
    const line = { text: 'ERR-33', confidence: 0.9, segment: 1, reading: g.classifyText('ERR-33', 0.9) };
    const crop = display(GLYPHS);
    const quiet = { probs: new Float32Array(4 * 2).map((_, i) => (i % 2 === 0 ? 1 : 0)), offset: 0, steps: 4, classes: 2 };
    assert.equal(endsToReRead(line, crop, quiet), null);
    assert.deepEqual(endsToReRead(line, crop, quiet, () => ({ left: false, right: true })), { left: false, right: true, prefix: false });
    const status = { text: 'RUN 1450', confidence: 0.9, segment: 1, reading: g.classifyText('RUN 1450', 0.9) };
    // A named status's value end is read again too, for its value only (status-value-ends.test.ts).
    assert.deepEqual(endsToReRead(status, crop, quiet, () => ({ left: false, right: true })), { left: false, right: true, prefix: false, status: true });
    assert.equal(endsToReRead(status, crop, quiet, () => ({ left: true, right: false })), null, 'a named status\'s left end is its name');
  });

  let analyzer: VisionAnalyzer;
  before(async () => { analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } }); });
  after(async () => { await analyzer?.close(); });

  test('ERR-331 on a full frame, its last 1 past the detector\'s box, is read whole (was ERR-33)', async () => {
    const v = await analyzer.analyze(await decodeImageFile(ONE_PAST_BOX));
    assert.deepEqual(v.alarmCodes, ['ERR-331']);
  });

  test('A32 on a full frame, the A past the box\'s left end beside a glare sheen over the 32, is read whole (was 32)', async () => {
    const v = await analyzer.analyze(await decodeImageFile(SHEEN_A32));
    assert.deepEqual(v.alarmCodes, ['A32'], JSON.stringify(v.text));
  });

  test('FLT 40 split in two on a tilted display is one code (was FLT and a bare 40)', async () => {
    const v = await analyzer.analyze(await decodeImageFile(TILTED_SPLIT));
    assert.deepEqual(v.alarmCodes, ['FLT 40']);
  });
});

describe('the parts of a split line on a tilted display', () => {
  const line = (text: string, x: number, y: number, w: number, h: number): Pick<OcrLine, 'text' | 'confidence' | 'box' | 'reading'> => ({ text, confidence: 0.95, box: { x, y, width: w, height: h } });
  test('compared along the left part\'s slope: a part higher by the tilt is joined, one on another row is not', () => {
    const g = new LineGrammar();
    // FLT 40 rising to the right: 40 stands 18 px higher over 150 px (a slope of -0.12).
    const parts = [line('FLT', 500, 145, 130, 60), line('40', 665, 127, 90, 55)];
    assert.equal(joinSplitLines(parts, g).length, 2, 'level boxes required without a slope');
    const joined = joinSplitLines(parts, g, (l) => (l.text === 'FLT' ? -0.12 : -0.1));
    assert.deepEqual([joined.length, joined[0]!.reading?.code], [1, 'FLT 40']);
    assert.equal(joinSplitLines(parts, g, () => 0.12).length, 2, 'a slope the other way puts 40 further off');
    assert.equal(joinSplitLines([line('FLT', 500, 145, 130, 60), line('40', 665, 80, 90, 55)], g, () => -0.12).length, 2, 'another row');
    assert.equal(joinSplitLines(parts, g, () => -0.6).length, 2, 'no line is that steep: read level');
  });
});
