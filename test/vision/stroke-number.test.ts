// A bare number that only the first pass's stroke finder saw, with no segment lattice or dot-matrix grid under it,
// leaves the frame in doubt (src/vision/ocr/stroke-number.ts, used by frame-doubt.ts inDoubt): the further looks
// for the display still run. Checked on the predicate with the lines measured on the fixture, then through the real
// models on the camera frame where a cable's bend read as 5440 kept the looks from a dot-matrix LCD's F50.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { realReaders } from '../helpers/real-readers.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { inDoubt, type ReadLine } from '../../src/vision/ocr/frame-doubt.js';
import { strokeOnlyNumber } from '../../src/vision/ocr/stroke-number.js';

const at = (x: number, y: number, width: number, height: number): ReadLine['box'] => ({ x, y, width, height });

test('a long bare number only the stroke finder saw, with no segments or dots, leaves the frame in doubt', () => {
  // The fixture's first pass: three printed labels and the cable's bend, a stroke line read 5440 on the enhanced view.
  const labels: ReadLine[] = [
    { text: 'OIL', confidence: 0.97, box: at(312, 83, 32, 22), reading: { kind: 'text' } },
    { text: 'DANGER', confidence: 0.99, box: at(102, 131, 52, 23), reading: { kind: 'text' } },
  ];
  const cable: ReadLine = { text: '5440', confidence: 0.71, box: at(399, 259, 28, 14), reading: { kind: 'status' }, segment: 0, found: 'strokes' };
  assert.equal(strokeOnlyNumber(cable), true);
  assert.equal(inDoubt([...labels, cable]), true, 'the looks for the display still run');
  // The picture backs the number: the detector boxed it, or segments or dots lie under it. It settles the frame.
  const { found: _found, ...detected } = cable;
  for (const backed of [detected, { ...cable, segment: 0.8 }, { ...cable, dotMatrix: 0.6 }]) {
    assert.equal(strokeOnlyNumber(backed), false, JSON.stringify(backed));
    assert.equal(inDoubt([...labels, backed]), false, JSON.stringify(backed));
  }
  // A named or marked status, or a code, found by strokes settles the frame as before.
  assert.equal(inDoubt([{ ...cable, text: 'RUN 1450' }]), false);
  assert.equal(inDoubt([{ ...cable, text: '72.5' }]), false);
  assert.equal(inDoubt([{ ...cable, text: 'F50', reading: { kind: 'alarm' } }]), false);
});

const FRAMES = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames');

describe('a display the first pass missed behind a number read off a cable, through the real models', { timeout: 240_000 }, () => {
  const real = realReaders({ firstPassOnly: true });

  // scripts/gen-panels-drawn.ts seed 268 frame 53: a grey LCD dot-matrix F50, tilted, noise, 640x360 JPEG. At the
  // stroke finder's scale the characters merge with the window's edge (no stroke line), the detector misses them,
  // and a red cable's bend is a stroke line read 5440. The second look's grey view boxes the display.
  test('drawn-dot-matrix-f50-cable-read-as-number.jpg: F50 found by the second look past a stroke line read 5440', async () => {
    const frame = await decodeImageFile(join(FRAMES, 'drawn-dot-matrix-f50-cable-read-as-number.jpg'));
    const first = await real.firstPassOnly.analyze(frame);
    const firstLines = first.detail.ocr as Array<{ text: string; found?: string }>;
    assert.deepEqual(first.alarmCodes, [], JSON.stringify(firstLines));
    assert.ok(firstLines.some((l) => l.text === '5440' && l.found === 'strokes'), JSON.stringify(firstLines));
    const v = await real.analyzer.analyze(frame);
    const lines = v.detail.ocr as Array<{ text: string; found?: string }>;
    assert.deepEqual(v.alarmCodes, ['F50'], JSON.stringify(lines));
    assert.equal(lines.find((l) => l.text === 'F50')?.found, 'second-look');
  });
});
