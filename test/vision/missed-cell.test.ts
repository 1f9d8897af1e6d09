// A lit cell the segment reader took for a space (missed-cell.ts). The crop is the code line of a drawn frame of
// this stop's development set (scripts/gen-panels-drawn.ts, seed 172, frame 188: AL7442 on a grey-green LCD with
// ghost segments, a diagonal glare streak over the 7) as the reader cuts it. The cells read AL 442 (the streak
// leaves the 7's segments little darker than the unlit ones), the recogniser 887442 with the 7 where the cells saw
// none. And AL5213 on a grey LCD under glare, blurred (scripts/gen-panels.ts seed 376, frame 98, fresh): the cells read
// AL52 3, a space where the 1 is, the recogniser 805213 with its 1 at 0.94 there; a 1 was refused in a space as an
// edge's or a streak's upright, and AL523 was reported. Through the real recogniser.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const crop = (name: string): string => join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops', name);

describe('a cell glare put out, read by the recogniser in the cells\' space', { timeout: 180_000 }, () => {
  const r = realReader();
  const read = async (swap?: [string, string], name = 'al7442-streak-lost-cell-lcd.png') => {
    const img = frameToRgb(await decodeImageFile(crop(name)));
    const [rec] = await recogniseCrops(r.reader, [img]);
    const dict = r.reader.dictionary;
    if (swap) {
      // The recogniser's two classes exchanged at the steps where it read the first: the same line read with the
      // other character there.
      const [a, b] = swap.map((c) => dict.chars.indexOf(c)) as [number, number];
      // A new lattice object (readings of a lattice are kept per object).
      const l = { ...rec!.lattice, probs: rec!.lattice.probs.slice() };
      rec!.lattice = l;
      let swapped = 0;
      for (let t = 0; t < l.steps; t++) {
        const row = l.probs.subarray(l.offset + t * l.classes, l.offset + (t + 1) * l.classes);
        if (row.indexOf(Math.max(...row)) !== a) continue;
        [row[a], row[b]] = [row[b]!, row[a]!];
        swapped++;
      }
      assert.ok(swapped > 0, `the recogniser read a ${swap[0]}`);
      rec!.greedy = { ...rec!.greedy, text: rec!.greedy.text.replaceAll(swap[0], swap[1]) };
    }
    return interpretLine(img, rec!, dict, { grammar: new LineGrammar() });
  };

  test('the 7 the recogniser read under the streak fills the cells\' space: AL7442, not AL 442', async () => {
    const line = await read();
    assert.equal(line.cells, 'AL 442', `the cells miss the 7 (${JSON.stringify(line)})`);
    assert.equal(line.reading?.kind, 'alarm', JSON.stringify(line));
    assert.equal(line.text.replace(/\s/g, ''), 'AL7442', JSON.stringify(line));
  });

  test('an 8 read there is an unlit cell\'s shape, not a glyph the cells missed: the space stays', async () => {
    const line = await read(['7', '8']);
    assert.equal(line.reading?.kind, 'alarm', JSON.stringify(line));
    assert.equal(line.text.replace(/\s/g, ''), 'AL442', JSON.stringify(line));
  });

  test('a 1 the recogniser read in the cells\' space under glare fills it: AL5213, not AL523', async () => {
    const line = await read(undefined, 'al5213-glare-one-in-cells-space.png');
    assert.equal(line.cells, 'AL52 3', `the cells miss the 1 (${JSON.stringify(line)})`);
    assert.equal(line.text.replace(/\s/g, ''), 'AL5213', JSON.stringify(line));
  });

  test('an I or an l read there is an upright of an edge or a streak as likely: the space stays', async () => {
    const line = await read(['1', 'I'], 'al5213-glare-one-in-cells-space.png');
    assert.equal(line.text.replace(/\s/g, ''), 'AL523', JSON.stringify(line));
  });
});
