// Choosing between readings of one line from two views of its crop (view-choice.ts): the plain crop and its
// display-enhanced view are read by the same recogniser, so a second view wins by being surer, not by a hair of
// confidence against what the grammar made of the first, nor by reading more characters. Readings by hand; no model.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { replacesReading } from '../../src/vision/ocr/view-choice.js';

const grammar = new LineGrammar();
const catalog = new LineGrammar({ alarmPatterns: ['/E-?\\d{2,3}/', '/ERR ?\\d{2}/'] });

describe('a reading from another view of the line', () => {
  test('a code the grammar takes is not replaced by a bare number read a little surer (A32 stays, 832 does not win)', () => {
    assert.equal(replacesReading({ text: '832', confidence: 0.78 }, { text: 'A32', confidence: 0.76 }, grammar), false);
    // Clearly surer, the bare number is taken.
    assert.equal(replacesReading({ text: '832', confidence: 0.95 }, { text: 'A32', confidence: 0.76 }, grammar), true);
  });

  test('more characters do not win by count alone once the grammar takes the first reading (Err 24 stays, Er2824 does not win)', () => {
    for (const g of [grammar, catalog]) {
      assert.equal(replacesReading({ text: 'Er2824', confidence: 0.74 }, { text: 'Err 24', confidence: 0.78 }, g), false);
      // A surer reading of the same standing still replaces it.
      assert.equal(replacesReading({ text: 'Err 24', confidence: 0.88 }, { text: 'Er2824', confidence: 0.74 }, g), true);
    }
  });

  test('a reading the grammar takes replaces one it does not, and without a grammar the longer sure reading wins as before', () => {
    assert.equal(replacesReading({ text: 'E-317', confidence: 0.8 }, { text: 'E-3', confidence: 0.82 }, catalog), true);
    assert.equal(replacesReading({ text: 'RUN 1450', confidence: 0.8 }, { text: 'RU', confidence: 0.81 }, grammar), true);
    assert.equal(replacesReading({ text: 'E-317', confidence: 0.8 }, { text: 'E-3', confidence: 0.82 }), true);
    assert.equal(replacesReading({ text: 'E-3', confidence: 0.75 }, { text: 'E-317', confidence: 0.7 }), false);
  });
});
