// When a frame is still in doubt about its display (src/vision/ocr/frame-doubt.ts), the one predicate the second
// look, the finer stroke search and the reader share: an alarm code or a status line that says it is one settles
// the frame; a bare number (a piece of the display, or a code whose letters were read as digits) does not. A bare
// number hides from the looks only what lies inside it, and a display line found over it replaces it. Then, through
// the real models, a camera frame whose first pass reads only a bare number off its display.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { realReaders } from '../helpers/real-readers.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { addFound, bareNumber, hides, inDoubt, readsDisplay, settleDoubt, type ReadLine } from '../../src/vision/ocr/frame-doubt.js';

const at = (x: number, y: number, width: number, height: number): ReadLine['box'] => ({ x, y, width, height });
const line = (text: string, kind: 'alarm' | 'status' | 'text', box = at(10, 10, 80, 20), more: Partial<ReadLine> = {}): ReadLine =>
  ({ text, confidence: 0.95, box, reading: { kind }, ...more });

test('an alarm code or a named or marked status settles the frame; a bare number does not', () => {
  assert.equal(inDoubt([line('DANGER', 'text'), line('E-042', 'alarm')]), false);
  assert.equal(inDoubt([line('RUN 1450', 'status')]), false);
  assert.equal(inDoubt([line('04:43', 'status')]), false, 'a clock');
  assert.equal(inDoubt([line('935.3', 'status')]), false, 'a value with a decimal point');
  assert.equal(inDoubt([line('READY', 'status', undefined, { segment: 0.8 })]), false, 'a status word on segments');
  assert.equal(inDoubt([line('OIL', 'text'), line('9', 'status')]), true, 'a digit of the display');
  assert.equal(inDoubt([line('99', 'status')]), true, 'F97 read as a number');
  assert.equal(inDoubt([line('PROG', 'status', undefined, { segment: 0.04 })]), true, 'a status word in print is a key label');
  assert.equal(inDoubt([line('E-042', 'alarm', undefined, { confidence: 0.4 })]), true, 'a code the analyser would reject');
  assert.equal(inDoubt([line('593', 'status')]), true, 'three digits: a code\'s digits without their letters');
  assert.equal(inDoubt([line('1450', 'status')]), false, 'four digits: a count or a speed shown alone');
  // The bare number is still a display line: it is reported as a status value as before.
  assert.equal(readsDisplay([line('1450', 'status')]), true);
  assert.equal(bareNumber(line('1450', 'status')), true);
  assert.equal(bareNumber(line('SET 3229', 'status')), false);
});

test('a bare number hides only a box that lies mostly inside it; a sure line also hides a box a little larger', () => {
  const digit = line('9', 'status', at(200, 100, 30, 40));
  const display = at(140, 95, 100, 50);
  assert.equal(hides(digit, display, true), false, 'the whole display around the digit is read');
  assert.equal(hides(digit, at(198, 98, 34, 44), true), true, 'about the digit\'s own box: read already');
  assert.equal(hides(digit, at(202, 102, 26, 36), true), true, 'a box inside it');
  const code = line('F69', 'alarm', at(150, 100, 80, 40));
  const wide = at(120, 90, 160, 60);
  assert.equal(hides(code, wide, true), true, 'a box around a sure line: read already');
  assert.equal(hides(code, wide, false), false, 'strict (the finer search): the line must cover most of the box');
  assert.equal(hides(digit, wide, true), false);
  assert.equal(hides(line('AB', 'text', at(0, 0, 400, 300)), display, true), false, 'a line over twice as tall hides nothing');
});

test('a display line found over a bare number replaces it; a bare number found again is not added', () => {
  const sign = line('OIL', 'text', at(10, 10, 60, 20));
  const digit = line('9', 'status', at(200, 100, 30, 40));
  const code = line('F69', 'alarm', at(140, 95, 100, 50));
  assert.deepEqual(addFound([sign, digit], [code]).map((l) => l.text), ['OIL', 'F69']);
  assert.deepEqual(addFound([sign, digit], [line('69', 'status', at(170, 95, 70, 50))]).map((l) => l.text), ['OIL', '9'],
    'another bare number adds nothing to a frame with one');
  assert.deepEqual(addFound([sign], [line('69', 'status', at(170, 95, 70, 50))]).map((l) => l.text), ['OIL', '69'],
    'a bare number is the first display line found: added');
  assert.deepEqual(addFound([sign, line('9', 'status', at(200, 100, 30, 40), { confidence: 0.3 })], [line('9', 'status', at(199, 99, 32, 42))])
    .map((l) => l.text), ['OIL', '9'], 'the same number again');
  assert.deepEqual(addFound([sign], [line('HYD', 'text', at(100, 100, 60, 20))]).map((l) => l.text), ['OIL'], 'only display lines are added');
});

