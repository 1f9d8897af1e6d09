// Choosing between readings of one line from two views of its crop (view-choice.ts): the plain crop and its
// display-enhanced view are read by the same recogniser, so a second view wins by being surer, not by a hair of
// confidence against what the grammar made of the first, nor by reading more characters; where both read the same
// characters, by what the grammar makes of each view's lattice. Readings by hand, then one camera frame (from a
// generated development set) through the real models.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { inDoubt, litReplaces, replacesInterpretation, replacesReading, sameCharacters } from '../../src/vision/ocr/view-choice.js';
import { PanelReader } from '../../src/vision/ocr/panel-reader.js';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';

const grammar = new LineGrammar();
const catalog = new LineGrammar({ alarmPatterns: ['/E-?\\d{2,3}/', '/ERR ?\\d{2}/'] });

/** Asserts the codes a fresh reader reports on a whole camera frame from fixtures/frames. */
async function readsCodes(name: string, expected: string[]): Promise<void> {
  const reader = await PanelReader.create({ reuseUnchanged: false });
  try {
    const frame = await decodeImageFile(join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames', name));
    const lines = await reader.read(frameToRgb(frame), { grammar });
    const codes = lines.filter((l) => l.reading?.kind === 'alarm').map((l) => l.reading!.code);
    assert.deepEqual(codes, expected, JSON.stringify(lines.map((l) => [l.text, l.raw, l.view])));
  } finally {
    await reader.close();
  }
}

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

describe('two views that read the same characters', () => {
  const alarm = (text: string, raw: string, confidence: number) => ({ confidence, reading: { kind: 'alarm' as const, text, raw, code: text, confidence } });
  const bare = (text: string, confidence: number) => ({ confidence, reading: grammar.classifyText(text, confidence) });

  test('are the same characters only when their text is, spaces and case aside', () => {
    assert.equal(sameCharacters({ text: '832', confidence: 0.9 }, { text: ' 832', confidence: 0.7 }), true);
    assert.equal(sameCharacters({ text: 'Err 24', confidence: 0.9 }, { text: 'ERR24', confidence: 0.7 }), true);
    assert.equal(sameCharacters({ text: '832', confidence: 0.9 }, { text: '932', confidence: 0.7 }), false);
    assert.equal(sameCharacters({ text: '', confidence: 0.9 }, { text: ' ', confidence: 0.7 }), false);
  });

  test('the view whose lattice makes a code keeps the line against a surer view that leaves a bare number (A32 from 832)', () => {
    assert.equal(replacesInterpretation(bare('832', 0.92), alarm('A32', '832', 0.76)), false);
    assert.equal(replacesInterpretation(alarm('A32', '832', 0.7), bare('832', 0.76)), true);
    // Equal standing: the surer view.
    assert.equal(replacesInterpretation(alarm('A32', '832', 0.8), alarm('A32', '832', 0.76)), true);
    assert.equal(replacesInterpretation(bare('832', 0.7), bare('832', 0.76)), false);
  });

  test('a blurred fourteen-segment A32 (a camera frame) is read as the code, though its enhanced view is surer of an 8', { timeout: 120_000 }, async () => {
    const reader = await PanelReader.create({ reuseUnchanged: false });
    try {
      const frame = await decodeImageFile(join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/view-choice/a32-fourteen-segment-blur.jpg'));
      const lines = await reader.read(frameToRgb(frame), { grammar });
      const codes = lines.filter((l) => l.reading?.kind === 'alarm').map((l) => l.reading!.code);
      assert.deepEqual(codes, ['A32'], JSON.stringify(lines.map((l) => [l.text, l.raw, l.view])));
    } finally {
      await reader.close();
    }
  });
});

describe('a lit view that loses a whole unlit cell', () => {
  test('a bare number led by an 8 is in doubt, and its lit reading, a code less that cell, replaces it (8891 is F91)', () => {
    assert.equal(inDoubt({ text: '8891', confidence: 0.91 }, 0.9, grammar), true);
    assert.equal(inDoubt({ text: '1891', confidence: 0.91 }, 0.9, grammar), false);
    assert.equal(inDoubt({ text: '889', confidence: 0.91 }, 0.9, grammar), false);
    assert.equal(litReplaces({ text: 'F91', confidence: 0.9 }, { text: '8891', confidence: 0.91 }, grammar), true);
    // Not a code, another tail, or much less sure: the first reading stays.
    assert.equal(litReplaces({ text: '891', confidence: 0.95 }, { text: '8891', confidence: 0.91 }, grammar), false);
    assert.equal(litReplaces({ text: 'F97', confidence: 0.9 }, { text: '8891', confidence: 0.91 }, grammar), false);
    assert.equal(litReplaces({ text: 'F91', confidence: 0.8 }, { text: '8891', confidence: 0.91 }, grammar), false);
  });

  test('F91 on a seven-segment LCD with a blank ghost cell before it (a drawn frame) is read as the code', { timeout: 120_000 }, async () => {
    await readsCodes('drawn-seven-segment-f91-ghost-cell-before.jpg', ['F91']);
  });
});

describe('a lit view of a line the first views read as no Latin character', () => {
  test('its reading may count any cells, taken as another view\'s would be (采出 is no count of E747\'s glyphs)', () => {
    assert.equal(litReplaces({ text: 'E747', confidence: 0.86 }, { text: '出', confidence: 0.58 }, grammar), true);
    assert.equal(litReplaces({ text: 'E747', confidence: 0.5 }, { text: '出', confidence: 0.58 }, grammar), false, 'less sure');
    assert.equal(litReplaces({ text: '出出', confidence: 0.9 }, { text: '出', confidence: 0.58 }, grammar), false, 'no Latin character either');
    // A first reading with a Latin character keeps the count rule: a lit reading of other length stays out.
    assert.equal(litReplaces({ text: 'E747', confidence: 0.86 }, { text: 'E出', confidence: 0.58 }, grammar), false);
  });

  test('E747 on a white fourteen-segment LED whose ghost segments glow (a drawn frame) is read as the code', { timeout: 120_000 }, async () => {
    // scripts/gen-panels-drawn.ts seed 385 frame 12, 1920×1080: the plain view reads 采出, the enhanced view 出, the lit
    // strokes E747.
    await readsCodes('drawn-fourteen-white-led-ghosts-e747-read-cjk.png', ['E747']);
  });
});
