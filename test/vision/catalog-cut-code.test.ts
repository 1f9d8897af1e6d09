// A code cut short by its box, read with a fault catalog (src/vision/ocr/catalog-cut-code.ts). The frames are crops of
// two drawn panels (gen-panels-drawn seed 266, frames 28 and 13): a sixteen-segment LCD showing H97 whose first box ends
// before the 7 (read H9, which the catalog's H\d{2} does not take, so the grammar made the number 49 of it), and a
// tilted fourteen-segment VFD under a glare streak showing E-154 boxed over E-15 (the catalog's F-?\d{2,3} made F-15
// of it). Without the catalog both were read whole; with it, neither was reported. The third is a whole font-drawn
// frame (gen-panels seed 272, frame 43: C-21 in DSEG7 Classic Mini on an inverted LCD, tilted), its box over the
// middle rows of 2-21: the taller crop (cut-dot-rows.ts) read c-2 surely, a code the catalog's C-\d{2} does not take,
// so the line was not read on the taller box, whose right end completes it to C-21.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { cutCodeReplaces, withoutCatalog } from '../../src/vision/ocr/catalog-cut-code.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';

const FRAMES = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames');
const H97 = join(FRAMES, 'drawn-sixteen-segment-h97-catalog-cut-h9.png');
const E154 = join(FRAMES, 'drawn-fourteen-segment-e-154-catalog-cut-e-15.jpg');
const C21 = join(FRAMES, 'font-seven-segment-c-21-catalog-taller-crop-c-2.jpg');
// A catalog of the code families these panels show (as bench/_set.ts writes them).
const CATALOG = ['/E-\\d{3}/', '/E\\d{2,3}/', '/AL\\d{3,4}/', '/F-?\\d{2,3}/', '/ERR[- ]?\\d{2,3}/', '/A\\d{2}/', '/H\\d{2}/', '/C-\\d{2}/'];

describe('a code cut short by its box, read with a catalog', () => {
  test('the grammar without the catalog keeps the status vocabulary and is made once', () => {
    const g = new LineGrammar({ alarmPatterns: ['/H\\d{2}/'], statusNames: ['SPIN'] });
    const plain = withoutCatalog(g);
    assert.equal(g.usesCatalog, true);
    assert.equal(plain.usesCatalog, false);
    assert.ok(plain.statusNames.has('SPIN'), 'the status names carried over');
    assert.equal(withoutCatalog(g), plain);
    assert.equal(plain.alarmCode('H9'), 'H9', 'the default grammar takes a one-digit code the catalog does not');
    assert.equal(g.alarmCode('H9'), null);
  });

  test('a taller crop\'s code cut short replaces a reading no grammar takes, not a catalog code', () => {
    const g = new LineGrammar({ alarmPatterns: CATALOG });
    const taller = { text: 'c-2', confidence: 0.985 };
    assert.equal(cutCodeReplaces(taller, { text: '2-21', confidence: 0.5 }, g), true);
    assert.equal(cutCodeReplaces(taller, { text: 'C-21', confidence: 0.5 }, g), false, 'the catalog takes the first reading');
    assert.equal(cutCodeReplaces({ text: 'c-2', confidence: 0.6 }, { text: '2-21', confidence: 0.5 }, g), false, 'not sure enough');
    assert.equal(cutCodeReplaces(taller, { text: '2-21', confidence: 0.5 }, new LineGrammar()), false, 'no catalog');
  });

  for (const [name, frame, code] of [['H97 boxed over H9', H97, 'H97'], ['E-154 boxed over E-15', E154, 'E-154'], ['C-21 whose taller crop reads c-2', C21, 'C-21']] as const) {
    test(`${name}: the catalog's code, as without the catalog`, { timeout: 180_000 }, async () => {
      const image = await decodeImageFile(frame);
      for (const alarmPatterns of [CATALOG, []]) {
        const analyzer = await VisionAnalyzer.create({ alarmPatterns, ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
        try {
          assert.deepEqual((await analyzer.analyze(image)).alarmCodes, [code], alarmPatterns.length ? 'with the catalog' : 'without it');
        } finally {
          await analyzer.close();
        }
      }
    });
  }
});
