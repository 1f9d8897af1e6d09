// Two views of a line that read two different codes, neither clearly surer (view-codes.ts 'neither'): the line's third
// views, its lit strokes and its strokes joined at the measured pitch (view-third.ts), decide when they side with one
// code and not the other. Sixteen-segment FLT 84 from scripts/gen-panels-drawn.ts, seed 278, frame 45: a grey LCD with
// ghost segments under a glare spot; the plain crop reads FL184, the enhanced view FLT84 (0.865 against 0.949). The
// crop is saved as the reader cuts it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb, type RgbImage } from '../../src/vision/image.js';
import { dotMatrixLine } from '../../src/vision/ocr/dot-matrix.js';
import { interpretLine, type LineInterpretation } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { otherCodeVerdict } from '../../src/vision/ocr/view-codes.js';
import { retryOnOtherViews } from '../../src/vision/ocr/view-retry.js';
import { thirdViewsSide, type TwoCodes } from '../../src/vision/ocr/view-third.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const fixture = (name: string): string => join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops', name);

describe('two codes on two views: the third views decide', { timeout: 120_000 }, () => {
  const r = realReader();
  const g = new LineGrammar();
  const run = async (file: string): Promise<{ plain: string; seen: string[]; text: string; kind?: string }> => {
    const crop = frameToRgb(await decodeImageFile(fixture(file)));
    const [plain] = await recogniseCrops(r.reader, [crop]);
    const again = [{ crop, first: plain!, view: 'original' as const, dotMatrix: false, dots: dotMatrixLine(crop) }];
    const seen: string[] = [];
    const recognise = async (crops: RgbImage[]) => {
      const out = await recogniseCrops(r.reader, crops);
      seen.push(...out.map((o) => o.greedy.text));
      return out;
    };
    const interpret = (_k: number, rec: typeof plain & object): LineInterpretation => interpretLine(crop, rec, r.reader.dictionary, { grammar: g });
    const interpreted = await retryOnOtherViews(again, { dict: r.reader.dictionary, grammar: g, retryBelow: 0.9, segmentCells: true, recognise, interpret });
    const read = interpreted.get(0) ?? interpret(0, again[0]!.first);
    return { plain: plain!.greedy.text, seen, text: read.text, kind: read.reading?.kind };
  };

  test('FLT 84 read FL184 and FLT84: the joined strokes read FLT84, the lit ones a third code; FLT84 is taken', async () => {
    const out = await run('flt84-sixteen-glare-read-fl184-enhanced-flt84.png');
    assert.match(out.plain, /^FL1\s?84$/, 'the plain crop reads the T as a 1');
    assert.equal(out.kind, 'alarm', `reported as a code (read: ${out.seen.join(', ')})`);
    assert.equal(out.text.replace(/\s+/g, ''), 'FLT84');
  });
});

test('the third views side with a code only when some read it and none reads the other', () => {
  const code = (text: string): LineInterpretation => ({ text, confidence: 0.9, reading: { kind: 'alarm', text, code: text } } as unknown as LineInterpretation);
  const other = (text: string): LineInterpretation => ({ text, confidence: 0.9, reading: { kind: 'text', text } } as unknown as LineInterpretation);
  const t = { first: code('FL184'), other: { read: code('FLT84') } } as unknown as TwoCodes;
  assert.equal(thirdViewsSide(t, [code('FL784'), code('FLT84')]), 'other');
  assert.equal(thirdViewsSide(t, [code('FL184')]), 'first');
  // Both codes among the third views, or neither: nothing is decided, neither code is reported.
  assert.equal(thirdViewsSide(t, [code('FL184'), code('FLT84')]), null);
  assert.equal(thirdViewsSide(t, [code('FL784'), other('FLT84')]), null);
  assert.equal(thirdViewsSide(t, []), null);
  // The verdict that sends a line to the third views: two codes, neither clearly surer, neither decided by the cells.
  assert.equal(otherCodeVerdict(code('FLT84'), code('FL184'), 0.949, 0.865), 'neither');
});
