// A segment font drawn with gaps between its segments (DSEG14 "Light") leaves a clear row between the top bars and the
// uprights under them. text-band.ts took the longest run of inked rows for the band, so the top bars fell outside it:
// every cell sampled its top segment on background, E305 read T·U·S, and the recogniser's 8888 (ghost segments lit)
// stood. The crop: scripts/gen-panels.ts seed 242 frame 64, E305 on an amber DSEG14ClassicMini-LightItalic LED with
// ghost segments and glare.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { textBand } from '../../src/vision/ocr/text-band.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const crop = async (name: string) => frameToRgb(await decodeImageFile(join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops', name)));

/** A w-wide mask with the listed rows inked across its middle half. */
function mask(w: number, h: number, rows: number[]): Uint8Array {
  const on = new Uint8Array(w * h);
  for (const y of rows) for (let x = w / 4; x < (3 * w) / 4; x++) on[y * w + x] = 1;
  return on;
}
const span = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('text band across a segment gap', { timeout: 120_000 }, () => {
  const r = realReader();

  test('E305 in a gapped fourteen-segment font: the band takes in the top bars and the cells read the code', async () => {
    const img = await crop('e305-dseg14-light-bar-gap.png');
    const line = readSegmentCells(img)!;
    assert.ok(line.top <= 6, `band ${line.top}..${line.bottom} leaves out the top bars (rows 5-7)`);
    const [rec] = await recogniseCrops(r.reader, [img]);
    const read = interpretLine(img, rec!, r.reader.dictionary, { grammar: new LineGrammar(), segmentCells: true });
    assert.equal(read.reading?.kind, 'alarm', JSON.stringify(read));
    assert.equal(read.text, 'E305', JSON.stringify(read));
  });

  test('a bar-thin run one clear row above or below the longest joins it', () => {
    assert.deepEqual(textBand(mask(80, 60, [...span(5, 7), ...span(9, 51)]), 80, 60), { top: 5, bottom: 51 });
    assert.deepEqual(textBand(mask(80, 60, [...span(5, 48), ...span(50, 52)]), 80, 60), { top: 5, bottom: 52 });
  });

  test('a run farther off, or as tall as a line of text, stays out', () => {
    // Four clear rows (more than 5 % of 60) between a bar-thin run and the band.
    assert.deepEqual(textBand(mask(80, 60, [...span(2, 4), ...span(9, 51)]), 80, 60), { top: 9, bottom: 51 });
    // One clear row, but the run above is a third of the band: another line, not a bar.
    assert.deepEqual(textBand(mask(80, 60, [...span(0, 12), ...span(14, 51)]), 80, 60), { top: 14, bottom: 51 });
  });

  test('a round patch of light (a glare spot\'s top) over the band is no bar', () => {
    const on = mask(80, 60, [...span(9, 51)]);
    for (let y = 1; y <= 7; y++) for (let x = 30; x < 42; x++) on[y * 80 + x] = 1;
    assert.deepEqual(textBand(on, 80, 60), { top: 9, bottom: 51 });
  });

  test('a rim running to the crop\'s side two clear rows above the glyphs stays out', () => {
    const on = mask(80, 60, [...span(9, 51)]);
    for (const y of [5, 6]) for (let x = 0; x < 80; x++) on[y * 80 + x] = 1;
    assert.deepEqual(textBand(on, 80, 60), { top: 9, bottom: 51 });
  });
});
