// A code read as a word (twin-letters.ts): ERR 01 on a light fourteen-segment LCD, its 0 read as an O and its narrow
// 1 not read at all, so the line was the word ERRO and no code was reported, while the line's segment cells read
// ERR 01. The frame was generated with scripts/gen-panels.ts (seed 285, frame 162: DSEG14 Modern Light Italic, tilt,
// over-exposed, JPEG).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile, type RgbImage } from '../../src/vision/image.js';
import { takesWider } from '../../src/vision/ocr/box-ends.js';
import type { Lattice } from '../../src/vision/ocr/constrained-ctc.js';
import type { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { completesTwins, twinDigits } from '../../src/vision/ocr/twin-letters.js';

const FRAME = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/fourteen-segment-err01-read-as-word-erro.jpg');

describe('a code read as a word, its first digit as a letter twin', { timeout: 240_000 }, () => {
  const grammar = new LineGrammar();
  const line = (text: string, segment = 1, dotMatrix?: number) => ({ text, segment, dotMatrix, reading: grammar.classifyText(text, 0.95) });
  // Lines turned away before their cells are looked at: no crop is needed for them.
  const noCrop = { width: 0, height: 0, data: new Uint8Array(0) } as unknown as RgbImage;
  const noLattice = {} as Lattice, noDict = {} as CharacterDictionary;

  test('only a usual prefix followed by letter twins, on a segment display, is looked at', () => {
    for (const [text, segment, dm, why] of [
      ['ERR 01', 1, undefined, 'a code already'],
      ['ERRO', 0.2, undefined, 'not on a crop that looks like a segment display'],
      ['ERRO', 1, 0.8, 'a dot-matrix line'],
      ['RESET', 1, undefined, 'no prefix before twins'],
      ['ERRA', 1, undefined, 'a letter that no digit resembles'],
      ['SPEED 2059', 1, undefined, 'a status with its value'],
      ['ERROSO', 1, undefined, 'more than two twins'],
    ] as const) assert.equal(twinDigits(line(text, segment, dm), grammar, noCrop, noLattice, noDict), null, why);
  });

  test('the wider reading is taken only as the prefix and one number that begins with the cells\' digits', () => {
    const twins = { letters: 'ERR', digits: '01' };
    assert.equal(completesTwins(twins, 'ERR01'), true);
    assert.equal(completesTwins(twins, 'ERR 01'), true);
    assert.equal(completesTwins(twins, 'ERR-012'), true);
    assert.equal(completesTwins(twins, 'ERR 0'), false, 'fewer digits than the cells read');
    assert.equal(completesTwins(twins, 'ERR 11'), false, 'other digits');
    assert.equal(completesTwins(twins, 'ER 01'), false, 'another prefix');
    assert.equal(completesTwins(twins, 'ERR 0 1'), false, 'a space inside the number (a word, then a value)');
    assert.equal(completesTwins(twins, 'ERRO'), false);
    const e = { left: false, right: true, prefix: false, letters: true, twins };
    const first = { text: 'ERRO', confidence: 0.96, segment: 1, reading: grammar.classifyText('ERRO', 0.96) };
    const wider = (text: string, confidence = 0.9) => ({ text, confidence, segment: 1, reading: grammar.classifyText(text, confidence) });
    assert.equal(takesWider(first, wider('ERR01'), e, { before: 'ERRO', after: 'ERRO1' }), true);
    assert.equal(takesWider(first, wider('ERR01', 0.3), e, { before: 'ERRO', after: 'ERRO1' }), false, 'an unsure reading');
    assert.equal(takesWider(first, wider('ERR01'), e, { before: 'ERRO', after: 'ERRO' }), false, 'the recogniser saw nothing more');
  });

  let analyzer: VisionAnalyzer;
  before(async () => { analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } }); });
  after(async () => { await analyzer?.close(); });

  test('ERR 01 read as the word ERRO is read as the code', async () => {
    const v = await analyzer.analyze(await decodeImageFile(FRAME));
    assert.deepEqual(v.alarmCodes.map((c) => c.replace(/[\s-]+/g, '').toUpperCase()), ['ERR01']);
  });
});
