// A lit last glyph is no ghost because a glare spot lies over the line's other glyphs (ghost-characters.ts). The
// strength of each character is its contrast against the line's background; a glare spot over a glyph is contrast
// too, so glared glyphs measured stronger than they are drawn and set the line's reference high, and the lit last 8
// of AL448, away from the spot, passed for an unlit cell: the code was reported AL44. The reference is now taken
// from the characters on the display's own background. The crop is the reader's line crop of
// scripts/gen-panels-drawn.ts seed 229 frame 48 (fourteen-segment, dim red LED, dark, a glare spot over the 44),
// 248×79 (bench/_ocr-debug.ts save), stored as JPEG; the recogniser emitted A L 4 4 8 at steps 1, 5, 9, 12, 16.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import { ghostEnds } from '../../src/vision/ocr/ghost-characters.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { latticeOf } from '../helpers/lattice.js';

const CROP = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/al448-dim-led-glare-over-44.jpg');
const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.:%'];
const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 2);

/** A lattice of `steps` steps emitting each character surely at its step, blank elsewhere. */
function emitting(steps: number, at: ReadonlyArray<readonly [number, string]>) {
  const s: Array<Record<string, number>> = Array.from({ length: steps }, () => ({}));
  for (const [t, ch] of at) s[t] = { [ch]: 0.97 };
  return latticeOf(dict, s);
}

describe('glare over a line\'s glyphs does not make its lit last glyph a ghost', () => {
  const l = emitting(19, [[1, 'A'], [5, 'L'], [9, '4'], [12, '4'], [16, '8']]);

  test('AL448 under a glare spot over its 44 keeps its 8', async () => {
    const crop = frameToRgb(await decodeImageFile(CROP));
    assert.equal(ghostEnds(crop, l, dict), null);
    const read = interpretLine(crop, { greedy: { text: 'AL448', confidence: 0.9 }, lattice: l }, dict, { grammar: new LineGrammar(), segmentCells: false });
    assert.equal(read.reading?.code, 'AL448', JSON.stringify(read));
  });

  test('the reference still judges: a last character drawn at a fraction of the others\' contrast is a ghost', async () => {
    // The same line, the 8's cell (x 195..248) painted over with the display's background: only noise remains there.
    const crop = frameToRgb(await decodeImageFile(CROP));
    const data = Float32Array.from(crop.data);
    for (let y = 0; y < crop.height; y++) for (let x = 195; x < crop.width; x++) for (let c = 0; c < 3; c++) data[3 * (y * crop.width + x) + c] = data[3 * (y * crop.width + (x % 8)) + c]!;
    assert.equal(ghostEnds({ data, width: crop.width, height: crop.height }, l, dict)?.trail, 1);
  });
});
