// A code read from a piece of a status line is no alarm (status-pieces.ts): a box over the last glyphs of SET 1161
// read "T 116", made E 116, while the whole line read SET 116; a value on a box of its own after a status name read
// alone (LOAD, then 30% read H4). A code beside other text, or over a bare number, stands.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { sameRow, statusOfPiece, type PieceLine } from '../../src/vision/ocr/status-pieces.js';

const grammar = new LineGrammar();
const line = (text: string, x: number, y: number, width: number, height: number, raw = text): PieceLine =>
  ({ text, raw, box: { x, y, width, height }, reading: { ...grammar.classifyText(text), raw } });

describe('a code read from a piece of a status line', () => {
  test('a box mostly inside a status line whose reading holds the code\'s digits in a longer run', () => {
    const whole = line('SET 116', 100, 50, 300, 60), piece = line('E 116', 220, 52, 170, 58, 'T 116');
    assert.equal(statusOfPiece(piece, 'E 116', [whole, piece]), whole);
    // Other digits, or a box beside the line rather than inside it: the code stands.
    const other = line('E 117', 220, 52, 170, 58);
    assert.equal(statusOfPiece(other, 'E 117', [whole, other]), null);
    const below = line('E 116', 220, 200, 170, 58);
    assert.equal(statusOfPiece(below, 'E 116', [whole, below]), null);
  });

  test('a box right after a status name read alone on the same row', () => {
    const name = line('LOAD', 100, 50, 160, 60), value = line('H4', 290, 48, 90, 62);
    assert.equal(statusOfPiece(value, 'H4', [name, value]), name);
    // Far from the name, on another row, or after a word that is no status name: the code stands.
    const far = line('H4', 600, 48, 90, 62);
    assert.equal(statusOfPiece(far, 'H4', [name, far]), null);
    const lower = line('H4', 290, 140, 90, 62);
    assert.equal(statusOfPiece(lower, 'H4', [name, lower]), null);
    const word = line('DANGER', 100, 50, 160, 60);
    assert.equal(statusOfPiece(value, 'H4', [word, value]), null);
  });

  test('a box after a status name read alone that starts past the name\'s middle', () => {
    // RUN 2087 on a green fourteen-segment LED (bench/_gen-sets.ts statuses seed 104, frame 108): RUN boxed alone, the value's
    // box from the N on read N 2087, made H 2087.
    const name = line('RUN', 297, 290, 250, 105), value = line('H 2087', 461, 254, 470, 135);
    assert.equal(statusOfPiece(value, 'H 2087', [name, value]), name);
    // A box starting in the name's left half is no value after it, unless the recogniser read letters before the digits
    // there, fewer than the name has (below); nor is one starting where the name starts.
    const early = line('H 2087', 380, 254, 470, 135, '2087');
    assert.equal(statusOfPiece(early, 'H 2087', [name, early]), null);
    const over = line('H 2087', 297, 254, 640, 135, 'H 2087');
    assert.equal(statusOfPiece(over, 'H 2087', [name, over]), null);
    const worded = line('H 2087', 380, 254, 470, 135, 'RUN2087');
    assert.equal(statusOfPiece(worded, 'H 2087', [name, worded]), null, 'as many letters as the name: not its end');
  });

  test('a box starting in a status name\'s left half whose letters before the digits are fewer than the name\'s', () => {
    // RUN 2801 on a dim red seven-segment LED under a glare spot (bench/_gen-sets.ts named-statuses seed 146, frame 110): RUN boxed
    // alone (84 pixels wide), a box from its U on read vn 2801, made OH 2801.
    const name = line('RUN', 445, 356, 84, 31), value = line('OH 2801', 467, 342, 202, 56, 'vn 2801');
    assert.equal(statusOfPiece(value, 'OH 2801', [name, value]), name);
    // A box that ends inside the name's is no value after it.
    const inside = line('OH 28', 467, 342, 50, 56, 'vn 28');
    assert.equal(statusOfPiece(inside, 'OH 28', [name, inside]), null);
  });

  test('a box right before a value read with its unit on the same row', () => {
    // LOAD 80% on a glaring fourteen-segment display (gen-panels seed 55, frame 91): LO read L0, then 80%.
    const name = line('L0', 355, 72, 63, 44), value = line('80%', 441, 85, 72, 41);
    assert.equal(statusOfPiece(name, 'L0', [name, value]), value);
    // After the value, far before it, or before a bare number: the code stands.
    const after = line('L0', 530, 80, 63, 44);
    assert.equal(statusOfPiece(after, 'L0', [after, value]), null);
    const far = line('L0', 200, 72, 63, 44);
    assert.equal(statusOfPiece(far, 'L0', [far, value]), null);
    const bare = line('80', 441, 85, 48, 41);
    assert.equal(statusOfPiece(name, 'L0', [name, bare]), null);
  });

  test('a status name whose box is taller than its value\'s, the value inside its span', () => {
    // PRES 1.1 under a glare spot (gen-panels-drawn seed 78, frame 139): the name's box takes in the window's margins.
    const name = line('PRES', 1213, 629, 304, 107), value = line('L1', 1496, 639, 101, 64);
    assert.equal(sameRow(name.box, value.box), true);
    assert.equal(statusOfPiece(value, 'L1', [name, value]), name);
    // Sticking out of the name's span, or under half its height: not the same row; the code stands.
    const lower = line('L1', 1496, 690, 101, 64);
    assert.equal(statusOfPiece(lower, 'L1', [name, lower]), null);
    const small = line('L1', 1496, 660, 60, 40);
    assert.equal(statusOfPiece(small, 'L1', [name, small]), null);
  });

  test('a bare number is no status by itself: a code inside or after one stands', () => {
    const number = line('1161', 100, 50, 300, 60), piece = line('E 116', 220, 52, 170, 58);
    assert.equal(statusOfPiece(piece, 'E 116', [number, piece]), null);
  });
});

