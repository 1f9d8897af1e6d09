// A status name and its value boxed apart by the detector are one reading (status-pairs.ts): PRES and 1.5 side by
// side on a display's row are a pressure of 1.5, not two readings that each say half of it. The whole frame: drawn
// generator (scripts/gen-panels-drawn.ts) seed 183 frame 7, a white fourteen-segment LED under a glare wash, 960x540 JPEG.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { statusReadings, type StatusLine } from '../../src/vision/ocr/status-pairs.js';

const status = (text: string, name: string, value: string, x: number, y: number, width: number, height: number): StatusLine =>
  ({ text, box: { x, y, width, height }, reading: { kind: 'status', name, value } });

describe('status readings', () => {
  test('a name read alone and the value boxed right after it on its row make one reading', () => {
    const lines = [status('PRES', 'PRES', '', 412, 300, 120, 40), status('1.5', '', '1.5', 560, 302, 70, 38)];
    assert.deepEqual(statusReadings(lines), [{ name: 'PRES', value: '1.5', text: 'PRES 1.5' }]);
  });

  test('a value boxed over the name\'s last letter still joins; the nearest of two values joins', () => {
    const lines = [status('LOAD', 'LOAD', '', 100, 50, 160, 48), status('3', '', '3', 240, 52, 40, 46), status('88', '', '88', 300, 52, 50, 46)];
    assert.deepEqual(statusReadings(lines), [{ name: 'LOAD', value: '3', text: 'LOAD 3' }, { name: '', value: '88', text: '88' }]);
  });

  test('a word beside a name, a value on another row or far along it, and a named value stay apart', () => {
    const word = [status('LOAD', 'LOAD', '', 100, 50, 160, 48), status('STOP', '', 'STOP', 280, 50, 120, 48)];
    assert.equal(statusReadings(word).length, 2);
    const below = [status('PRES', 'PRES', '', 100, 50, 120, 40), status('2.4', '', '2.4', 110, 120, 80, 40)];
    assert.equal(statusReadings(below).length, 2);
    const far = [status('PRES', 'PRES', '', 100, 50, 120, 40), status('2.4', '', '2.4', 400, 50, 80, 40)];
    assert.equal(statusReadings(far).length, 2);
    const named = [status('RUN', 'RUN', '', 100, 50, 90, 40), status('SET 20', 'SET', '20', 200, 50, 140, 40)];
    assert.equal(statusReadings(named).length, 2);
  });

  test('lines that are not statuses are no readings', () => {
    const lines = [{ text: 'E-317', box: { x: 0, y: 0, width: 90, height: 30 }, reading: { kind: 'alarm' } }, { text: 'CAUTION', box: { x: 0, y: 60, width: 90, height: 20 } }];
    assert.deepEqual(statusReadings(lines), []);
  });
});

describe('a status line boxed in two on a full frame', { timeout: 240_000 }, () => {
  let analyzer: VisionAnalyzer | undefined;
  before(async () => { analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } }); });
  after(async () => { await analyzer?.close(); });

  test('PRES 1.5, its name and value in two boxes, is one reading and no alarm', async () => {
    const frame = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/drawn-fourteen-segment-pres1p5-name-value-boxed-apart.jpg');
    const v = await analyzer!.analyze(await decodeImageFile(frame));
    assert.deepEqual(v.alarmCodes, []);
    assert.deepEqual(v.readings?.map((r) => [r.name, r.value]), [['PRES', '1.5']]);
  });
});
