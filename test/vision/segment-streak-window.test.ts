// A lamp's reflection on a display's cover glass ends where the glass does: a
// line crop that reaches past the display window (the detector's margin, a
// widened box) shows the streak stopping a little short of its top and bottom
// rows. It must still be taken for a streak (segment-streaks.ts), or it joins
// the cells it crosses into one run and the line is lost to the segment reader
// (A72 read 872 on a drawn set). A fourteen-segment N, whose diagonal is as
// steep and as long as the text band, is not a streak. Lines drawn with
// ImageMagick (DSEG fonts); no model needed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RgbImage } from '../../src/vision/image.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { glyphLikelihoods } from '../../src/vision/ocr/segment-glyphs.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('segment-streak-window');
const FONTS = '/usr/share/fonts/truetype/dseg';

/**
 * An amber LED line in a dark window inside a grey bezel; `streak`: a grey band leaning across the window (not the
 * bezel), screen-composited as a reflection is.
 */
function draw(text: string, font: string, streak: boolean, tight = false): RgbImage {
  const file = join(dir, 'line.ppm');
  const args = ['-background', '#0a0806', '-fill', '#ffa020', '-font', join(FONTS, font), '-pointsize', '56', `label:${text}`,
    '-bordercolor', '#0a0806', '-border', tight ? '14x2' : '14x12'];
  if (streak) {
    // A band about a fifth of the window's height wide, leaning about 20 degrees, clipped to the window.
    args.push('(', '+clone', '-fill', 'black', '-colorize', '100', '-fill', 'gray(55%)', '-draw', 'polygon 40,0 58,0 128,200 110,200', ')',
      '-compose', 'screen', '-composite');
  }
  // The bezel around the window: the crop reaches past the glass, where the streak stops.
  if (!tight) args.push('-bordercolor', '#1c1c1c', '-border', '0x5');
  args.push('-depth', '8', file);
  execFileSync('convert', args);
  const buf = readFileSync(file);
  const [, w, h] = buf.toString('latin1', 0, 32).split(/\s+/).map(Number) as [number, number, number];
  return { data: Float32Array.from(buf.subarray(buf.length - w * h * 3)), width: w, height: h };
}

/** The best glyph of each cell. */
function spelled(img: RgbImage): string {
  const line = readSegmentCells(img);
  assert.ok(line, 'a segment line is found');
  return line.cells.map((c) => {
    if (c.shape) return c.shape;
    const ranked = [...glyphLikelihoods(c.lit, line.segments).entries()].sort((a, b) => b[1] - a[1]);
    return ranked[0]![0];
  }).join('');
}

test('a streak that stops short of the crop\'s top and bottom rows is erased: the cells it crosses stay apart', () => {
  const text = spelled(draw('A72', 'DSEG7Classic-Regular.ttf', true));
  assert.equal(text.length, 3, `three cells under the streak (read ${text})`);
  assert.match(text, /^.72$/, `the 7 and the 2 it crosses are read (read ${text})`);
});

test('a fourteen-segment N cropped tight is not taken for a streak: its diagonal keeps it an N', () => {
  // Tight: rows a tenth in from the crop's edges cross the glyphs, so the N's diagonal is weighed as a streak.
  const text = spelled(draw('RUN', 'DSEG14Classic-Regular.ttf', false, true));
  assert.equal(text, 'RUN');
});
