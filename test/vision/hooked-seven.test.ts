// A 7 drawn with its upper left upright (segments a, b, c and f, as many seven-segment fonts draw it) beside a 9: the
// two differ by the middle bar alone. On a line whose middle bars are drawn whole, the 7's dark centre is no split bar
// however its halves glow from the uprights' ends, so the cells read 7 and the recogniser's sure 9 does not overrule it.
// Fixtures (line crops of full frames made by scripts/gen-panels-drawn.ts, as the reader cuts them):
// - a47-hooked-seven-green-read-a49.png: seed 231 frame 28, A47 on a green seven-segment LED; the recogniser reads
//   849 (its 9 at 0.99); the 7's centre samples 0.20 and its halves 0.60, raised to 0.30, so the 9 was merged over the
//   cells' 7: the wrong code A49.
// - err704-hooked-seven-red-read-err904.png: seed 306 frame 50, ERR-704 on a dim red seven-segment LED; the 7's centre
//   samples 0.34 (as dark as its unlit segments), its halves 0.72, raised to half lit: the cells read ERR-904.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import type { SegmentLine } from '../../src/vision/ocr/segment-cells.js';
import { middleBar } from '../../src/vision/ocr/segment-glyphs.js';
import { middleBarsOfLine } from '../../src/vision/ocr/split-middle.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const crop = (name: string): string => join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops', name);

describe('a 7 drawn with its upper left upright', { timeout: 180_000 }, () => {
  const r = realReader();

  for (const [name, code] of [['a47-hooked-seven-green-read-a49.png', 'A47'], ['err704-hooked-seven-red-read-err904.png', 'ERR-704']] as const) {
    for (const catalog of [false, true]) {
      test(`${code} is read, not a 9 in its place (${catalog ? 'catalog' : 'no catalog'})`, async () => {
        const grammar = catalog ? new LineGrammar({ alarmPatterns: ['/A\\d{2}/', '/ERR[- ]?\\d{2,3}/'] }) : new LineGrammar();
        const img = frameToRgb(await decodeImageFile(crop(name)));
        const [rec] = await recogniseCrops(r.reader, [img]);
        const line = interpretLine(img, rec!, r.reader.dictionary, { grammar, segmentCells: true });
        assert.equal(line.reading?.kind, 'alarm', JSON.stringify(line));
        assert.equal(line.reading?.kind === 'alarm' ? line.reading.code : '', code, JSON.stringify(line));
      });
    }
  }
});

describe('middle bars judged on a line of whole bars', () => {
  const cell = (x0: number, lit: Record<string, number>) => ({ x0, x1: x0 + 10, lit, spaceBefore: false });
  const line = (cells: ReturnType<typeof cell>[]): SegmentLine => ({ cells, segments: 7, top: 0, bottom: 20 } as unknown as SegmentLine);
  const hooked = { a: 1, b: 1, c: 0.95, d: 0.2, e: 0.2, f: 1, g: 0.3, g1: 0.7, g2: 0.7 };

  test('beside a bar lit whole, a dark centre stays dark whatever its halves', () => {
    const four = { a: 0.2, b: 1, c: 1, d: 0.2, e: 0.2, f: 1, g: 0.95, g1: 0.8, g2: 0.85 };
    assert.ok(middleBar(hooked) > 0.4, 'alone, the halves raise the centre');
    const judged = middleBarsOfLine(line([cell(0, four), cell(20, hooked)]));
    assert.ok(Math.abs(middleBar(judged.cells[1]!.lit) - 0.3) < 1e-9, `the 7's middle: ${middleBar(judged.cells[1]!.lit)}`);
    assert.equal(middleBar(judged.cells[0]!.lit), 0.95);
  });

  test('beside a bar lit whole, a centre lit over half keeps what its halves add (a lit bar dimmed at its middle)', () => {
    const four = { a: 0.2, b: 1, c: 1, d: 0.2, e: 0.2, f: 1, g: 0.95, g1: 0.8, g2: 0.85 };
    const eight = { a: 0.92, b: 0.6, c: 0.7, d: 1, e: 0.8, f: 1, g: 0.68, g1: 0.86, g2: 0.74 };
    const judged = middleBarsOfLine(line([cell(0, four), cell(20, eight)]));
    assert.equal(middleBar(judged.cells[1]!.lit), 0.74);
  });

  test('on a line of split bars (every centre dimmed where the halves meet) the halves still count', () => {
    const splitNine = { a: 1, b: 1, c: 1, d: 1, e: 0.2, f: 1, g: 0.55, g1: 0.95, g2: 0.9 };
    const judged = middleBarsOfLine(line([cell(0, splitNine), cell(20, hooked)]));
    assert.ok(middleBar(judged.cells[0]!.lit) > 0.8, `the 9's middle: ${middleBar(judged.cells[0]!.lit)}`);
    assert.ok(middleBar(judged.cells[1]!.lit) > 0.4);
  });
});
