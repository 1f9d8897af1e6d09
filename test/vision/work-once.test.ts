// Work the OCR path does once and reuses (speed, issue #11 item 4): each reuse
// must give exactly what working it out again gives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileCharPattern } from '../../src/vision/ocr/char-pattern.js';
import { CompiledGrammar, smoothedProb } from '../../src/vision/ocr/constrained-ctc.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import { confusionsInto } from '../../src/vision/ocr/segment-confusion.js';
import { dotMatrixLine, dotMatrixLineOfBox } from '../../src/vision/ocr/dot-matrix.js';
import { cropTextBox, type TextBox } from '../../src/vision/ocr/text-boxes.js';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { latticeOf } from '../helpers/lattice.js';

const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.:·'];
const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 2);

test('a grammar state set\'s moves are worked out once and are those of its states', () => {
  const g = new CompiledGrammar(compileCharPattern('(?:E|ERR)[- ]?\\d{2,3}'), dict);
  const start = g.start();
  const first = g.next(start);
  assert.equal(g.next(start), first, 'the same answer object for the same state set');
  assert.deepEqual([...first.keys()].map((c) => dict.chars[c]).sort(), ['E'], 'only E starts a code');
  const afterE = g.next(first.get(dict.indexOf('E'))!);
  assert.ok(afterE.has(dict.indexOf('R')) && afterE.has(dict.indexOf('-')) && afterE.has(dict.indexOf('7')));
});

test('look-alike lending equals the sum over confusionsInto, class by class', () => {
  const l = latticeOf(dict, [{ '8': 0.5, B: 0.2, E: 0.1, '6': 0.15 }, { '0': 0.6, D: 0.3, U: 0.05 }]);
  for (let t = 0; t < l.steps; t++) {
    for (const ch of ['8', 'B', 'E', '6', '0', 'D', 'U', 'A']) {
      const c = dict.indexOf(ch);
      let want = l.probs[l.offset + t * l.classes + c]!;
      for (const [x, w] of confusionsInto(ch)) {
        const xi = dict.indexOf(x);
        if (xi > 0) want += 0.3 * w * l.probs[l.offset + t * l.classes + xi]!;
      }
      assert.equal(smoothedProb(l, dict, t, c, 0.3), Math.min(1, want), `${ch} at step ${t}`);
      assert.equal(smoothedProb(l, dict, t, c, 0.3), Math.min(1, want), `${ch} at step ${t}, again`);
    }
  }
});

test('a box\'s dot-matrix test is the test of its plain crop, worked out once per image', async () => {
  const img = frameToRgb(await decodeImageFile(new URL('../fixtures/panels/d14-e042-cyan.png', import.meta.url).pathname));
  const box: TextBox = { points: [[10, 10], [Math.min(img.width - 1, 210), 10], [Math.min(img.width - 1, 210), 60], [10, 60]], score: 1 };
  const first = dotMatrixLineOfBox(img, box);
  assert.deepEqual(first, dotMatrixLine(cropTextBox(img, box)));
  assert.equal(dotMatrixLineOfBox(img, { ...box, points: box.points.map((p) => [...p]) as TextBox['points'] }), first, 'same corners: the same answer, not worked out again');
  const other = { ...box, points: box.points.map(([x, y]) => [x + 5, y]) as TextBox['points'] };
  assert.deepEqual(dotMatrixLineOfBox(img, other), dotMatrixLine(cropTextBox(img, other)), 'other corners: their own crop');
});

test('a frame becomes float RGB value for value', async () => {
  const frame = await decodeImageFile(new URL('../fixtures/panels/d14-e042-cyan.png', import.meta.url).pathname);
  const rgb = frameToRgb(frame);
  assert.equal(rgb.data.length, frame.width * frame.height * 3);
  for (let i = 0; i < rgb.data.length; i += 97) assert.equal(rgb.data[i], frame.data[i]);
  assert.equal(rgb.data[rgb.data.length - 1], frame.data[rgb.data.length - 1]);
});