describe('a PRES 1.1 frame whose name was boxed taller than its value', { timeout: 180_000 }, () => {
  test('reports no alarm: 1.1 read L1 by the cells, right after PRES read alone, is its value', async () => {
    const { join } = await import('node:path');
    const { VisionAnalyzer } = await import('../../src/vision/analyzer.js');
    const { decodeImageFile } = await import('../../src/vision/image.js');
    const analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
    try {
      const r = await analyzer.analyze(await decodeImageFile(join(import.meta.dirname, '..', 'fixtures', 'frames', 'drawn-seven-segment-pres-1.1-name-box-tall.jpg')));
      assert.deepEqual(r.alarmCodes, [], r.text.join(' | '));
    } finally {
      await analyzer.close();
    }
  });
});

describe('a LOAD 80% frame whose name and value were found apart', { timeout: 180_000 }, () => {
  test('reports no alarm: LO read L0 on its own box, right before 80%, is the value\'s name', async () => {
    const { join } = await import('node:path');
    const { VisionAnalyzer } = await import('../../src/vision/analyzer.js');
    const { decodeImageFile } = await import('../../src/vision/image.js');
    const analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
    try {
      const r = await analyzer.analyze(await decodeImageFile(join(import.meta.dirname, '..', 'fixtures', 'frames', 'fourteen-segment-load-80-name-read-l0.png')));
      assert.deepEqual(r.alarmCodes, []);
      assert.ok(r.text.includes('80%'), r.text.join(' | '));
    } finally {
      await analyzer.close();
    }
  });
});

describe('a RUN 2087 frame whose value was boxed from the name\'s last letter', { timeout: 180_000 }, () => {
  test('reports no alarm: N 2087 made H 2087 on a box starting inside RUN\'s is the name\'s value', async () => {
    const { join } = await import('node:path');
    const { VisionAnalyzer } = await import('../../src/vision/analyzer.js');
    const { decodeImageFile } = await import('../../src/vision/image.js');
    const analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
    try {
      const r = await analyzer.analyze(await decodeImageFile(join(import.meta.dirname, '..', 'fixtures', 'frames', 'drawn-fourteen-segment-run-2087-value-box-over-n.jpg')));
      assert.deepEqual(r.alarmCodes, []);
    } finally {
      await analyzer.close();
    }
  });
});

describe('a RUN 2801 frame whose value was boxed from the name\'s second letter', { timeout: 180_000 }, () => {
  test('reports no alarm: vn 2801 made OH 2801 on a box starting inside RUN\'s left half is the name\'s value', async () => {
    // bench/_gen-sets.ts named-statuses seed 146, frame 110: a dim red seven-segment LED under a glare spot.
    const { join } = await import('node:path');
    const { VisionAnalyzer } = await import('../../src/vision/analyzer.js');
    const { decodeImageFile } = await import('../../src/vision/image.js');
    const analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
    try {
      const r = await analyzer.analyze(await decodeImageFile(join(import.meta.dirname, '..', 'fixtures', 'frames', 'drawn-seven-segment-run-2801-value-box-from-u.jpg')));
      assert.deepEqual(r.alarmCodes, [], r.text.join(' | '));
    } finally {
      await analyzer.close();
    }
  });
});
