// An unlit fourteen-segment cell between a code's two words, read as an S (ghost-characters.ts innerGhosts). ERR 52
// on an over-exposed blue LCD with ghost segments (scripts/gen-panels-drawn.ts seed 274, frame 11, a measured set, so
// that frame is seen now; the line the second look found, cut as the reader cuts it): the dark cell between ERR and
// 52 shows its fourteen segments faintly, diagonals and centre uprights too, and the recogniser reads it as an S
// (ERRSS2). The segment cells see the space there; the S is drawn much weaker than its lit neighbours. Only an 8, 0,
// B or J was taken for an unlit cell, and the line was reported as the wrong code ERR552.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { lineGhosts } from '../../src/vision/ocr/ghost-characters.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const CROP = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/err-52-fourteen-overexposed-ghost-read-s.png');

describe('an unlit fourteen-segment cell between two words, read as an S', { timeout: 120_000 }, () => {
  const r = realReader();
  test('ERR 52 read ERRSS2 is ERR 52, not ERR552', async () => {
    const crop = frameToRgb(await decodeImageFile(CROP));
    const [rec] = await recogniseCrops(r.reader, [crop]);
    assert.equal(rec!.greedy.text.trim(), 'ERRSS2', 'the recogniser reads the dark cell as an S');
    const line = readSegmentCells(crop)!;
    const spaces = line.cells.flatMap((c, i) => (i > 0 && c.spaceBefore ? [[line.cells[i - 1]!.x1, c.x0] as const] : []));
    assert.equal(spaces.length, 1, 'the cells see one space, between ERR and 52');
    assert.equal(lineGhosts(crop, rec!.lattice, r.reader.dictionary, spaces).inner().length, 1);
    for (const g of [new LineGrammar(), new LineGrammar({ alarmPatterns: ['/ERR ?\\d{2,3}/'] })]) {
      const read = interpretLine(crop, rec!, r.reader.dictionary, { grammar: g });
      assert.equal(read.reading?.kind, 'alarm', JSON.stringify(read));
      assert.equal(read.text.replace(/\s/g, ''), 'ERR52', JSON.stringify(read));
    }
  });
});
