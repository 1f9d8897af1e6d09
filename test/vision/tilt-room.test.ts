// A bare number's box widened to its left for a code's lost letters, on a display turned in the frame: the detector
// boxed C-23 on a tilted green LED level with the frame, over -23 alone, and the widened box cut the C's top bar off
// (the line rises to the left). The plain wider crop read -23 (the PNG frame: no code) or L-23 (the same frame as a
// JPEG: a wrong code). The crop given room for the line's rise (tilt-room.ts) reads C-23; where the plain crop read
// another code the two crops are no code. Frames generated with scripts/gen-panels-drawn.ts (generateDrawnPanelSet,
// seed 316, fixed texts of C codes, frame 8: C-23 on a seven-segment LED, tilt, over-exposed); the JPEG is that PNG
// re-encoded at quality 92.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile } from '../../src/vision/image.js';
import type { TextBox } from '../../src/vision/ocr/text-boxes.js';
import { TILT, withTiltRoom } from '../../src/vision/ocr/tilt-room.js';
import { realReaders } from '../helpers/real-readers.js';

const FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames');
const PNG = join(FIXTURES, 'drawn-seven-segment-c23-tilted-letter-past-box.png');
const JPEG = join(FIXTURES, 'drawn-seven-segment-c23-tilted-letter-past-box.jpg');

describe('room for a turned line past a widened box', { timeout: 240_000 }, () => {
  test('the room grows with the length added at the left, across the box\'s axis', () => {
    const box: TextBox = { points: [[100, 10], [140, 10], [140, 30], [100, 30]], score: 1 };
    const wider: TextBox = { points: [[70, 10], [140, 10], [140, 30], [70, 30]], score: 1 };
    const r = withTiltRoom(box, wider).points;
    assert.deepEqual(r.map((p) => p.map((v) => Math.round(v * 100) / 100)), [[70, 10 - 30 * TILT], [140, 10 - 30 * TILT], [140, 30 + 30 * TILT], [70, 30 + 30 * TILT]]);
    assert.equal(withTiltRoom(box, box), box, 'nothing added, no room');
    // A box turned a quarter: the room lies across its own axis.
    const turned: TextBox = { points: [[0, 0], [0, 40], [-20, 40], [-20, 0]], score: 1 };
    const longer: TextBox = { points: [[0, -10], [0, 40], [-20, 40], [-20, -10]], score: 1 };
    const q = withTiltRoom(turned, longer).points;
    assert.deepEqual(q.map((p) => p.map((v) => Math.round(v * 100) / 100)), [[10 * TILT, -10], [10 * TILT, 40], [-20 - 10 * TILT, 40], [-20 - 10 * TILT, -10]]);
  });

  const r = realReaders();

  test('C-23 on a tilted LED, boxed over -23, is read C-23', async () => {
    const v = await r.analyzer.analyze(await decodeImageFile(PNG));
    assert.deepEqual(v.alarmCodes, ['C-23']);
  });

  test('where the plain wider crop reads L-23 and the roomier one C-23, no wrong code is reported', async () => {
    const v = await r.analyzer.analyze(await decodeImageFile(JPEG));
    assert.ok(v.alarmCodes.every((c) => c === 'C-23'), `reported ${JSON.stringify(v.alarmCodes)}`);
  });
});
