// A code's two-letter prefix read as digits (prefix-letter.ts): a bare number whose first cell names a letter has the
// cell after it looked at too, on the same terms, so both letters of AL, or all three of ERR, are put back, each on its
// own cell's proof. The crop is the display line of this branch's own set (scripts/gen-panels-drawn.ts, seed 346)
// frame 47 as the reader cuts it: AL404 on a slanted rectangular-segment grey-green LCD with ghost segments under a
// glare streak, read 88484 (the A and the L both taken for 8s), its cells AL404.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { prefixLetterCode } from '../../src/vision/ocr/prefix-letter.js';
import type { SegmentCell } from '../../src/vision/ocr/segment-cells.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const fixture = (name: string): string => join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops', name);

describe('a two-letter prefix read as digits', { timeout: 120_000 }, () => {
  const r = realReader();
  test('AL404 read 88484: both cells are letters, the line the code', async () => {
    const crop = frameToRgb(await decodeImageFile(fixture('al404-ghost-lcd-read-88484.png')));
    const [rec] = await recogniseCrops(r.reader, [crop]);
    assert.equal(rec!.greedy.text.trim(), '88484', 'the recogniser reads both letters as 8s');
    for (const g of [new LineGrammar(), new LineGrammar({ alarmPatterns: ['/AL\\d{3}/'] })]) {
      const line = interpretLine(crop, rec!, r.reader.dictionary, { grammar: g });
      assert.equal(line.reading?.kind, 'alarm', JSON.stringify(line));
      assert.equal(line.text, 'AL404');
    }
  });
});

const cell = (on: string, k: number, lit = 0.95, dark = 0.05): SegmentCell => ({ x0: 4 + 18 * k, x1: 18 + 18 * k, spaceBefore: false,
  lit: Object.fromEntries([...'abcdefg'].map((s) => [s, on.includes(s) ? lit : dark])) });

test('the cell after a bare number\'s named letter is judged on its own light', () => {
  // A lattice over a 100x32 crop in which the recogniser saw no letter anywhere.
  const chars = ['', '8', '4', '0', 'A', 'L'];
  const steps = 19, classes = chars.length;
  const lattice = { probs: new Float32Array(steps * classes).fill(0.001), offset: 0, steps, classes };
  const dict = { chars } as unknown as Parameters<typeof prefixLetterCode>[3];
  const line = (...on: string[]) => ({ segments: 7 as const, shear: 0, top: 2, bottom: 30, cells: on.map((p, k) => cell(p, k)) });
  const g = new LineGrammar();
  // An A and an L, each lit clearly with its dark positions lit in other cells: AL404.
  assert.equal(prefixLetterCode(g.classifyText('88404', 0.9), line('abcefg', 'def', 'bcfg', 'abcdef', 'bcfg'), lattice, dict, g, 100, 32, 1)?.text, 'AL404');
  // A second cell that lights every segment is an 8 and stays one (A8404, as the first cell alone made it before).
  assert.equal(prefixLetterCode(g.classifyText('88404', 0.9), line('abcefg', 'abcdefg', 'bcfg', 'abcdef', 'bcfg'), lattice, dict, g, 100, 32, 1)?.text, 'A8404');
  // A word read as digits (READY, its r lost, read 8889): E and A named, but d and y draw no digit, so no code EA89.
  assert.equal(prefixLetterCode(g.classifyText('8889', 0.9), line('adefg', 'abcefg', 'bcdeg', 'bcdfg'), lattice, dict, g, 100, 32, 1), null);
  // A value whose first cell is a lit 8 is never looked at further: 8L... is not made from its second cell alone.
  assert.equal(prefixLetterCode(g.classifyText('88404', 0.9), line('abcdefg', 'def', 'bcfg', 'abcdef', 'bcfg'), lattice, dict, g, 100, 32, 1), null);
});
