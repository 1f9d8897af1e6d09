// Letters read as digits over ghost segments (src/vision/ocr/ghost-letters.ts), and a code made only by ghost
// characters (line-arbitration.ts withoutGhosts). Fixtures, from sets made by this project's generators:
// - e16-ghost-led-read-886.png: the code line of frame 1 of a gen-panels.ts set (seed 362), E16 in an italic seven-
//   segment font on a white LED that draws every unlit segment faintly. The recogniser reads 886 at 0.97, a bare
//   number (a status value), so the frame reads surely and the alarm is lost; the lit strokes read E 16.
// - dot-matrix-status-226-ghost-cells-read-a8226.jpg: frame 75 of a gen-panels-drawn.ts set (seed 361), a 640x360
//   camera frame whose white dot-matrix module shows the value 226 after six unlit cells of faint dots. The second
//   look's box takes in the cells next to the value, the enhanced view reads A8226, and the reading without the ghost
//   character is the status 226: the frame's status was reported as the alarm A8226.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { drawnInside, litShowsLetters, numberOverGhosts } from '../../src/vision/ocr/ghost-letters.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { realReaders, recogniseCrops, retryOneLine } from '../helpers/real-readers.js';

const FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures');
const CROP = join(FIXTURES, 'segment-crops/e16-ghost-led-read-886.png');
const FRAME = join(FIXTURES, 'frames/dot-matrix-status-226-ghost-cells-read-a8226.jpg');
const PATTERNS = ['/E-\\d{3}/', '/E\\d{2,3}/', '/AL\\d{3,4}/', '/F-?\\d{2,3}/', '/ERR[- ]?\\d{2,3}/', '/A\\d{2}/', '/H\\d{2}/'];

describe('letters read as digits over ghost segments, through the real models', { timeout: 240_000 }, () => {
  const r = realReaders();

  for (const catalog of [false, true]) {
    test(`886 read on the plain crop is E16 on its lit strokes, also on a sure frame (${catalog ? 'catalog' : 'no catalog'})`, async () => {
      const crop = frameToRgb(await decodeImageFile(CROP));
      const grammar = catalog ? new LineGrammar({ alarmPatterns: PATTERNS }) : new LineGrammar();
      const [first] = await recogniseCrops(r.reader, [crop]);
      assert.equal(first!.greedy.text, '886', 'the recogniser reads the E and the 1 over their ghosts as 8s');
      assert.equal(interpretLine(crop, first!, r.reader.dictionary, { grammar }).reading?.kind, 'status', 'a bare number: a status value');
      for (const ghostDashOnly of [false, true]) {
        const { view, text, read } = await retryOneLine(r.reader, crop, first!, grammar, ghostDashOnly);
        assert.equal(view, 'lit', `the lit reading is taken (${text})`);
        assert.equal(read.reading?.kind === 'alarm' ? (read.reading.code ?? '').replace(/\s/g, '') : '', 'E16', JSON.stringify(read));
      }
    });
  }

  test('a status value after unlit dot cells is no code made of the ghost characters', async () => {
    const v = await r.analyzer.analyze(await decodeImageFile(FRAME));
    assert.deepEqual(v.alarmCodes, [], JSON.stringify(v.detail.ocr));
    const lines = v.detail.ocr as Array<{ text: string; kind?: string }>;
    assert.ok(lines.some((l) => l.text === '226' && l.kind === 'status'), JSON.stringify(lines));
  });
});

test('ghost light only adds segments: a lit reading is taken where each character is drawn inside the one read over ghosts', () => {
  assert.ok(drawnInside('E', '8') && drawnInside('1', '8') && drawnInside('6', '6') && drawnInside('E', '6'));
  assert.ok(!drawnInside('L', '1'), 'an L has segments a 1 has not');
  assert.ok(!drawnInside('8', 'E'), 'a lit view only takes segments away');
  assert.ok(numberOverGhosts('886') && numberOverGhosts('8 52'));
  assert.ok(!numberOverGhosts('216'), 'no 8: no cell read over all its ghosts');
  assert.ok(!numberOverGhosts('F817') && !numberOverGhosts('8'), 'letters already, or one character');
  const g = new LineGrammar();
  const d = (text: string, confidence: number): { text: string; confidence: number } => ({ text, confidence });
  assert.ok(litShowsLetters(d('E 16', 0.92), d('886', 0.97), g, 0.9));
  assert.ok(litShowsLetters(d('A52', 0.95), d('852', 0.99), g, 0.9));
  assert.ok(!litShowsLetters(d('E 16', 0.85), d('886', 0.97), g, 0.9), 'an unsure lit reading');
  assert.ok(!litShowsLetters(d('E 1', 0.95), d('886', 0.97), g, 0.9), 'a character lost');
  assert.ok(!litShowsLetters(d('E 17', 0.95), d('886', 0.97), g, 0.9), 'a 7 is no part of the 6 read there');
  assert.ok(!litShowsLetters(d('816', 0.95), d('886', 0.97), g, 0.9), 'digits only: a status still');
  assert.ok(!litShowsLetters(d('E 16', 0.95), d('886', 0.97), undefined, 0.9), 'no grammar');
});
