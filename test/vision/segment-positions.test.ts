// Display positions in the segment reader (segment-cells.ts): a display shows
// its text in a fixed field of cells at one pitch. Positions it leaves unlit
// still show their ghost segments (a faint 8), which the reader used to take for
// cells of their own (AL169 in a seven-cell field read as `8 8 AL169`, and the
// whole line left to the recogniser); and on a display whose cells stand far
// apart every gap looked like a space (H27 read `H 2 7`, which no code grammar
// takes). Lines drawn with ImageMagick and fonts-dseg: a dim layer of 8s under
// the lit text for the ghost segments, wide letter spacing for the sparse field.
// Also a glare streak (a lamp's reflection: a thin straight white line from the
// crop's top to its bottom) across an LED line, which the reader took for ink
// (the text band stretched over the whole crop, A02 read H H R).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb, type RgbImage } from '../../src/vision/image.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { cellSegments } from '../../src/vision/ocr/display-kind.js';
import { glyphLikelihoods } from '../../src/vision/ocr/segment-glyphs.js';
import { tempDir } from '../helpers/tmp.js';
import { readPpm } from '../helpers/ppm.js';

const DSEG = '/usr/share/fonts/truetype/dseg';
const dir = tempDir('segment-positions');

/**
 * A display line of `text` in `font` (DSEG's `!` is a blank cell), lit `fg` on `bg`; with `ghost`, every cell's unlit
 * segments glow faintly in that colour (its decimal points too with `ghostPoints`); `spacing` widens the gaps between cells (px).
 */
function draw(font: string, text: string, fg: string, bg: string, opts: { ghost?: string; ghostPoints?: boolean; spacing?: number; streak?: [number, number] } = {}): RgbImage {
  const file = join(dir, 'line.ppm');
  const f = join(DSEG, `${font}.ttf`);
  const label = (fill: string, s: string, back: string): string[] => ['(', '-background', back, '-fill', fill, '-font', f, '-pointsize', '56',
    '-kerning', String(opts.spacing ?? 0), `label:${s}`, '-bordercolor', back, '-border', '14x10', ')'];
  const args = opts.ghost
    ? [...label(opts.ghost, (opts.ghostPoints ? '8.' : '8').repeat([...text].length), bg), ...label(fg, text, 'none'), '-compose', 'over', '-composite']
    : label(fg, text, bg);
  // A streak from (x0, 0) to (x1, bottom), drawn over everything.
  if (opts.streak) args.push('-fill', 'none', '-stroke', '#f0f0f0', '-strokewidth', '5', '-draw', `line ${opts.streak[0]},0 ${opts.streak[1]},80`);
  execFileSync('convert', [...args, '-depth', '8', file]);
  return readPpm(file);
}

/** The best glyph of each cell under the line's own table, with spaces where the reader put them. */
function cellsText(img: RgbImage): string {
  const line = readSegmentCells(img);
  assert.ok(line, 'a segment line is found');
  return line.cells.map((c) => {
    const ch = c.shape ?? [...glyphLikelihoods(cellSegments(c, line.segments), line.segments)].sort((a, b) => b[1] - a[1])[0]![0];
    return (c.spaceBefore ? ' ' : '') + ch;
  }).join('');
}

describe('blank positions with ghost segments', () => {
  test('AL169 right-aligned in a seven-cell amber LED field: the two unlit cells are no characters', () => {
    assert.equal(cellsText(draw('DSEG7Classic-Regular', '!!AL169', '#ffa020', '#100800', { ghost: '#3a2208' })), 'AL169');
  });

  test('FLT 84 in red with an unlit cell between the words: the unlit cell is the space', () => {
    assert.equal(cellsText(draw('DSEG7Classic-Bold', 'FLT!84', '#ff3020', '#140404', { ghost: '#401010' })), 'FLT 84');
  });

  test('E-22 on a fourteen-segment green LED with its trailing cells blank', () => {
    assert.equal(cellsText(draw('DSEG14Classic-Regular', 'E-22!!', '#30ff60', '#001000', { ghost: '#0c3a14' })), 'E-22');
  });

  test('A01 on a grey LCD whose unlit points glow too: the point after the last lit glyph goes with the blank cells', () => {
    // The ghost point between the 1 and the first blank cell was found as a point (cell-points.ts) and, once the blank
    // cells were dropped, ended the line: A01. is no code, and the line was left to the recogniser (read 8013.8).
    assert.equal(cellsText(draw('DSEG7Classic-Regular', 'A01!!', '#202020', '#a0a890', { ghost: '#7c846c', ghostPoints: true })), 'A01');
  });
});

