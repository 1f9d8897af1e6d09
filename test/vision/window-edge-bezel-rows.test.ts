// A line box on a small LCD whose glyphs fill its window runs over the window's frame (the bezel) above and below
// them. The window's edge past the line's end was judged against the crop's top and bottom rows as the ground: those
// lay on the bezel, the whole window looked like ink and the bezel's upright like ground, so the edge was never found
// and the box-end re-read's widening ran over it (a seven-segment status 6931 with its 1 under a glare streak was read
// as the alarm C693: the bezel's edge, or a label's letter beyond it, as a C). The window's rows and ground are now
// taken inside the bezel strips (window-rows.ts). The crop: AL264 on an over-exposed fourteen-segment LCD in a grey
// bezel, its box two rows into the bezel above and one below (scripts/gen-panels.ts seed 311, frame 31, x 200-420,
// y 40-140).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import type { RgbImage } from '../../src/vision/image.js';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { cropTextBox, boxBounds, type TextBox } from '../../src/vision/ocr/text-boxes.js';
import { withinWindow } from '../../src/vision/ocr/window-edge.js';
import { windowRows } from '../../src/vision/ocr/window-rows.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const CROP = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/crops/lcd-al264-box-over-bezel.png');
const quad = (p: number[][]): TextBox => ({ points: p.map(([x, y]) => [x!, y!]) as TextBox['points'], score: 0.9 });
// The line's box as the reader found it, and the same box widened at both ends as the box-end re-read widens it.
const BOX = quad([[62, 35], [148, 48], [143, 79], [57, 66]]);
const WIDER = quad([[40, 31], [169, 52], [165, 83], [36, 62]]);
const ends = (b: TextBox): [number, number] => [Math.round(boxBounds(b).x), Math.round(boxBounds(b).x + boxBounds(b).width)];

/** A dark 300×100 window from x = 0 to 165 and y = 10 to 90 in a grey bezel, lit bars at y 30-70. */
function windowInBezel(): RgbImage {
  const width = 300, height = 100, data = new Float32Array(width * height * 3).fill(150);
  const paint = (x0: number, x1: number, y0: number, y1: number, v: number): void => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data.fill(v, 3 * (y * width + x), 3 * (y * width + x) + 3);
  };
  paint(0, 165, 10, 90, 15);
  for (const x0 of [60, 90, 120]) paint(x0, x0 + 20, 30, 70, 220);
  return { data, width, height };
}

describe('a widening stopped at the window\'s edge where the box runs over the bezel', { timeout: 240_000 }, () => {
  test('the bezel strips above and below the glyphs are left out of the rows the edge is judged in', () => {
    const img = windowInBezel();
    const box = quad([[55, 5], [145, 5], [145, 95], [55, 95]]);
    const wider = quad([[20, 5], [180, 5], [180, 95], [20, 95]]);
    assert.deepEqual(windowRows(cropTextBox(img, wider), 35, 125), { top: 5, bottom: 85, bg: 15 });
    assert.equal(ends(withinWindow(img, box, wider))[1], 165, 'stops at the bezel from x = 165');
    assert.equal(ends(withinWindow(img, box, wider))[0], 20, 'the left end keeps its reach');
  });

  const r = realReader();
  test('AL264\'s box over the bezel is widened no further than the window, and reads no more there', async () => {
    const img = frameToRgb(await decodeImageFile(CROP));
    const stopped = withinWindow(img, BOX, WIDER);
    const [left, right] = ends(stopped);
    // The window runs from about x = 61 to 149; the widening reached the bezel, 40 to 169.
    assert.ok(left >= 56 && left <= 63, `left end ${left}`);
    assert.ok(right >= 146 && right <= 152, `right end ${right}`);
    const [first, narrowed] = await recogniseCrops(r.reader, [cropTextBox(img, BOX), cropTextBox(img, stopped)]);
    assert.equal(narrowed!.greedy.text.replace(/\s/g, '').length, first!.greedy.text.replace(/\s/g, '').length, `${first!.greedy.text} → ${narrowed!.greedy.text}`);
  });
});
