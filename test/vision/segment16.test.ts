// Letters drawn with a pair of diagonals (M, W) on sixteen- and fourteen-segment displays that the segment reader
// judges seven-segment (emitting displays, slanted): the cell must read M or W, not H (ALM 15 was read ALH 15, and
// the recogniser's AL4 15 became the alarm AL415). Display lines are drawn from segment geometry
// (scripts/drawn-panels, rsvg-convert), read by the segment reader alone (no models); the last test, a slashed zero on
// a line judged fourteen-segment, reads a whole camera frame through the real models too.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { drawDisplay, pickLook, type DrawnDisplay } from '../../scripts/drawn-panels/display-svg.js';
import { seededRandom } from '../../src/inference/selftest.js';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile, type RgbImage } from '../../src/vision/image.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { segmentReading } from '../../src/vision/ocr/segment-lattice.js';
import { cellLikelihoods, diagonalPair, diagonalStroke } from '../../src/vision/ocr/segment16.js';
import { silentLattice } from '../helpers/lattice.js';
import { tempDir } from '../helpers/tmp.js';
import { readPpm } from '../helpers/ppm.js';

const dir = tempDir('segment16');
const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.'];
const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 2);
/** A lattice that says nothing (all blank): the cells alone decide. */
const silent = (steps: number) => silentLattice(dict, steps);

/** One display line as scripts/gen-panels-drawn.ts draws it (look and glyph style from the seed), 48 px glyphs. */
function drawLine(display: DrawnDisplay, text: string, seed: number): RgbImage {
  const r = seededRandom(seed);
  const look = pickLook(r);
  const win = drawDisplay(r, { display, text, height: 48, look });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(win.width)}" height="${Math.ceil(win.height)}"><defs>${win.defs}</defs>`
    + `<rect width="100%" height="100%" fill="${look.bg}"/>${win.svg}</svg>`;
  const svgFile = join(dir, 'line.svg'), png = join(dir, 'line.png'), ppm = join(dir, 'line.ppm');
  writeFileSync(svgFile, svg);
  execFileSync('rsvg-convert', ['-o', png, svgFile]);
  execFileSync('convert', [png, '-depth', '8', ppm]);
  return readPpm(ppm);
}

function cellsRead(display: DrawnDisplay, text: string, seed: number): { text: string; segments: 7 | 14 } {
  const img = drawLine(display, text, seed);
  const line = readSegmentCells(img);
  assert.ok(line, `${text} (seed ${seed}): a segment line is found`);
  const seg = segmentReading(line, silent(60), dict, img.width, img.height);
  assert.ok(seg);
  return { text: seg.text.replace(/\s/g, ''), segments: line.segments };
}

// Seeds whose looks are glowing LEDs with slanted 16-segment glyphs: the line is judged seven-segment (measured).
test('sixteen-segment ALM 15 on lines judged seven-segment: the cell with the upper pair of diagonals is an M', () => {
  for (const seed of [7, 9, 18]) {
    const read = cellsRead('sixteen-segment', 'ALM 15', seed);
    assert.equal(read.segments, 7, `seed ${seed}: the case under test is a line judged seven-segment`);
    assert.equal(read.text, 'ALM15', `seed ${seed}`);
  }
});

// Seeds 18 and 19: slanted glowing sixteen-segment glyphs, judged seven-segment (measured). The slash of the zero
// lit the middle bar's halves where it crosses them (ALM 03 read ALM83), R read as P and N as H (RUN 80 as PUH88).
test('sixteen-segment slashed zero, N and R on lines judged seven-segment', () => {
  for (const [seed, text] of [[19, 'ALM 03'], [19, 'RUN 80'], [18, 'RUN 80']] as const) {
    const read = cellsRead('sixteen-segment', text, seed);
    assert.equal(read.segments, 7, `seed ${seed}: the case under test is a line judged seven-segment`);
    assert.equal(read.text, text.replace(/\s/g, ''), `seed ${seed}`);
  }
});

test('fourteen-segment M and W on a line judged seven-segment', () => {
  const read = cellsRead('fourteen-segment', 'MW 1K', 7);
  assert.equal(read.segments, 7);
  assert.match(read.text, /^MW1/);
});

test('seven-segment glyphs never show a drawn pair of diagonals (heavy, slanted, glowing alike)', () => {
  for (let seed = 1; seed <= 4; seed++) {
    for (const text of ['AU7 94', 'PQ 3']) {
      const img = drawLine('seven-segment', text, seed);
      const line = readSegmentCells(img);
      if (!line) continue;
      for (const c of line.cells) {
        assert.equal(diagonalPair(c.lit), null, `${text} seed ${seed}: cell at ${c.x0}`);
        assert.equal(diagonalStroke(c.lit), null, `${text} seed ${seed}: cell at ${c.x0}`);
      }
    }
  }
});