test('a line found inside a line read already, whose characters that line read in a longer run, is a piece of it', () => {
  // LOAD 13% read L083134 (a status in doubt, too unsure to settle the frame); the finer stroke search boxed its first
  // two glyphs and read L0, which the grammar takes for a code.
  const whole = line('108313H', 'status', at(516, 138, 421, 90), { raw: 'L083134', confidence: 0.37 });
  const piece = line('L0', 'alarm', at(519, 181, 103, 44));
  assert.deepEqual(addFound([whole], [piece]).map((l) => l.text), ['108313H']);
  // The same box reading characters the line did not read: the display under clutter the detector merged: added.
  assert.deepEqual(addFound([whole], [line('E-42', 'alarm', at(519, 181, 103, 44))]).map((l) => l.text), ['108313H', 'E-42']);
  // The same characters beside the line, not inside it: added.
  assert.deepEqual(addFound([whole], [line('L0', 'alarm', at(519, 300, 103, 44))]).map((l) => l.text), ['108313H', 'L0']);
});

test('the looks run in order while the frame stays in doubt, and stop once it is settled', async () => {
  const ran: string[] = [];
  const look = (name: string, add: ReadLine[]) => async (ls: ReadLine[]): Promise<ReadLine[]> => {
    ran.push(name);
    return addFound(ls, add);
  };
  const bare = line('99', 'status', at(50, 50, 60, 30));
  const out = await settleDoubt([line('HOT', 'text')], [look('second', [bare]), look('fine', [line('F97', 'alarm', at(30, 45, 90, 40))]), look('never', [])]);
  assert.deepEqual(ran, ['second', 'fine'], 'a bare number found by the first look does not stop the next');
  assert.deepEqual(out.map((l) => l.text), ['HOT', 'F97']);
  ran.length = 0;
  await settleDoubt([line('E-042', 'alarm')], [look('second', [])]);
  assert.deepEqual(ran, [], 'no look on a frame that reads its code');
});

const FRAMES = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames');
/**
 * Camera frames (scripts/gen-panels-drawn.ts) whose first pass reads only a bare number off the display: the
 * detector's box starts after the code's letters. The number alone used to settle the frame; now the further
 * looks run and read the whole line.
 */
const FIXTURES: Array<{ file: string; code: string; why: string }> = [
  { file: 'fourteen-segment-flt28-box-after-letters.jpg', code: 'FLT 28', why: 'a blue LCD with a glare streak, the box starts after FLT, 800x450, JPEG' },
];

describe('a bare number read off the display does not end the search, through the real models', { timeout: 300_000 }, () => {
  const real = realReaders({ firstPassOnly: true });

  for (const f of FIXTURES) {
    test(`${f.file}: ${f.why}`, async () => {
      const frame = await decodeImageFile(join(FRAMES, f.file));
      const first = await real.firstPassOnly.analyze(frame);
      assert.deepEqual(first.alarmCodes, [], `the first pass reads no code: ${JSON.stringify(first.text)}`);
      const lines = first.detail.ocr as Array<{ text: string; kind?: string }>;
      assert.ok(lines.some((l) => l.kind === 'status' && /^\d+$/.test(l.text) && f.code.endsWith(l.text)), `a bare number off the display: ${JSON.stringify(lines)}`);
      const v = await real.analyzer.analyze(frame);
      assert.deepEqual(v.alarmCodes, [f.code], JSON.stringify(v.detail.ocr));
      const read = v.detail.ocr as Array<{ text: string; kind?: string }>;
      assert.ok(!read.some((l) => l.kind === 'status' && /^\d+$/.test(l.text) && f.code.endsWith(l.text)), 'the piece is replaced by the whole line');
    });
  }
});
