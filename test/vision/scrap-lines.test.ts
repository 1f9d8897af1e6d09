// Scraps (scrap-lines.ts): a line read as nothing or one character is not read again on other views once another line
// of the frame reads the display; while no line does, every line is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LineInterpretation } from '../../src/vision/ocr/line-arbitration.js';
import type { LineReading } from '../../src/vision/ocr/line-grammar.js';
import { scrapLines, type FirstReading } from '../../src/vision/ocr/scrap-lines.js';

const line = (text: string, kind: LineReading['kind'], confidence: number, segment = 0, greedy = text): FirstReading => ({
  greedy,
  line: { text, confidence, segment, reading: { kind, text, raw: greedy, confidence } } as LineInterpretation,
  dotMatrix: false,
});

test('scraps are left as read once a code reads the display', () => {
  const lines = [line('', 'text', 0), line('T', 'text', 0.32), line('FLT 90', 'alarm', 0.87, 0, 'FLE 90'), line('一', 'text', 0.15), line('ENTER', 'text', 0.99)];
  assert.deepEqual(scrapLines(lines), [true, true, false, true, false]);
});

test('a named status or a long number reads the display as a code does', () => {
  assert.deepEqual(scrapLines([line('LOAD 17%', 'status', 0.62, 1), line('Z', 'text', 0.38)]), [false, true]);
  assert.deepEqual(scrapLines([line('9988', 'status', 0.98, 1), line('', 'text', 0)]), [false, true]);
});

test('while no line reads the display, every line is read again: a scrap may be the display', () => {
  // A short bare number may be a piece of the display or a code's digits: it settles nothing.
  assert.deepEqual(scrapLines([line('86', 'status', 0.51, 1), line('', 'text', 0), line('1', 'status', 0.3)]), [false, false, false]);
  assert.deepEqual(scrapLines([line('STOR', 'text', 0.57), line('', 'text', 0)]), [false, false]);
  // A code read too unsurely to report does not read the display either.
  assert.deepEqual(scrapLines([line('E21', 'alarm', 0.4), line('7', 'text', 0.3)]), [false, false]);
});

test('a line of two characters or more is no scrap, nor a display line itself', () => {
  assert.deepEqual(scrapLines([line('AL7418', 'alarm', 0.89), line('AR', 'text', 0.71), line('15', 'status', 0.46), line('F17', 'alarm', 0.86)]),
    [false, false, false, false]);
});