test('glow lighting all four diagonal positions alike is no pair; a dark upright is no M', () => {
  const m = { a: 0.05, b: 0.95, c: 1, d: 0.05, e: 1, f: 0.95, g1: 0.5, g2: 0.5, i: 0.4, l: 0.05, h: 0.95, j: 0.9, k: 0.2, m: 0.25 };
  assert.equal(diagonalPair(m), 'upper');
  assert.equal(diagonalPair({ ...m, k: 0.8, m: 0.8 }), null, 'all four diagonals lit: glow or an X');
  assert.equal(diagonalPair({ ...m, a: 0.9 }), null, 'a top bar over the pair: glow from the bar');
  assert.equal(diagonalPair({ ...m, e: 0.1 }), null);
  assert.equal(diagonalPair({ ...m, h: 0.2, j: 0.2, k: 0.9, m: 0.95 }), 'lower');
});

test('a single drawn diagonal: the slash of a zero, N, R; glow on one side or all alike is none', () => {
  const zero = { a: 0.75, b: 0.93, c: 1, d: 0.73, e: 0.94, f: 1, g1: 0.7, g2: 0.7, i: 0.36, l: 0.41, h: 0.43, j: 0.93, k: 0.94, m: 0.38 };
  assert.equal(diagonalStroke(zero), 'slash');
  assert.equal(diagonalStroke({ ...zero, h: 0.9, m: 0.9 }), null, 'all four diagonals lit');
  assert.equal(diagonalStroke({ ...zero, j: 0.9, k: 0.3, m: 0.9 }), null, 'one side lit: a slanted upright bleeding');
  // An 8 on a red LED under a glare wash (drawn seed 181, frame 161: AL0008 read AL0000), its cell as sampled: its whole
  // middle bar lit, which the upper right and lower left diagonal positions take in. No slash: the 8 stands.
  const eight = { a: 0.97, b: 1, c: 0.87, d: 1, e: 0.92, f: 0.95, g: 0.92, g1: 0.88, g2: 0.95, i: 0.07, l: 0.22, h: 0.35, j: 0.86, k: 0.85, m: 0.27 };
  assert.equal(diagonalStroke(eight), null, 'a whole middle bar: no slash');
  assert.equal([...cellLikelihoods({ lit: eight }, 7)].sort((x, y) => y[1] - x[1])[0]![0], '8');
  assert.equal(diagonalStroke({ ...eight, g: 0.3 }), 'slash', 'the middle row lit at its centre only: the slash');
  const n = { ...zero, a: 0.05, d: 0.05, h: 0.94, m: 0.93, j: 0.41, k: 0.37 };
  assert.equal(diagonalStroke(n), 'backslash');
  assert.equal(diagonalStroke({ ...n, a: 0.9 }), null, 'a bar over it: no N');
  const r = { a: 0.78, b: 1, c: 0.43, d: 0.07, e: 1, f: 1, g1: 0.91, g2: 0.94, i: 0.04, l: 0.41, h: 0.35, j: 0.3, k: 0.38, m: 1 };
  assert.equal(diagonalStroke(r), 'leg');
  assert.equal(diagonalStroke({ ...r, c: 0.9 }), null, 'a lit lower right upright: glow beside it, no leg');
});

// A slashed zero on a line judged fourteen-segment (scripts/gen-panels-drawn.ts seed 379 frame 92: FLT 03 on a blue
// fourteen-segment LED with ghost segments, read FLT 83). Its cell as sampled: the slash lights the middle bar's
// halves where it crosses them (0.73, 0.52), and its diagonals do not stand apart from the bars at the corners they
// leave, so as the glow rule counts them the cell was an 8. Read with the crossed positions unjudged, it is the zero.
test('a slashed zero on a line judged fourteen-segment is a zero, not the 8 its crossed middle bar makes', async () => {
  const zero = { a: 1, b: 0.9, c: 0.95, d: 0.92, e: 0.86, f: 1, g: 0.16, g1: 0.73, g2: 0.52, i: 0.88, l: 0.04, h: 0.07, j: 0.9, k: 0.86, m: 0.47 };
  const standing = { i: 0.15, l: 0.01, h: 0, j: 0, k: 0.2, m: 0 };
  const best = (c: Parameters<typeof cellLikelihoods>[0]) => [...cellLikelihoods(c, 14)].sort((x, y) => y[1] - x[1])[0]![0];
  assert.equal(best({ lit: zero, standing }), '0');
  assert.equal(best({ lit: { ...zero, g: 0.95, g1: 0.95, g2: 0.95 }, standing }), '8', 'a whole middle bar: the 8 stands');
  assert.equal(best({ lit: { ...zero, j: 0.3, k: 0.3 }, standing }), '8', 'no slash drawn: the middle bar\'s halves are an 8\'s');
  const analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
  try {
    const v = await analyzer.analyze(await decodeImageFile(join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/drawn-fourteen-slashed-zero-flt03-read-flt83.jpg')));
    assert.deepEqual(v.alarmCodes.map((c) => c.replace(/[\s-]+/g, '').toUpperCase()), ['FLT03'], JSON.stringify(v.text));
  } finally {
    await analyzer.close();
  }
});
