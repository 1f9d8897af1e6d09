// A code's last glyph the recogniser reads past its box's cut right end, added to the first reading
// (past-end-glyphs.ts). The frame was generated with scripts/gen-panels-drawn.ts seed 207, frame 38 (a dim blue
// 16-segment LCD, JPEG): its box ends inside the last 9 of E939, the cells read E93, and on the crop widened at that
// end the recogniser reads E979 (its 3 a 7), which does not complete E93: the code was reported E93.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile, type RgbImage } from '../../src/vision/image.js';
import type { Lattice } from '../../src/vision/ocr/constrained-ctc.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { pastEndGlyphs } from '../../src/vision/ocr/past-end-glyphs.js';
import type { TextBox } from '../../src/vision/ocr/text-boxes.js';

const FRAME = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/drawn-sixteen-segment-e939-last-cut-dim.jpg');
// scripts/gen-panels-drawn.ts seed 385 frame 19: E501 on a tilted orange seven-segment LED, a glare streak just past its
// 1; the box ends before the 1, and on the crop widened at that end the recogniser reads ES0! (! 0.43, 1 0.29, I 0.16).
const FRAME_BANG = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/drawn-seven-orange-led-e501-one-past-end-read-bang.jpg');

const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.:%!|'];
const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 2);
const grammar = new LineGrammar();

/** A wider crop 320 × 48 (the recogniser's 40 steps), its box, and the first box over its left `firstFrom`..240 px. */
const CROP: RgbImage = { data: new Float32Array(320 * 48 * 3), width: 320, height: 48 };
const box = (x0: number, x1: number): TextBox => ({ points: [[x0, 0], [x1, 0], [x1, 48], [x0, 48]], score: 0.9 });
const WIDER = box(0, 320);

/** A lattice of 40 steps reading each `[char, from step, probability]` over three steps, blank elsewhere. */
function lattice(chars: Array<[string, number, number?]>): Lattice {
  const steps = 40, classes = dict.chars.length, probs = new Float32Array(steps * classes);
  for (let t = 0; t < steps; t++) probs[t * classes] = 1;
  for (const [ch, from, p = 0.95] of chars) {
    for (let t = from; t < from + 3; t++) { probs[t * classes] = 1 - p; probs[t * classes + dict.chars.indexOf(ch)] = p; }
  }
  return { probs, offset: 0, steps, classes };
}

const first = (text: string) => ({ text, confidence: 0.8, reading: grammar.classifyText(text, 0.8) });
const longer = (text: string, chars: Array<[string, number, number?]>, firstFrom = 0): string | undefined =>
  pastEndGlyphs(first(text), box(firstFrom, 240), WIDER, CROP, lattice(chars), dict, grammar)?.text;

describe('glyphs the recogniser reads past a code\'s cut end', { timeout: 240_000 }, () => {
  test('a sure glyph past the end is added where the recogniser read as many characters over the first box', () => {
    assert.equal(longer('E93', [['E', 4], ['9', 12], ['7', 20], ['9', 32]]), 'E939');
    assert.equal(longer('F-1', [['8', 4], ['8', 12], ['8', 20], ['3', 32]]), 'F-13', 'the cells\' dash and letter kept as read');
  });

  test('nothing is added past an unsure glyph, an 8, a count that does not line up, or ink left of the first box', () => {
    assert.equal(longer('E93', [['E', 4], ['9', 12], ['7', 20], ['9', 32, 0.4]]), undefined, 'an unsure glyph');
    assert.equal(longer('E93', [['E', 4], ['9', 12], ['7', 20], ['8', 32]]), undefined, 'an 8: an unlit cell\'s ghost segments');
    assert.equal(longer('E93', [['E', 4], ['9', 20], ['9', 32]]), undefined, 'two characters over a first reading of three');
    assert.equal(longer('E93', [['1', 2], ['E', 14], ['9', 20], ['7', 26], ['9', 33]], 80), undefined, 'a glyph left of the first box');
    assert.equal(longer('E93', [['E', 4], ['9', 12], ['7', 20]]), undefined, 'nothing past the end');
  });

  test('on a segment display a 1 past the end read as !, I or | is a 1, as sure as those readings together', () => {
    // Step 32 shared as the recogniser shared E501's last glyph: ! 0.43, 1 0.29, I 0.16.
    const shared = (): Lattice => {
      const l = lattice([['E', 4], ['5', 12], ['0', 20]]);
      for (let t = 32; t < 35; t++) {
        const row = t * l.classes;
        l.probs[row] = 0.12;
        for (const [ch, p] of [['!', 0.43], ['1', 0.29], ['I', 0.16]] as const) l.probs[row + dict.chars.indexOf(ch)] = p;
      }
      return l;
    };
    const on = (segment: number) => pastEndGlyphs({ ...first('E50'), segment }, box(0, 240), WIDER, CROP, shared(), dict, grammar)?.text;
    assert.equal(on(1), 'E501');
    assert.equal(on(0.2), undefined, 'not on a printed line: a ! there is no 1, and alone it is unsure');
    assert.equal(longer('E50', [['E', 4], ['5', 12], ['0', 20], ['|', 32]]), undefined, 'not without the segment measure');
    assert.equal(pastEndGlyphs({ ...first('E50'), segment: 1 }, box(0, 240), WIDER, CROP, lattice([['E', 4], ['5', 12], ['0', 20], ['|', 32]]), dict, grammar)?.text, 'E501');
  });

  test('a status is never made longer, nor into a code', () => {
    assert.equal(longer('RPM 43', [['R', 2], ['P', 6], ['M', 10], ['4', 16], ['3', 22], ['1', 32]]), undefined);
    assert.equal(longer('43', [['4', 8], ['3', 20], ['1', 32]]), undefined);
  });

  let analyzer: VisionAnalyzer;
  before(async () => { analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } }); });
  after(async () => { await analyzer?.close(); });

  test('E939 whose box ends inside its last 9 on a dim LCD is read whole', async () => {
    const v = await analyzer.analyze(await decodeImageFile(FRAME));
    assert.deepEqual(v.alarmCodes.map((c) => c.replace(/\s+/g, '').toUpperCase()), ['E939']);
  });

  test('E501 whose 1 past the box the recogniser reads as ! on an orange LED is read whole', async () => {
    const v = await analyzer.analyze(await decodeImageFile(FRAME_BANG));
    assert.deepEqual(v.alarmCodes.map((c) => c.replace(/\s+/g, '').toUpperCase()), ['E501']);
  });
});