describe('spaces on a display whose cells stand far apart', () => {
  test('H27 with wide gaps between the cells is one word', () => {
    assert.equal(cellsText(draw('DSEG7Classic-Regular', 'H27', '#30ff60', '#001000', { spacing: 30 })), 'H27');
  });

  test('ERR 54 with wide gaps keeps its one space (an empty cell)', () => {
    assert.equal(cellsText(draw('DSEG7Classic-Regular', 'ERR!54', '#30ff60', '#001000', { spacing: 30 })), 'ERR 54');
  });
});

describe('a glare streak across an LED line', () => {
  for (const [text, fg, bg, streak] of [
    ['A02', '#ffa020', '#100800', [70, 100]],
    ['E982', '#ff6010', '#120400', [40, 70]],
    ['F39', '#40a0ff', '#000010', [60, 90]],
  ] as const) {
    test(`${text} with a white streak from top to bottom reads as it is shown`, () => {
      assert.equal(cellsText(draw('DSEG7Classic-Regular', text, fg, bg, { streak: [...streak] })), text);
    });
  }
});

describe('fourteen-segment letters as DSEG14 draws them', () => {
  /** Each cell's best glyph and the worst cell's likelihood under the line's own table. */
  function read(font: string, text: string): { text: string; worst: number; segments: 7 | 14 } {
    const line = readSegmentCells(draw(font, text, '#30ff60', '#001000'));
    assert.ok(line);
    let worst = 1;
    const out = line.cells.map((c) => {
      if (c.shape) return (c.spaceBefore ? ' ' : '') + c.shape;
      const [ch, p] = [...glyphLikelihoods(cellSegments(c, line.segments), line.segments)].sort((a, b) => b[1] - a[1])[0]!;
      worst = Math.min(worst, p);
      return (c.spaceBefore ? ' ' : '') + ch;
    }).join('');
    return { text: out, worst, segments: line.segments };
  }

  test('SPEED 25: the S (a 5 with the diagonals that join its bars) is a glyph, not an unexplained cell', () => {
    const r = read('DSEG14Classic-Regular', 'SPEED 25');
    assert.equal(r.segments, 14);
    // S and 5 are drawn alike: either is the cell's reading, the grammar tells them apart.
    assert.match(r.text, /^[S5]PEED 25$/);
    assert.ok(r.worst > 0.1, `worst cell ${r.worst}`);
  });

  test('MAX 7: the X, narrower than its cell, is placed in the middle of it and read with its four diagonals', () => {
    const r = read('DSEG14Modern-Regular', 'MAX 7');
    assert.equal(r.segments, 14);
    assert.equal(r.text, 'MAX 7');
  });
});

describe('a thin fourteen-segment dash', () => {
  test('F-26 on a Mini LCD font: the dash of two short halves is a cell, not a space', () => {
    const line = readSegmentCells(draw('DSEG14ModernMini-BoldItalic', 'F-26', '#202820', '#a8b890'));
    assert.ok(line);
    assert.deepEqual(line.cells.map((c) => c.shape ?? 'cell'), ['cell', '-', 'cell', 'cell']);
  });
});

describe('the line kind under glow', () => {
  // A line crop kept from a geometry-drawn frame (scripts/gen-panels-drawn.ts --seed 1, frame 22): a white
  // fourteen-segment LED whose glow lights every cell's diagonal positions. Judged by that light, no fourteen-segment
  // glyph fit the digits and the line was read on seven segments as PPH 858.
  test('RPM 858 on a glowing white LED stays fourteen-segment: the M keeps its diagonals', async () => {
    const file = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/rpm858-white-led-glow.png');
    const line = readSegmentCells(frameToRgb(await decodeImageFile(file)));
    assert.ok(line);
    assert.equal(line.segments, 14);
    const text = line.cells.map((c) => (c.spaceBefore ? ' ' : '') + (c.shape
      ?? [...glyphLikelihoods(cellSegments(c, 14), 14)].sort((a, b) => b[1] - a[1])[0]![0])).join('');
    assert.equal(text, 'RPM 858');
  });
});
