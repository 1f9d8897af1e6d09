// A cell whose unlit segments glow is read by the recogniser with every bar lit (an 8 for an E whose right uprights
// glow); its preference for the 8 is no evidence against the glyph the cell's segments show (fuller-glyphs.ts).
// The crop is the display line of frame 2 of this branch's set f206 (scripts/gen-panels.ts, seed 206): E-354 on a
// red LED with ghost segments and glare, DSEG7 Modern Italic (JPEG re-encoded to keep the fixture small). The
// recogniser reads 88359 on the frame (88859 on this fixture, an 8 over the dash too); before, its 8 made the cells
// 8-354, the grammar bent that to E-354 under the confidence floor, and the frame read nothing.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { fullerGlyphs, readsGlow, seenThroughGlow } from '../../src/vision/ocr/fuller-glyphs.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const file = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/e-354-ghost-lit-led.jpg');

describe('a ghost-lit E the recogniser reads 8', { timeout: 120_000 }, () => {
  const r = realReader();

  test('E-354 on a glowing LED: the recogniser reads 88359, the cells and the line E-354, sure enough to report', async () => {
    const crop = frameToRgb(await decodeImageFile(file));
    const [rec] = await recogniseCrops(r.reader, [crop]);
    assert.match(rec!.greedy.text, /^88/, `the recogniser reads an 8 for the E, and the dash (${rec!.greedy.text})`);
    const line = interpretLine(crop, rec!, r.reader.dictionary, { grammar: new LineGrammar() });
    assert.equal(line.cells, 'E-354', JSON.stringify(line));
    assert.equal(line.reading?.kind, 'alarm');
    assert.equal(line.text, 'E-354');
    assert.ok(line.confidence >= 0.5, `read above the analyzer's floor (${line.confidence})`);
  });
});

test('fuller glyphs hold every segment of the glyph and more', () => {
  assert.ok(fullerGlyphs('E', 7).includes('8'));
  assert.ok(fullerGlyphs('3', 7).includes('9') && fullerGlyphs('3', 7).includes('8'));
  assert.ok(!fullerGlyphs('8', 7).length, 'nothing is drawn with more than all seven');
  assert.ok(fullerGlyphs('E', 7).includes('6'));
  assert.ok(!fullerGlyphs('6', 7).includes('E') && !fullerGlyphs('A', 7).includes('E'), 'fewer segments, or other ones, are no fuller glyph');
  assert.ok(fullerGlyphs('F', 14).includes('E') && fullerGlyphs('F', 14).includes('P'));
});

test('what the recogniser saw of an 8 counts for the cell\'s glyph only where the cell makes the 8 clearly less likely', () => {
  const read = (c: string): number => ({ '8': 0.7, E: 0.6 } as Record<string, number>)[c] ?? 0;
  // The cell favours E two to one over the 8 read there: the 8 counts for the E.
  assert.equal(seenThroughGlow('E', 7, new Map([['E', 0.22], ['6', 0.2], ['8', 0.11]]), (c) => (c === '8' ? 0.7 : 0)), 0.7);
  // The cell's lit uprights make the 8 as likely: the recogniser's 8 stands alone.
  assert.equal(seenThroughGlow('E', 7, new Map([['E', 0.22], ['8', 0.2]]), (c) => (c === '8' ? 0.7 : 0)), 0);
  // Nor does a letter less likely than the cell's glyph (an R beside a dash's cell: no ER354 for E-354).
  assert.equal(seenThroughGlow('R', 7, new Map([['-', 0.24], ['R', 0.13], ['8', 0.01]]), read), 0);
  // A glyph the cell does not show at all gets nothing.
  assert.equal(seenThroughGlow('E', 7, new Map([['8', 0.2]]), (c) => (c === '8' ? 0.7 : 0)), 0);
  // Only the 8 is the glow's slip: an E the recogniser read over a cell whose middle bar is dim stays the E's (no C)...
  assert.equal(seenThroughGlow('C', 7, new Map([['C', 0.3], ['E', 0.1], ['8', 0.01]]), (c) => (c === 'E' ? 0.9 : 0)), 0);
  // ... where an 8 read there counts for the C.
  assert.equal(seenThroughGlow('C', 7, new Map([['C', 0.3], ['E', 0.1], ['8', 0.01]]), read), 0.7);
  // A digit with fewer bars does not borrow the 8: a bar washed out by glare looks the same (SPEED 582 made 592).
  assert.equal(seenThroughGlow('9', 7, new Map([['9', 0.3], ['8', 0.1]]), read), 0);
  // The 8 keeps what the recogniser saw of it.
  assert.equal(seenThroughGlow('8', 7, new Map([['E', 0.22], ['8', 0.11]]), read), 0.7);
});

test('the recogniser reads glow as light on a line only where it read a fuller glyph than the cells show twice', () => {
  const cell = (own: string, read: Record<string, number>) => ({ likelihood: new Map([[own, 0.3], ['8', 0.05]]), read: (c: string) => read[c] ?? 0 });
  // E-354 read 88359: an 8 over the E, a 9 over the 4.
  assert.ok(readsGlow([cell('E', { '8': 0.69 }), cell('3', { '3': 0.85 }), cell('5', { '5': 0.99 }), cell('4', { '9': 0.93 })], 7));
  // The value 8346 whose 8 the cells show as an E: one cell alone is no glow.
  assert.ok(!readsGlow([cell('E', { '8': 0.9 }), cell('3', { '3': 0.9 }), cell('4', { '4': 0.9 }), cell('6', { '6': 0.9 })], 7));
  // An unsure fuller reading does not count.
  assert.ok(!readsGlow([cell('E', { '8': 0.4 }), cell('4', { '9': 0.3 })], 7));
});
