// A code the recogniser read on a seven-segment line whose own cells clearly show other characters (refuted-code.ts).
// PrES 3.8 on a green LED under glare (scripts/gen-panels.ts seed 275, frame 94, a status frame of a measured set, so
// that frame is seen now): the recogniser reads P-65 38, its r taken for a dash and its E for a 6; the glared 3 leaves
// a cell no glyph explains, so the cells do not read the line, and the recogniser's reading was reported as the code
// P-6538 from a status frame. The cells under the dash and the 6 split clearly into an r (lower left upright, middle
// bar) and an E (no right uprights): drawings a dash and a 6 never have.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar, type LineReading } from '../../src/vision/ocr/line-grammar.js';
import { cellsRefuteCode, refutedCodeCharacters } from '../../src/vision/ocr/refuted-code.js';
import { readSegmentCells, type SegmentCell, type SegmentLine } from '../../src/vision/ocr/segment-cells.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const fixture = (name: string): string => join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops', name);

describe('a code its own seven-segment cells refute', { timeout: 120_000 }, () => {
  const r = realReader();
  test('PrES 3.8 read P-65 38: the r and the E under the dash and the 6 make the line no code', async () => {
    const crop = frameToRgb(await decodeImageFile(fixture('pres-3-8-glared-led-read-p-65-38.png')));
    const [rec] = await recogniseCrops(r.reader, [crop]);
    assert.equal(rec!.greedy.text.trim(), 'P-65 38', 'the recogniser reads the status word as a code');
    const line = readSegmentCells(crop);
    assert.equal(line?.segments, 7);
    const g = new LineGrammar();
    const read = interpretLine(crop, rec!, r.reader.dictionary, { grammar: g });
    assert.equal(read.reading?.kind, 'text', JSON.stringify(read));
    assert.equal(read.codeInDoubt, 'P-6538');
    const asCode: LineReading = { kind: 'alarm', text: 'P-65 38', raw: 'P-65 38', code: 'P-6538', confidence: 0.88 };
    const refuted = refutedCodeCharacters(asCode, line);
    assert.ok(refuted.includes(1) && refuted.includes(2), `the dash and the 6 refuted: ${JSON.stringify(refuted)}`);
  });
});

const cell = (on: string, lit = 0.95, dark = 0.05): SegmentCell => ({ x0: 0, x1: 10, spaceBefore: false,
  lit: Object.fromEntries([...'abcdefg'].map((s) => [s, on.includes(s) ? lit : dark])) } as unknown as SegmentCell);
const line = (...cells: SegmentCell[]): SegmentLine => ({ cells, segments: 7 } as unknown as SegmentLine);
const code = (text: string): LineReading => ({ kind: 'alarm', text, raw: text, code: text, confidence: 0.9 });

test('a code is refuted only at two or more characters over cells that clearly show a drawing the character never has', () => {
  const e = cell('adefg'), dash = { ...cell('g'), shape: '-' } as SegmentCell, four = cell('bcfg'), two = cell('abdeg');
  const cells = line(e, dash, four, two);
  assert.deepEqual(refutedCodeCharacters(code('E-42'), cells), [], 'the cells show the code');
  // One character over a cell showing another drawing (a 6 over the E): a font may draw so, nothing is concluded.
  assert.deepEqual(refutedCodeCharacters(code('6-42'), cells), [0]);
  assert.equal(cellsRefuteCode(code('6-42'), cells, 1), false);
  assert.equal(cellsRefuteCode(code('6-47'), cells, 1), true, 'a 6 over the E and a 7 over the 2');
  assert.equal(cellsRefuteCode(code('6-47'), cells, 0.7), false, 'on a line only half like a segment display (dots sampled as segments)');
  // One character refuted twice (the font draws it in a way the tables do not list) is one.
  assert.deepEqual(refutedCodeCharacters(code('6-66'), line(e, dash, four, e)), [0, 2, 3]);
  assert.equal(cellsRefuteCode(code('6-66'), line(e, dash, four, e), 1), false);
  // A position dark in every cell (a bar the box cut off) refutes nothing: an E without its top bar is a t, yet the code
  // stands.
  const cut = (c: SegmentCell): SegmentCell => ({ ...c, lit: { ...c.lit, a: 0.05 } });
  assert.deepEqual(refutedCodeCharacters(code('E-42'), line(cut(e), dash, cut(four), cut(two))), []);
  // A shape cell (the dash) says nothing; nor does a cell whose unlit positions glow (ghost segments): no clear split.
  const glowing = cell('abdeg', 0.9, 0.45);
  assert.deepEqual(refutedCodeCharacters(code('6-47'), line(e, dash, four, glowing)), [0]);
  // Not one for one with the cells, not seven segments, or no alarm: nothing is refuted.
  assert.deepEqual(refutedCodeCharacters(code('6-477'), cells), []);
  assert.deepEqual(refutedCodeCharacters(code('6-47'), { ...cells, segments: 14 } as SegmentLine), []);
  assert.deepEqual(refutedCodeCharacters({ ...code('6-47'), kind: 'status' }, cells), []);
});
