// A narrow segment font (glyphs about a third of their height wide) has no glyph as wide as the cell reader expects a
// full one to be: every glyph was taken for an upright, a 1, and a code's letter was lost (E11 read 1 1 1, the
// recogniser reading 1111). There the full glyphs are the tall runs much wider than a stroke (segment-cells.ts), and
// a run a stroke wide is still a 1. The crop is a line kept from a geometry-drawn frame (scripts/gen-panels-drawn.ts,
// development set drawn2 frame 88: E11 on an amber LED with ghost segments, glare streak and blur).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { segmentReading } from '../../src/vision/ocr/segment-lattice.js';
import { silentLattice } from '../helpers/lattice.js';

const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.'];
const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 2);

test('a narrow font\'s letter is a cell of its own, its uprights stay 1s', async () => {
  const img = frameToRgb(await decodeImageFile(join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/e11-narrow-font-amber.png')));
  const line = readSegmentCells(img);
  assert.ok(line);
  assert.equal(line.segments, 7);
  assert.deepEqual(line.cells.map((c) => c.shape ?? 'cell'), ['cell', '1', '1'], 'the E is sampled, the two uprights are 1s');
  const seg = segmentReading(line, silentLattice(dict, 14), dict, img.width, img.height)!;
  assert.equal(seg.text, 'E11');
  assert.equal(seg.unexplained, 0);
});
