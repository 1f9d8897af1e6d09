// A line too short for its box's ends to be judged reports no alarm code (analyzer.ts, box-ends.ts
// LEAST_JUDGED_HEIGHT). The frame was generated with scripts/gen-panels-drawn.ts seed 233, frame 107 (a white
// dot-matrix LED showing the status RUN 1093, ghost dots, tilt, glare spot, perspective), saved as JPEG: a yellow pipe
// marker reading AIR at the frame's left edge is boxed over its first two letters only, 8 pixels tall, and the
// recogniser reads them A7, which the default code grammar takes for an alarm.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile } from '../../src/vision/image.js';
import { LEAST_JUDGED_HEIGHT } from '../../src/vision/ocr/box-ends.js';
import { realReaders } from '../helpers/real-readers.js';

const FRAME = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/drawn-dot-matrix-status-run1093-air-marker.jpg');

describe('a code read on a line too short to judge its ends', { timeout: 240_000 }, () => {
  const r = realReaders();

  test('the marker piece read A7 is no alarm on a frame showing a status', async () => {
    const v = await r.analyzer.analyze(await decodeImageFile(FRAME));
    assert.deepEqual(v.alarmCodes, []);
    // The short line is still read and kept in the detail: only its code is not reported.
    const lines = (v.detail?.ocr ?? []) as Array<{ text: string; box: { height: number } }>;
    assert.ok(lines.some((l) => l.box.height < LEAST_JUDGED_HEIGHT), `a line under ${LEAST_JUDGED_HEIGHT} px is read: ${JSON.stringify(lines.map((l) => l.text))}`);
  });
});
