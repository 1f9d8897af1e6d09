// The second look for a display (src/vision/ocr/second-look.ts): which frames get it (text read, but no alarm
// code and no status line; a status word alone in print is a key's label, not the display), the grey view it
// detects on, and, through the real models, a camera frame whose display the first pass does not find.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { realReaders } from '../helpers/real-readers.js';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { PanelReader } from '../../src/vision/ocr/panel-reader.js';
import { readsDisplay, type ReadLine } from '../../src/vision/ocr/frame-doubt.js';
import { enhancedFrame } from '../../src/vision/ocr/second-look.js';

const FRAMES = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames');
const PANELS = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/panels');
/**
 * Camera frames (scripts/gen-panels-drawn.ts) whose display the detector misses at its usual scale; the frame's
 * signs and key labels are read (a PROG key reads as a status word).
 */
const FIXTURES: Array<{ file: string; code: string; why: string }> = [
  { file: 'dot-matrix-al169-ghost-dots.jpg', code: 'AL169', why: 'a white dot-matrix line behind its unlit dots, 800x450, noise and JPEG' },
  // The second look's box ran on over the module's unlit cells, one read as a character (F-01 as F-G11, text): its
  // unlit ends are cut off as the first pass's dot-matrix boxes are (dot-matrix-extent.ts, trimming only).
  { file: 'dot-matrix-f01-ghost-cells.jpg', code: 'F-01', why: 'a green dot-matrix line with its unlit cells past it, 1280x720, JPEG' },
];
const box = { x: 10, y: 10, width: 80, height: 20 };
const line = (text: string, kind: 'alarm' | 'status' | 'text', confidence = 0.95, more: Partial<ReadLine> = {}): ReadLine =>
  ({ text, confidence, box, reading: { kind }, ...more });

test('a frame reads its display when a line is an alarm code or a status line with a value', () => {
  assert.equal(readsDisplay([line('DANGER', 'text'), line('E-042', 'alarm')]), true);
  assert.equal(readsDisplay([line('RUN 1450', 'status')]), true);
  assert.equal(readsDisplay([line('DANGER', 'text'), line('HYDRAULIC', 'text')]), false, 'signs only');
  assert.equal(readsDisplay([line('E-042', 'alarm', 0.4)]), false, 'a reading the analyser would reject');
  assert.equal(readsDisplay([line('PROG', 'status', 0.99, { segment: 0.04 })]), false, 'a status word in print: a key label');
  assert.equal(readsDisplay([line('READY', 'status', 0.9, { segment: 0.8 })]), true, 'a status word on segments');
  assert.equal(readsDisplay([line('READY', 'status', 0.9, { dotMatrix: 0.7 })]), true, 'a status word in dots');
});

test('the grey view is at most the detector size, stretched to the full grey range', () => {
  const w = 1920, h = 1080;
  const data = new Float32Array(w * h * 3);
  for (let i = 0; i < w * h; i++) data[3 * i] = data[3 * i + 1] = data[3 * i + 2] = 100 + 40 * ((i % w) / w);
  const { view, scale } = enhancedFrame({ data, width: w, height: h }, 960);
  assert.equal(view.width, 960);
  assert.equal(view.height, 540);
  assert.equal(scale, 2);
  let lo = 255, hi = 0;
  for (let i = 0; i < view.width * view.height; i++) { lo = Math.min(lo, view.data[3 * i]!); hi = Math.max(hi, view.data[3 * i]!); }
  assert.ok(lo < 10 && hi > 245, `stretched: ${lo}..${hi}`);
});

describe('a display the first pass does not find, through the real models', { timeout: 240_000 }, () => {
  const real = realReaders({ firstPassOnly: true });

  for (const f of FIXTURES) {
    test(`${f.file}: ${f.why}`, async () => {
      const frame = await decodeImageFile(join(FRAMES, f.file));
      const first = await real.firstPassOnly.analyze(frame);
      assert.deepEqual(first.alarmCodes, [], `the first pass misses the display: ${JSON.stringify(first.text)}`);
      assert.ok(first.text.length > 0, 'the frame\'s other text is read');
      const v = await real.analyzer.analyze(frame);
      assert.deepEqual(v.alarmCodes, [f.code], JSON.stringify(v.detail.ocr));
      const line = (v.detail.ocr as Array<{ text: string; found?: string }>).find((o) => o.text === f.code);
      assert.equal(line?.found, 'second-look');
    });
  }

  test('a still frame reuses the second look\'s boxes; a frame that reads its display gets none', async () => {
    const still = await PanelReader.create({ reuseUnchanged: false, reuseBoxesMs: 60_000 });
    try {
      const a = await VisionAnalyzer.create({ reader: still, ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
      const frame = await decodeImageFile(join(FRAMES, FIXTURES[0]!.file));
      assert.deepEqual((await a.analyze(frame)).alarmCodes, [FIXTURES[0]!.code]);
      assert.deepEqual((await a.analyze(frame)).alarmCodes, [FIXTURES[0]!.code]);
      assert.deepEqual(still.secondLookDetections, { reused: 1, run: 1 });
      const looks = real.reader.secondLooks;
      await real.analyzer.analyze(await decodeImageFile(join(PANELS, 'd7-e042-red.png')));
      assert.equal(real.reader.secondLooks, looks, 'no second look on a display read at once');
    } finally {
      await still.close();
    }
  });
});
