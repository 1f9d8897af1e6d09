// A box-end re-read (box-ends.ts) widens a line's box by a share of its height; where the line's last glyph stands
// close to the display window's end, that reach took in the bezel's edge, read as one more character that "completed"
// the first reading (F-48 read F-487: gen-panels-drawn seed 47 frame 84, a red fourteen-segment LED under a glare
// spot). The widening now stops where the window does (window-edge.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { widenBox } from '../../src/vision/ocr/box-ends.js';
import { boxBounds, type TextBox } from '../../src/vision/ocr/text-boxes.js';
import { withinWindow } from '../../src/vision/ocr/window-edge.js';
import { drawnDisplay } from '../helpers/drawn-display.js';

const display = drawnDisplay;
const GLYPHS: Array<[number, number, number, number]> = [[60, 80, 30, 70], [90, 110, 30, 70], [120, 140, 30, 70]];
const BOX: TextBox = { points: [[55, 25], [145, 25], [145, 75], [55, 75]], score: 0.9 };
const right = (b: TextBox): number => Math.round(boxBounds(b).x + boxBounds(b).width);
const left = (b: TextBox): number => Math.round(boxBounds(b).x);

test('a widening stops before the window\'s edge and keeps its whole reach where there is none', () => {
  const wider = widenBox(BOX, true, true); // 35 px each way: x 20-180
  assert.equal(right(withinWindow(display(GLYPHS, 165), BOX, wider)), 165, 'the bezel from x = 165');
  assert.equal(right(withinWindow(display(GLYPHS), BOX, wider)), 180, 'no bezel');
  assert.equal(left(withinWindow(display(GLYPHS, 165), BOX, wider)), 20, 'the left end keeps its reach');
  // A glyph the box cuts, then background, then the bezel: the widening keeps the glyph and stops at the bezel.
  const cut = withinWindow(display([...GLYPHS, [140, 152, 30, 70]], 170), BOX, wider);
  assert.equal(right(cut), 170);
  // A tilted edge inks the text's band a few columns before the margins: the stop is drawn back to where its ink starts.
  assert.equal(right(withinWindow(display([...GLYPHS, [160, 166, 20, 80]], 166), BOX, wider)), 160);
  // A glare spot's haze over the whole height rises over many columns: no step, no edge.
  const haze = display(GLYPHS);
  for (let y = 0; y < 100; y++) for (let x = 146; x < 300; x++) haze.data.fill(Math.min(200, 100 + 1.5 * (x - 146)), 3 * (y * 300 + x), 3 * (y * 300 + x) + 3);
  assert.equal(right(withinWindow(haze, BOX, wider)), 180, 'glare');
  // A narrow glare streak crossing the whole height, with a glyph further out beyond dark background, is no edge
  // (a streak over the A of AL9501 stopped the left widening and the code was read L9501).
  const streak = display([...GLYPHS, [170, 176, 30, 70]]);
  for (let y = 0; y < 100; y++) for (let x = 155; x < 161; x++) streak.data.fill(200, 3 * (y * 300 + x), 3 * (y * 300 + x) + 3);
  assert.equal(right(withinWindow(streak, BOX, wider)), 180, 'streak');
  // A glyph past the end is no edge: ink in the band only.
  assert.equal(right(withinWindow(display([...GLYPHS, [160, 166, 30, 70]]), BOX, wider)), 180);
});
