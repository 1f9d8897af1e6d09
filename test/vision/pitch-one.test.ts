// A 1 on the display's pitch just past a line's cut right end, seen by the wider crop's segment cells and not by the
// recogniser (pitch-one.ts), and a box below a line that no longer keeps its right end from being looked at
// (ink-past-ends.ts pastEndsClear). The frame is scripts/gen-panels.ts seed 304 frame 1 (a blue fourteen-segment LED,
// DSEG14 Modern Mini, a glare spot over its end, tilted), cropped to 500×220 at (300, 250) and saved as JPEG: the status
// RUN 2561, its box ending at the 1 and the recogniser reading RUN 256 on the crop widened there too, was reported as
// RUN 256. The two line crops are that frame's line as the reader cut it, and the same box widened 0.7 heights right.
// Two more crops, as the reader cut them: H41 on an amber seven-segment LED, a glare spot over the 1
// (scripts/gen-panels-drawn.ts seed 369, frame 34), its box ending at the 4 and the recogniser reading H4 on both
// crops; the wider crop's cells read the 1 as a whole cell (the glare lights its background), reported H4.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile, frameToRgb, type RgbImage } from '../../src/vision/image.js';
import { pastEndsClear } from '../../src/vision/ocr/ink-past-ends.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { oneOnPitch } from '../../src/vision/ocr/pitch-one.js';
import type { TextBox } from '../../src/vision/ocr/text-boxes.js';

const FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures');
const FRAME = join(FIXTURES, 'frames/panels-run2561-last-1-past-box.jpg');
const FIRST = join(FIXTURES, 'segment-crops/run2561-fourteen-glare-box-before-1.png');
const WIDER = join(FIXTURES, 'segment-crops/run2561-fourteen-glare-wider.png');
const H41_FIRST = join(FIXTURES, 'segment-crops/h41-seven-glare-spot-box-before-1.png');
const H41_WIDER = join(FIXTURES, 'segment-crops/h41-seven-glare-spot-wider.png');

const grammar = new LineGrammar();
const reading = (text: string) => ({ text, confidence: 0.9, reading: grammar.classifyText(text, 0.9) });

/** Seven-segment outer positions lit per glyph drawn below. */
const GLYPHS: Record<string, string> = { E: 'adefg', '3': 'abcdg', '4': 'bcfg', '1': 'bc', '7': 'abc' };

/**
 * A dark LED line (ground 10, lit 200), glyphs 24 px wide at a pitch of 32 from x 10, 40 rows tall (y 10-50), strokes
 * 4 px; `extra` adds a glyph whose cell starts at that x, `edge` an upright at that x running the crop's whole height.
 */
function line(text: string, width: number, extra?: { ch: string; x: number }, edge?: number): RgbImage {
  const height = 60, data = new Float32Array(width * height * 3).fill(10);
  const lit = (x: number, y: number): void => { if (x >= 0 && x < width) data.fill(200, 3 * (y * width + x), 3 * (y * width + x) + 3); };
  const glyph = (ch: string, x0: number): void => {
    const on = GLYPHS[ch]!;
    for (let y = 10; y < 50; y++) {
      for (let x = x0; x < x0 + 24; x++) {
        const dx = x - x0, upper = y < 30;
        if ((on.includes('a') && y < 14) || (on.includes('d') && y >= 46) || (on.includes('g') && y >= 28 && y < 32)
          || (on.includes('f') && upper && dx < 4) || (on.includes('e') && !upper && dx < 4)
          || (on.includes('b') && upper && dx >= 20) || (on.includes('c') && !upper && dx >= 20)) lit(x, y);
      }
    }
  };
  [...text].forEach((ch, i) => glyph(ch, 10 + 32 * i));
  if (extra) glyph(extra.ch, extra.x);
  if (edge !== undefined) for (let y = 0; y < height; y++) for (let x = edge; x < edge + 4; x++) lit(x, y);
  return { data, width, height };
}

describe('a 1 on the pitch past a line\'s cut end', { timeout: 240_000 }, () => {
  test('the wider crop\'s cells add the 1 the recogniser did not read (RUN 256 → RUN 2561)', async () => {
    const first = frameToRgb(await decodeImageFile(FIRST)), wider = frameToRgb(await decodeImageFile(WIDER));
    assert.equal(oneOnPitch(reading('RUN 256'), first, wider, grammar)?.text, 'RUN 2561');
    assert.equal(oneOnPitch(reading('RUN 25'), first, wider, grammar), null, 'the reading does not hold the first crop\'s cells');
    assert.equal(oneOnPitch(reading('RUN 256'), first, first, grammar), null, 'nothing more on the wider crop');
  });

  test('a whole cell whose segments show a 1 under a glare spot, one pitch after a two-glyph code, completes it (H4 → H41)', async () => {
    const first = frameToRgb(await decodeImageFile(H41_FIRST)), wider = frameToRgb(await decodeImageFile(H41_WIDER));
    assert.equal(oneOnPitch(reading('H4'), first, wider, grammar)?.text, 'H41');
    assert.equal(oneOnPitch(reading('H4'), first, first, grammar), null, 'nothing more on the first crop');
  });

  test('drawn: a 1 one pitch after the last glyph completes a code; off the pitch, a 7, an edge do not', () => {
    const first = line('E34', 100);
    assert.equal(oneOnPitch(reading('E34'), first, line('E34', 150, { ch: '1', x: 106 }), grammar)?.text, 'E341');
    assert.equal(oneOnPitch(reading('E34'), first, line('E34', 160, { ch: '1', x: 118 }), grammar), null, 'its right edge 1.4 pitches on');
    assert.equal(oneOnPitch(reading('E34'), first, line('E34', 150, { ch: '7', x: 106 }), grammar), null, 'a 7 is no 1');
    assert.equal(oneOnPitch(reading('E34'), first, line('E34', 150, undefined, 126), grammar), null, 'an edge through the crop\'s height');
  });

  test('a status never becomes a code, nor a bare number longer', () => {
    const first = line('34', 68), wider = line('34', 118, { ch: '1', x: 74 });
    assert.equal(oneOnPitch(reading('34'), first, wider, grammar), null);
  });

  test('a box below the line, its centre at the line box\'s bottom, does not keep the right end from being looked at', () => {
    // AL4401 (scripts/gen-panels.ts seed 309 frame 45): the line's box and a small box over the window's bottom rim.
    const box = (x: number, y: number, w: number, h: number): TextBox => ({ points: [[x, y], [x + w, y], [x + w, y + h], [x, y + h]], score: 0.9 });
    const lineBox = box(132, 184, 174, 52);
    assert.equal(pastEndsClear({ left: false, right: true }, lineBox, [lineBox, box(310, 228, 25, 15)]).right, true);
    assert.equal(pastEndsClear({ left: false, right: true }, lineBox, [lineBox, box(310, 196, 40, 30)]).right, false, 'a level box beside it');
  });

  let analyzer: VisionAnalyzer;
  before(async () => { analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } }); });
  after(async () => { await analyzer?.close(); });

  test('RUN 2561 with its 1 past the box is read whole', async () => {
    const v = await analyzer.analyze(await decodeImageFile(FRAME));
    assert.deepEqual(v.readings?.map((r) => r.text), ['RUN 2561'], JSON.stringify(v.text));
    assert.deepEqual(v.alarmCodes, []);
  });
});
