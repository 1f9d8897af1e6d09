// A code's dash read as an 8 over its cell's ghost segments (src/vision/ocr/ghost-dash.ts). Fixture:
// c-19-dash-over-ghost-eight-read-c819.png, the code line of frame 102 of a gen-panels.ts set (seed 356): C-19 in a
// terminal font on an LCD that draws every cell's unlit seven segments faintly. The recogniser reads the dash's cell,
// its middle bar lit inside the ghost 8, as an 8: C819 at 0.93, a code to the grammar, and the frame reads surely, so
// no other view was looked at. On the lit strokes the line reads C-19.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { dashedOverEight, litShowsDash } from '../../src/vision/ocr/ghost-dash.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { realReaders, recogniseCrops, retryOneLine } from '../helpers/real-readers.js';

const CROP = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/dot-crops/c-19-dash-over-ghost-eight-read-c819.png');
const PATTERNS = ['/E-\\d{3}/', '/E\\d{2,3}/', '/AL\\d{3,4}/', '/F-?\\d{2,3}/', '/ERR[- ]?\\d{2,3}/', '/A\\d{2}/',
  '/ALM \\d{2}/', '/FLT \\d{2}/', '/H\\d{2}/', '/C-\\d{2}/'];

describe('a dash read as an 8 over ghost segments', { timeout: 240_000 }, () => {
  const r = realReaders();

  for (const catalog of [false, true]) {
    test(`C819 read on the plain crop is C-19 on its lit strokes, also on a sure frame (${catalog ? 'catalog' : 'no catalog'})`, async () => {
      const crop = frameToRgb(await decodeImageFile(CROP));
      const grammar = catalog ? new LineGrammar({ alarmPatterns: PATTERNS }) : new LineGrammar();
      const [first] = await recogniseCrops(r.reader, [crop]);
      assert.equal(first!.greedy.text, 'C819', 'the recogniser reads the dash as an 8');
      for (const ghostDashOnly of [false, true]) {
        const { view, text, read } = await retryOneLine(r.reader, crop, first!, grammar, ghostDashOnly);
        assert.equal(view, 'lit', `the lit reading is taken (${text})`);
        assert.equal(read.reading?.kind === 'alarm' ? read.reading.code : '', 'C-19', JSON.stringify(read));
      }
    });
  }

  test('only a code\'s 8 right after its letters, where the dashed code is a code too; the lit reading must be it, as sure', () => {
    const g = new LineGrammar({ alarmPatterns: PATTERNS });
    assert.equal(dashedOverEight('F817', g), 'F-17');
    assert.equal(dashedOverEight('c819', g), 'C-19');
    assert.equal(dashedOverEight('E812', g), null, 'E-12 is no catalogued code');
    assert.equal(dashedOverEight('F178', g), null, 'an 8 after a digit is the number\'s');
    assert.equal(dashedOverEight('8819', g), null, 'a bare number');
    assert.equal(dashedOverEight('F817', undefined), null);
    const d = (text: string, confidence: number): { text: string; confidence: number } => ({ text, confidence });
    assert.ok(litShowsDash(d('F-17', 0.99), d('F817', 0.88), g));
    assert.ok(!litShowsDash(d('F-17', 0.8), d('F817', 0.88), g), 'less sure');
    assert.ok(!litShowsDash(d('F-11', 0.99), d('F817', 0.88), g), 'another digit is another code');
    assert.ok(!litShowsDash(d('F317', 0.99), d('F817', 0.88), g), 'no dash');
  });
});
