// A code's dash too faint for a cell (gap-dash.ts) where the recogniser read a mark (recognised-dash.ts). The frame
// is frame 5 of this branch's set bold151 (bench/_gen-sets.ts dashed, seed 151, fourteen-segment fonts in bold only):
// E-911 in DSEG14 Modern Mini Bold on a dim, blurred red LED display, its line read 6-911; the dash, the two halves of
// the middle bar, is far dimmer than the uprights, no cell was found there, and the cells read C 911 (the dash lost:
// no code with a catalog of E-\d{3}, C 911 without one).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { faintDashIn } from '../../src/vision/ocr/gap-dash.js';
import { markReadIn, withRecognisedDashes } from '../../src/vision/ocr/recognised-dash.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import type { SegmentCell, SegmentLine } from '../../src/vision/ocr/segment-cells.js';

const FRAMES = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames');

describe('a faint fourteen-segment dash the recogniser read', { timeout: 180_000 }, () => {
  const opts = { ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } };
  let plain: VisionAnalyzer, cat: VisionAnalyzer;
  before(async () => {
    plain = await VisionAnalyzer.create(opts);
    cat = await VisionAnalyzer.create({ ...opts, alarmPatterns: ['/E-\\d{3}/'] });
  });
  after(async () => { await plain?.close(); await cat?.close(); });
  test('E-911, no cell at its dash: the code keeps the dash', async () => {
    const frame = await decodeImageFile(join(FRAMES, 'fourteen-segment-e-911-faint-dash.png'));
    const v = await plain.analyze(frame);
    // Its E's middle bar is as faint as the dash: without a catalog the letter may read C, but the dash is there.
    assert.ok(v.alarmCodes.length === 1 && /^[A-Z]-911$/.test(v.alarmCodes[0]!), JSON.stringify(v.text));
    assert.deepEqual((await cat.analyze(frame)).alarmCodes, ['E-911']);
  });
});

/** A band of 20 rows (yc 9.5) and 40 columns of stroke light, with ink where `ink(x, y)`. */
const light = (ink: (x: number, y: number) => number): Float32Array => {
  const out = new Float32Array(40 * 20);
  for (let y = 0; y < 20; y++) for (let x = 0; x < 40; x++) out[y * 40 + x] = ink(x, y);
  return out;
};

test('a faint flat stroke at middle height in a gap is a dash; a dark gap or ghost bars at every height are not', () => {
  const dash = light((x, y) => (x >= 10 && x < 24 && y >= 9 && y <= 10 ? 0.2 : 0.01));
  assert.equal(faintDashIn(dash, 40, 0, 19, 0, 39, 0, 9.5, 20, 1), true);
  // Too short (under a quarter of a cell) or too faint against the line's strokes.
  assert.equal(faintDashIn(light((x, y) => (x >= 10 && x < 13 && y >= 9 && y <= 10 ? 0.2 : 0.01)), 40, 0, 19, 0, 39, 0, 9.5, 20, 1), false);
  assert.equal(faintDashIn(dash, 40, 0, 19, 0, 39, 0, 9.5, 20, 4), false);
  // The gap is dark: a space.
  assert.equal(faintDashIn(light(() => 0.01), 40, 0, 19, 0, 39, 0, 9.5, 20, 1), false);
  // An unlit position's ghost bars: as lit at the top and bottom as at the middle.
  assert.equal(faintDashIn(light((x, y) => (x >= 10 && x < 24 && (y <= 1 || y >= 18 || (y >= 9 && y <= 10)) ? 0.2 : 0.01)), 40, 0, 19, 0, 39, 0, 9.5, 20, 1), false);
});

const dict = CharacterDictionary.fromKeys(['-', '.', 'E', '9', '1']);
/** A lattice of `steps` steps over the classes of `dict`, with `marks` steps reading a dash (others blank). */
const lattice = (steps: number, dashAt: number[]): { probs: Float32Array; offset: number; steps: number; classes: number } => {
  const classes = dict.chars.length, probs = new Float32Array(steps * classes);
  for (let t = 0; t < steps; t++) probs[t * classes + (dashAt.includes(t) ? dict.indexOf('-') : 0)] = 1;
  return { probs, offset: 0, steps, classes };
};
const cell = (x0: number, x1: number, extra: Partial<SegmentCell> = {}): SegmentCell => ({ x0, x1, lit: { a: 1 }, spaceBefore: false, ...extra });

test('a space with a faint dash becomes a dash cell only where the recogniser read a mark over it', () => {
  // A crop 160×48: resized to 160 wide at 48 high, one recogniser step per 8 pixels (20 steps).
  const line: SegmentLine = { cells: [cell(0, 20), cell(60, 80, { spaceBefore: true, dashBefore: true }), cell(90, 110)], segments: 14, shear: 0, top: 4, bottom: 44 };
  assert.equal(markReadIn(lattice(20, [5]), dict, 20, 60, 160, 48), true);
  const kept = withRecognisedDashes(line, lattice(20, [5]), dict, 160, 48);
  assert.deepEqual(kept.cells.map((c) => c.shape ?? 'cell'), ['cell', '-', 'cell', 'cell']);
  assert.ok(kept.cells.every((c) => !c.spaceBefore));
  assert.equal(line.cells.length, 3, 'the cached line is not written into');
  // No mark read there (a space between two words), or no faint dash seen: the line as it was.
  assert.equal(withRecognisedDashes(line, lattice(20, []), dict, 160, 48), line);
  const noDash = { ...line, cells: [line.cells[0]!, { ...line.cells[1]!, dashBefore: false }, line.cells[2]!] };
  assert.equal(withRecognisedDashes(noDash, lattice(20, [5]), dict, 160, 48), noDash);
});
