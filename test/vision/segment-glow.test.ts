// The segment reader on glowing LED displays with heavy bars (segment-cells.ts,
// segment-confusion.ts): display lines drawn with ImageMagick and fonts-dseg,
// the strokes thickened and a glow laid over them the way a bright LED blooms
// in a camera (the line blurred twice and screen-composited over itself). The
// glow and the heavy bars light the places between the outer bars, where a
// seven-segment display has nothing: the reader used to take that light for
// diagonal and centre strokes, so no seven-segment glyph explained the cells
// (A02 read AQ2, H86 and F977 left to the recogniser, which reads 802 and 8977),
// and the crop's strokes, joined into one piece per character, no longer
// counted as a segment display at all. Fourteen-segment lines with real
// diagonals and centre strokes are checked not to lose them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { RgbImage } from '../../src/vision/image.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { cellSegments } from '../../src/vision/ocr/display-kind.js';
import { cellsLikelihood, segmentLikelihood } from '../../src/vision/ocr/segment-confusion.js';
import { glyphLikelihoods } from '../../src/vision/ocr/segment-glyphs.js';
import { tempDir } from '../helpers/tmp.js';
import { readPpm } from '../helpers/ppm.js';

const DSEG = '/usr/share/fonts/truetype/dseg';
const dir = tempDir('segment-glow');

/** A display line: font, text, colours; `heavy` thickens the strokes (px), `glow` is the bloom's blur sigma (px). */
function draw(font: string, text: string, fg: string, bg: string, heavy = 0, glow = 0): RgbImage {
  const file = join(dir, 'line.ppm');
  const args = ['-background', bg, '-fill', fg, '-font', join(DSEG, `${font}.ttf`), '-pointsize', '56',
    ...(heavy ? ['-stroke', fg, '-strokewidth', String(heavy)] : []), `label:${text}`, '-bordercolor', bg, '-border', '14x10'];
  if (glow) {
    args.push('(', '+clone', '-blur', `0x${glow}`, ')', '-compose', 'screen', '-composite',
      '(', '+clone', '-blur', `0x${2 * glow}`, ')', '-compose', 'screen', '-composite');
  }
  execFileSync('convert', [...args, '-depth', '8', file]);
  return readPpm(file);
}

/** The best glyph of each cell under the line's own table, and the worst cell's best likelihood. */
function cellsRead(img: RgbImage): { text: string; segments: 7 | 14; worst: number } {
  const line = readSegmentCells(img);
  assert.ok(line, 'a segment line is found');
  let worst = 1;
  const text = line.cells.map((c) => {
    if (c.shape) return (c.spaceBefore ? ' ' : '') + c.shape;
    const l = [...glyphLikelihoods(cellSegments(c, line.segments), line.segments)].sort((a, b) => b[1] - a[1]);
    worst = Math.min(worst, l[0]![1]);
    return (c.spaceBefore ? ' ' : '') + l[0]![0];
  }).join('');
  return { text, segments: line.segments, worst };
}

describe('glowing seven-segment LEDs with heavy bars', () => {
  for (const [font, text, fg, bg] of [
    ['DSEG7Classic-Bold', 'A02', '#ffa020', '#100800'],
    ['DSEG7Classic-Bold', 'F977', '#30ff60', '#001000'],
    ['DSEG7Modern-Bold', 'H86', '#40a0ff', '#000008'],
    ['DSEG7Classic-BoldItalic', 'AL702', '#ffa020', '#100800'],
  ] as const) {
    test(`${font} ${text}, thickened and glowing: every cell is a seven-segment glyph, the light between the bars no stroke`, () => {
      const r = cellsRead(draw(font, text, fg, bg, 4, 3));
      assert.equal(r.segments, 7);
      assert.equal(r.text, text);
      // Each cell explained about as well as a clean one (a glyph with every segment clearly lit or dark fits ~0.7).
      assert.ok(r.worst > 0.1, `worst cell fit ${r.worst}`);
    });
  }

  test('a glowing display whose segments run together still looks like a segment display', () => {
    const img = draw('DSEG7Classic-Bold', 'A02', '#ffa020', '#100800', 4, 3);
    const line = readSegmentCells(img);
    assert.ok(line);
    assert.ok(cellsLikelihood(line) >= 0.9, `cells likelihood ${cellsLikelihood(line)}`);
    assert.ok(segmentLikelihood(img, 3, line) >= 0.9);
    // Without the cells only the pieces speak, and glow has joined them: one piece per character.
    assert.ok(segmentLikelihood(img, 3) < 0.2);
  });
});

describe('fourteen-segment lines keep their diagonals and centre strokes', () => {
  test('DSEG14Classic RPM 1628: the M (diagonals) and the R (lower leg) are read on fourteen segments', () => {
    const r = cellsRead(draw('DSEG14Classic-Regular', 'RPM 1628', '#ff3020', '#080000'));
    assert.equal(r.segments, 14);
    assert.equal(r.text.replace(/\s/g, ''), 'RPM1628');
  });

  test('DSEG14Modern-Bold MODE MANUAL on an LCD: M, N and D keep their inner strokes', () => {
    const r = cellsRead(draw('DSEG14Modern-Bold', 'MODE MANUAL', '#202020', '#c0d0b0'));
    assert.equal(r.segments, 14);
    // O and 0 are drawn alike on fourteen segments; the recogniser tells them apart, not the cells.
    assert.equal(r.text.replace(/0/g, 'O'), 'MODE MANUAL');
  });

  test('DSEG14Classic FREQ 47.3, glowing: the Q keeps its tail', () => {
    const r = cellsRead(draw('DSEG14Classic-Regular', 'FREQ 47.3', '#30ff60', '#001000', 0, 2));
    assert.equal(r.segments, 14);
    assert.equal(r.text, 'FREQ 47.3');
  });
});
