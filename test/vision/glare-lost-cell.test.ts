// A cell that a lamp's reflection put out leaves a space under glare
// (segment-cells.ts marks it); the segment reader's cells then show fewer
// characters than the recogniser saw, and must not speak for the line
// (line-arbitration.ts): F458 with its 4 glared out is not the code F 58.
// Nor do fewer cells that spell only a bare number (8982 split into 111).
// A DSEG7 line drawn with ImageMagick; no model needed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RgbImage } from '../../src/vision/image.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import { segmentsSpeak } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { segmentReading } from '../../src/vision/ocr/segment-lattice.js';
import { silentLattice } from '../helpers/lattice.js';
import { tempDir } from '../helpers/tmp.js';
import { readPpm } from '../helpers/ppm.js';

const dir = tempDir('glare-lost-cell');
const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.'];
const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 2);

/** A red LED line; `glare`: a screen-composited white ellipse (x, y, rx, ry), blurred a little. */
function draw(text: string, glare?: [number, number, number, number]): RgbImage {
  const file = join(dir, 'line.ppm');
  const args = ['-background', '#100404', '-fill', '#ff3020', '-font', '/usr/share/fonts/truetype/dseg/DSEG7Classic-Regular.ttf', '-pointsize', '56',
    `label:${text}`, '-bordercolor', '#100404', '-border', '14x10'];
  if (glare) {
    args.push('(', '+clone', '-fill', 'black', '-colorize', '100', '-fill', 'gray(100%)', '-draw', `ellipse ${glare[0]},${glare[1]} ${glare[2]},${glare[3]} 0,360`,
      '-blur', '0x2', ')', '-compose', 'screen', '-composite');
  }
  execFileSync('convert', [...args, '-depth', '8', file]);
  return readPpm(file);
}

/** A lattice that says nothing (all blank): the cells alone decide. */
const silent = (steps: number) => silentLattice(dict, steps);

test('a cell put out by glare: its space is marked, and the cells (F 58) do not speak over the recogniser\'s four characters', () => {
  const img = draw('F458', [80, 45, 25, 45]);
  const line = readSegmentCells(img);
  assert.ok(line, 'a segment line is found');
  const seg = segmentReading(line, silent(40), dict, img.width, img.height);
  assert.ok(seg);
  assert.equal(seg.text.replace(/\s/g, ''), 'F58', `the glare put the 4 out (cells ${seg.text})`);
  assert.equal(seg.hidden, 1, 'the space where the 4 was lies under glare');
  const g = new LineGrammar();
  const bySegments = g.classifyText(seg.text, seg.confidence);
  assert.equal(bySegments.kind, 'alarm', 'the cells alone would spell a code');
  // The recogniser saw four characters there (6458: the F read as 6, no code).
  assert.equal(segmentsSpeak(seg, 4, bySegments, g.classifyText('6458', 0.84), 0.84), false);
  // The same cells with the space in the clear still speak (a display's own space, as in ERR 81).
  assert.equal(segmentsSpeak({ ...seg, hidden: 0 }, 4, bySegments, g.classifyText('6458', 0.84), 0.84), true);
});

test('a display\'s own space in the clear is not marked', () => {
  const line = readSegmentCells(draw('F 58'));
  assert.ok(line);
  assert.equal(line.cells.some((c) => c.spaceBefore), true, 'the space is seen');
  assert.equal(line.cells.some((c) => c.glareBefore), false);
});

test('cells that spell a bare number with fewer characters than the recogniser read do not speak (8982 is not 111)', () => {
  const g = new LineGrammar();
  const seg = { fit: 1, gaps: 0, text: '111', unexplained: 0 };
  assert.equal(segmentsSpeak(seg, 4, g.classifyText('111', 0.5), g.classifyText('8982', 0.49), 0.49), false);
  // ...while fewer cells that spell a code still do (the recogniser read one glyph as two).
  assert.equal(segmentsSpeak({ ...seg, text: 'E52' }, 4, g.classifyText('E52', 0.9), g.classifyText('6152', 0.8), 0.8), true);
});
