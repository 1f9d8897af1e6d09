// A code split between two passes of the reader (split-lines.ts joinFoundParts, display-looks.ts): the letters read
// on the first pass, the number found only by a further look for the display. Each pass joins the parts among its
// own boxes; the parts of two passes are joined after the look, and only where the look found one of them. Then,
// through the real models, a frame whose number under glare only the finer stroke search found (since letters-alone.ts
// the first pass may read it from the letters' crop widened to the right).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { realReaders } from '../helpers/real-readers.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { joinFoundParts, type SplitLine } from '../../src/vision/ocr/split-lines.js';

const line = (text: string, x: number, y: number, width: number, height: number): SplitLine => ({ text, confidence: 0.95, box: { x, y, width, height } });
const g = new LineGrammar();

test('letters read before and a number a look found beside them are one code', () => {
  const err = line('ERR', 100, 100, 90, 40), sign = line('OIL', 10, 10, 60, 20);
  const before = [sign, err];
  const joined = joinFoundParts(before, [sign, err, line('99', 195, 98, 60, 40)], g);
  assert.deepEqual(joined.map((l) => l.text), ['OIL', 'ERR 99']);
  assert.equal(joined[1]!.reading?.kind, 'alarm');
  assert.deepEqual(joinFoundParts(before, [sign, err, line('99', 195, 170, 60, 40)], g).map((l) => l.text), ['OIL', 'ERR', '99'], 'another row');
  assert.equal(joinFoundParts(before, before, g), before, 'nothing found: the lines as they were');
});

test('two lines read before the look are not joined by it', () => {
  // The first pass judged these apart (its own join saw the boxes' slopes); the look found only the sign.
  const before = [line('ERR', 100, 100, 90, 40), line('83', 195, 100, 60, 40)];
  const after = [...before, line('HOT', 10, 10, 60, 20)];
  assert.deepEqual(joinFoundParts(before, after, g).map((l) => l.text), ['ERR', '83', 'HOT']);
});

const FRAMES = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames');

describe('a code whose number only a further look finds, through the real models', { timeout: 300_000 }, () => {
  const real = realReaders({ firstPassOnly: true });
  // scripts/gen-panels.ts: a tilted, over-exposed red fourteen-segment LED, a glare spot over the 99, 640x360 JPEG.
  test('fourteen-segment-err99-number-under-glare.jpg: ERR on the first pass, 99 from the finer stroke search', async () => {
    const frame = await decodeImageFile(join(FRAMES, 'fourteen-segment-err99-number-under-glare.jpg'));
    // The first pass reads the letters alone, or (letters-alone.ts) the code from ERR's crop widened to the right.
    const first = await real.firstPassOnly.analyze(frame);
    const codes = (c: string[]): string[] => c.map((s) => s.replace(/\s+/g, ''));
    if (!first.alarmCodes.length) assert.ok(first.text.includes('ERR'), `the first pass reads the letters alone: ${JSON.stringify(first.text)}`);
    else assert.deepEqual(codes(first.alarmCodes), ['ERR99'], JSON.stringify(first.detail.ocr));
    const v = await real.analyzer.analyze(frame);
    assert.deepEqual(codes(v.alarmCodes), ['ERR99'], JSON.stringify(v.detail.ocr));
  });
});
