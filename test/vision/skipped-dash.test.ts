// A code's dash the recogniser skipped, put back where the line's segment cells show it (skipped-dash.ts). Fixture:
// e-140-glare-dash-read-e140.png, the box the reader widened left over a bare 140 on frame 82 of a
// gen-panels-drawn.ts set (seed 355): a green fourteen-segment LED whose dash lies under a glare spot. The recogniser
// read E140 at 0.98, a code to the grammar with or without a catalog (/E\d{2,3}/), so a wrong code was reported.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar, type LineReading } from '../../src/vision/ocr/line-grammar.js';
import { readSegmentCells, type SegmentLine } from '../../src/vision/ocr/segment-cells.js';
import type { SegmentCell } from '../../src/vision/ocr/segment-cell.js';
import { withSkippedDash } from '../../src/vision/ocr/skipped-dash.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const crop = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops', 'e-140-glare-dash-read-e140.png');
const CATALOG = ['/E-\\d{3}/', '/E\\d{2,3}/', '/F-?\\d{2,3}/', '/C-\\d{2}/'];

/** A hand-made seven-segment cell lighting `on` at 0.9, every other position at 0.05. */
function cell(x0: number, on: string): SegmentCell {
  const lit: Record<string, number> = {};
  for (const s of 'abcdefg') lit[s] = on.includes(s) ? 0.9 : 0.05;
  return { x0, x1: x0 + 10, lit } as unknown as SegmentCell;
}
const lineOf = (...cells: SegmentCell[]): SegmentLine => ({ segments: 7, cells, top: 0, bottom: 20 }) as unknown as SegmentLine;
const E = 'adefg', DASH = 'g', ONE = 'bc', FOUR = 'bcfg', ZERO = 'abcdef', SIX = 'acdefg', FOUR_PIECE = 'fg';

describe('a dash the recogniser skipped between a code\'s letters and number', { timeout: 180_000 }, () => {
  const r = realReader();

  test('the cells see the dash as a cell of its own', async () => {
    const line = readSegmentCells(frameToRgb(await decodeImageFile(crop)));
    assert.ok(line, 'a segment line');
    assert.equal(line.cells.filter((c) => c.shape !== '.').length, 5, JSON.stringify(line.cells.map((c) => [c.x0, c.x1, c.shape])));
  });

  for (const catalog of [false, true]) {
    test(`E-140 is read, not E140 (${catalog ? 'catalog' : 'no catalog'})`, async () => {
      const grammar = catalog ? new LineGrammar({ alarmPatterns: CATALOG }) : new LineGrammar();
      const img = frameToRgb(await decodeImageFile(crop));
      const [rec] = await recogniseCrops(r.reader, [img]);
      assert.equal(rec!.greedy.text, 'E140', 'the recogniser skips the dash');
      const line = interpretLine(img, rec!, r.reader.dictionary, { grammar, segmentCells: true });
      assert.equal(line.reading?.kind === 'alarm' ? line.reading.code : '', 'E-140', JSON.stringify(line));
    });
  }

  const g = new LineGrammar({ alarmPatterns: CATALOG });
  const code = (text: string): LineReading => g.classifyText(text, 0.9);

  test('hand-made lines: put back only a lone dash cell right after the letters', () => {
    const dashed = withSkippedDash(code('E140'), lineOf(cell(0, E), cell(12, DASH), cell(24, ONE), cell(36, FOUR), cell(48, ZERO)), g);
    assert.equal(dashed.kind === 'alarm' ? dashed.code : '', 'E-140');
    // A read space where the dash stands is the dash's place too.
    const spaced = withSkippedDash(code('F 06'), lineOf(cell(0, 'aefg'), cell(12, DASH), cell(24, ZERO), cell(36, SIX)), g);
    assert.equal(spaced.kind === 'alarm' ? spaced.code : '', 'F-06');
    // As many cells as characters: nothing skipped.
    assert.equal(withSkippedDash(code('E140'), lineOf(cell(0, E), cell(24, ONE), cell(36, FOUR), cell(48, ZERO)), g).text, 'E140');
    // The extra cell is a 4's left piece, not a dash: no change.
    assert.equal(withSkippedDash(code('E140'), lineOf(cell(0, E), cell(12, FOUR_PIECE), cell(24, ONE), cell(36, FOUR), cell(48, ZERO)), g).text, 'E140');
    // The extra cell stands elsewhere than after the letters: no change.
    assert.equal(withSkippedDash(code('E140'), lineOf(cell(0, E), cell(12, ONE), cell(24, DASH), cell(36, FOUR), cell(48, ZERO)), g).text, 'E140');
    // A status is never touched.
    const status = g.classifyText('140', 0.9);
    assert.deepEqual(withSkippedDash(status, lineOf(cell(0, DASH), cell(12, ONE), cell(24, FOUR), cell(36, ZERO)), g), status);
  });

  test('a dashed code the grammar does not take leaves the reading in doubt, reported as none', () => {
    const only = new LineGrammar({ alarmPatterns: ['/E\\d{3}/'] });
    const doubted = withSkippedDash(only.classifyText('E140', 0.9), lineOf(cell(0, E), cell(12, DASH), cell(24, ONE), cell(36, FOUR), cell(48, ZERO)), only);
    assert.equal(doubted.text, 'E140');
    assert.ok(doubted.confidence < 0.5, `confidence ${doubted.confidence}`);
  });
});
