// A glare streak on the lit view (lit-view.ts, streak-background.ts). A lamp's
// reflection laid across a fourteen-segment LED line with ghost segments, as a
// straight band from the crop's top row to its bottom row narrower than the
// stroke-light model's opening: the lit view drew the band as ink, a bar that
// lit the ghost segments of each cell it crossed (AL469 read AL468 on a drawn
// frame, F476 read F478). The band is background now, and the lit segments
// under it stay ink. The whole-frame case is the drawn frame AL469 (seed 124,
// frame 97 of scripts/gen-panels-drawn.ts: red LED, ghost segments, tilt,
// glare streak, JPEG). A column of dot-matrix dots in a tight crop runs from
// the top row to the bottom row too: only a line that also crosses the rows
// beyond the text band is a streak (drawn F094, test/vision/dot-cells.test.ts).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile, type RgbImage } from '../../src/vision/image.js';
import { litView } from '../../src/vision/ocr/lit-view.js';
import { lineLight } from '../../src/vision/ocr/segment-light.js';
import { streakLevels } from '../../src/vision/ocr/streak-background.js';
import { readPpm } from '../helpers/ppm.js';
import { tempDir } from '../helpers/tmp.js';

const FRAME = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/drawn-fourteen-segment-al469-streak-on-ghosts.jpg');
const dir = tempDir('lit-view-streak');

/** AL469 in red over ghost segments and, with `band`, a grey band screen-composited across it leaning a third of a column a row. */
function streakedLine(band = true): RgbImage {
  const file = join(dir, 'line.ppm');
  const streak = ['(', '+clone', '-fill', 'black', '-colorize', '100', '-fill', 'gray(80%)', '-draw', 'polygon 150,-10 172,-10 212,110 190,110',
    '-blur', '0x1.5', ')', '-compose', 'screen', '-composite'];
  const font = ['-font', '/usr/share/fonts/truetype/dseg/DSEG14Classic-Regular.ttf', '-pointsize', '56'];
  execFileSync('convert', ['-background', '#000000', '(', ...font, '-fill', '#2a0806', 'label:~~~~~', ')',
    '(', '-background', 'none', ...font, '-fill', '#ff2a1a', 'label:AL469', ')', '-gravity', 'east', '-composite', '+gravity',
    '-bordercolor', '#000000', '-border', '14x10',
    ...(band ? streak : []), '-depth', '8', file]);
  return readPpm(file);
}

describe('a glare streak on the lit view', { timeout: 240_000 }, () => {
  test('the band is background; the lit segments it crosses stay ink', () => {
    const img = streakedLine();
    const lit = litView(img)!;
    assert.ok(lit);
    const w = img.width;
    const ink = (x: number, y: number): boolean => lit.data[3 * (y * w + x)]! < 128;
    // The band's middle, row by row; it crosses the 6's top, middle and bottom bars (lit) and its ghosts (unlit).
    const track = Array.from({ length: img.height }, (_, y) => ink(Math.round(161 + (y + 10) / 3), y));
    const inked = track.filter(Boolean).length;
    assert.ok(inked <= 0.25 * img.height, `the band is mostly background (${inked} of ${img.height} rows ink)`);
    assert.equal(track[2], false, 'the margin above the text');
    assert.equal(track[25], false, 'a ghost segment of the 6 under the band');
    assert.equal(track[12], true, 'the 6\'s top bar under the band');
    assert.equal(track[63], true, 'the 6\'s bottom bar under the band');
  });

  test('without a streak the lit view has the segment reader\'s model of the crop', () => {
    const img = streakedLine(false);
    assert.equal(lineLight(img, true), lineLight(img));
    const streaked = streakedLine();
    assert.notEqual(lineLight(streaked, true), lineLight(streaked));
  });

  test('a straight bright line from the top row to the bottom row has a level; strokes and a short bar none', () => {
    const w = 40, h = 30, v = new Float32Array(w * h);
    for (let y = 8; y < 23; y++) for (let x = 20; x < 28; x++) v[y * w + x] = 200; // the text band, rows 8-22
    for (let y = 0; y < h; y++) v[y * w + 10 + Math.round(0.4 * y)] = 200; // a leaning line across the crop
    for (let y = 5; y < 25; y++) v[y * w + 30] = 200; // an upright bar that stops short of the crop's edges
    const [level] = streakLevels([v], w, h)!;
    assert.equal(level![15 * w + 16], 200);
    assert.equal(level![15 * w + 30], 0);
    assert.equal(streakLevels([new Float32Array(40 * 8)], 40, 8), null, 'too low a crop');
    for (let y = 0; y < h; y++) v[y * w + 10 + Math.round(0.4 * y)] = 0;
    assert.equal(streakLevels([v], w, h), null, 'no line crosses the crop');
  });

  test('in a crop with no rows beyond the text, a lit column of dots from top to bottom is no streak', () => {
    // A tight crop of a 5×7 dot matrix: the F's upright is seven dots from the top row to the bottom row, the gaps
    // between them blurred above the faint level; what tells a streak from it is the margin it would have to cross.
    const w = 60, h = 28, v = new Float32Array(w * h).fill(10);
    const dot = (cx: number, cy: number): void => {
      for (let y = cy - 2; y <= cy + 2; y++) for (let x = cx - 2; x <= cx + 2; x++) if (y >= 0 && y < h) v[y * w + x] = Math.max(v[y * w + x]!, 160 - 25 * Math.hypot(x - cx, y - cy));
    };
    for (let r = 0; r < 7; r++) dot(6, 2 + 4 * r); // the upright, rows 0-27
    for (let c = 1; c < 5; c++) { dot(6 + 4 * c, 2); dot(6 + 4 * c, 14); } // the top and middle bars
    for (let c = 0; c < 5; c++) for (let r = 0; r < 7; r++) dot(34 + 4 * c, 2 + 4 * r); // a full block beside it
    assert.equal(streakLevels([v], w, h), null);
    // The same dots with margins above and below, and a real streak through them, has its level.
    const m = 8, H = h + 2 * m, framed = new Float32Array(w * H).fill(10);
    framed.set(v, m * w);
    for (let y = 0; y < H; y++) framed[y * w + 28] = 200;
    const [level] = streakLevels([framed], w, H)!;
    assert.equal(level![(m + 14) * w + 28], 200);
    assert.equal(level![(m + 14) * w + 6], 0, 'the upright of dots');
  });

  let analyzer: VisionAnalyzer;
  before(async () => { analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } }); });
  after(async () => { await analyzer?.close(); });

  test('AL469 on a red LED with ghost segments and a glare streak over its 9 is read AL469, not AL468', async () => {
    const v = await analyzer.analyze(await decodeImageFile(FRAME));
    assert.deepEqual(v.alarmCodes.map((c) => c.replace(/\s+/g, '').toUpperCase()), ['AL469']);
  });
});
