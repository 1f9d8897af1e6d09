// Text boxes reused for a frame unchanged since detection ran (issue #17: the
// OCR detector's activations and time on a still panel). Frames come from the
// demo video through real ffmpeg and are read by the real OCR models.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeImageFile, frameToRgb, type RgbImage } from '../../src/vision/image.js';
import { cellMeans, largestCellChange, UnchangedFrameBoxes } from '../../src/vision/ocr/box-reuse.js';
import { PanelReader } from '../../src/vision/ocr/panel-reader.js';
import type { TextBox } from '../../src/vision/ocr/text-boxes.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { haveProgram, requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';

const flat = (w: number, h: number, grey: number): RgbImage => ({ data: new Float32Array(w * h * 3).fill(grey), width: w, height: h });
const box: TextBox = { points: [[10, 10], [50, 10], [50, 30], [10, 30]], score: 0.9 };

describe('unchanged-frame box reuse', () => {
  test('cell means: one 16×16 cell per block, partial cells at the edges; a 5×5 patch 64 levels brighter moves its cell by more than 4, a 3×3 one does not', () => {
    const img = flat(40, 20, 100);
    const grid = cellMeans(img);
    assert.equal(grid.length, 3 * 2);
    assert.ok(grid.every((v) => Math.abs(v - 100) < 1e-3));
    const patch = (side: number): RgbImage => {
      const changed = flat(40, 20, 100);
      for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) changed.data.fill(164, 3 * (y * 40 + x), 3 * (y * 40 + x) + 3);
      return changed;
    };
    assert.ok(Math.abs(largestCellChange(grid, cellMeans(patch(5))) - 64 * 25 / 256) < 1e-3, '5×5 of 256 pixels by 64 levels: 6.25');
    assert.ok(largestCellChange(grid, cellMeans(patch(3))) <= 4, '3×3: 2.25 levels, within the noise allowance');
  });

  test('the same frame reuses the boxes (copies), a changed cell or an old detection runs the detector again', async () => {
    let t = 0;
    let runs = 0;
    const reuse = new UnchangedFrameBoxes({ maxAgeMs: 10_000, now: () => t });
    const detect = async (): Promise<TextBox[]> => { runs++; return [structuredClone(box)]; };
    const a = flat(64, 32, 120);
    assert.deepEqual(await reuse.boxes(a, detect), [box]);
    const again = await reuse.boxes(flat(64, 32, 122), detect);  // 2 levels of noise everywhere: the same frame
    assert.equal(runs, 1);
    assert.deepEqual(again, [box]);
    again[0]!.points[0][0] = 999;  // a caller changing its boxes does not change the remembered ones
    assert.deepEqual(await reuse.boxes(a, detect), [box]);
    const moved = flat(64, 32, 120);
    for (let i = 0; i < 16 * 64 * 3; i++) moved.data[i] = 200;  // the top row of cells lit up
    await reuse.boxes(moved, detect);
    assert.equal(runs, 2, 'a changed cell runs the detector');
    t = 10_001;
    await reuse.boxes(moved, detect);
    assert.equal(runs, 3, 'boxes older than maxAgeMs are found again');
    await reuse.boxes(flat(32, 32, 120), detect);
    assert.equal(runs, 4, 'another image size is another frame');
    assert.deepEqual({ reused: reuse.reused, detected: reuse.detected }, { reused: 2, detected: 4 });
    const off = new UnchangedFrameBoxes({ maxAgeMs: 0 });
    await off.boxes(a, detect);
    await off.boxes(a, detect);
    assert.equal(runs, 6, 'maxAgeMs 0: the detector runs on every image');
  });
});

describe('demo video frames through the real OCR models', { timeout: 240_000 }, () => {
  const ok = haveProgram('ffmpeg');
  const frames: Record<string, RgbImage> = {};
  let withReuse: PanelReader;
  let without: PanelReader;

  before(async () => {
    if (!ok) return;
    const dir = tempDir('box-reuse-');
    // 3 s and 4 s: the panel shows 1450; 14 s: the alarm E-042 (the demo's display changes at 10 s).
    for (const [name, at] of [['normal', 3], ['normalLater', 4], ['alarm', 14]] as const) {
      const file = join(dir, `${name}.png`);
      execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-ss', String(at), '-i', join(REPO_ROOT, 'demo', 'demo.mp4'), '-frames:v', '1', '-s', '640x360', file]);
      frames[name] = frameToRgb(await decodeImageFile(file));
    }
    withReuse = await PanelReader.create({ reuseBoxesMs: 60_000, reuseUnchanged: false });
    without = await PanelReader.create({ reuseUnchanged: false });
  });
  after(async () => {
    await withReuse?.close();
    await without?.close();
  });

  test('a still panel is read from reused boxes with the same lines; the alarm frame is detected again and read', async (t) => {
    if (!requireProgram(t, 'ffmpeg')) return;
    const text = (lines: Array<{ text: string }>) => lines.map((l) => l.text);
    const first = await withReuse.read(frames.normal!);
    assert.deepEqual(withReuse.detections, { reused: 0, run: 1 });
    const later = await withReuse.read(frames.normalLater!);
    assert.deepEqual(withReuse.detections, { reused: 1, run: 1 }, 'one second later the panel is the same frame');
    assert.deepEqual(text(later), text(await without.read(frames.normalLater!)), 'the same lines as a fresh detection');
    assert.ok(text(first).some((l) => l.includes('1450')), `the normal panel reads 1450: ${JSON.stringify(text(first))}`);
    const alarm = await withReuse.read(frames.alarm!);
    assert.equal(withReuse.detections.run, 2, 'the changed display runs the detector again');
    assert.ok(text(alarm).some((l) => l.includes('E-042') || l.includes('E042')), `the alarm is read: ${JSON.stringify(text(alarm))}`);
  });
});
