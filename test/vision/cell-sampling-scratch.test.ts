// What speed43 keeps from call to call must not carry one call's answer into the next: sampleCell
// (segment-sampling.ts) keeps the cell it samples in module variables and its samples in one scratch array that
// grows, and the constrained decoder keeps a step's candidates in a NumberTable (number-table.ts) cleared by a
// generation stamp. A real seven-segment LCD crop's cells are sampled at several widths, then again in another
// order among much larger and smaller cells (the scratch grown and overwritten between): every answer must be the
// first one, and the crop's cells must show lit and dark positions. The table must answer as a Map would.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { NumberTable } from '../../src/vision/ocr/number-table.js';
import { lineLight } from '../../src/vision/ocr/segment-light.js';
import { sampleCell } from '../../src/vision/ocr/segment-sampling.js';

const file = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/al3010-heavy-lcd.png');
const key = (v: unknown): string => JSON.stringify(v, (_, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x));

test('sampleCell answers each cell alike whatever was sampled before it', async () => {
  const img = frameToRgb(await decodeImageFile(file));
  const lm = lineLight(img);
  assert.ok(lm, 'the LCD crop has a light model');
  const { width: w, height: h } = img;
  const cells: Array<[number, number, number, number, number]> = [];
  for (const cw of [Math.round(h * 0.45), Math.round(h * 0.6)]) {
    for (let x0 = 0; x0 + cw < w; x0 += Math.round(cw / 2)) cells.push([2, h - 3, x0, x0 + cw, 0.08]);
  }
  const sample = ([top, bottom, x0, x1, shear]: number[]) => sampleCell(lm.map, lm.gain, w, h, top!, bottom!, x0!, x1!, shear!, (top! + bottom!) / 2, 0.5, 3);
  const first = cells.map((c) => key(sample(c)));
  const lit = cells.map((c) => Object.values(sample(c).lit).filter((v) => !Number.isNaN(v)) as number[]).flat();
  assert.ok(lit.some((v) => v >= 0.9) && lit.some((v) => v <= 0.3), 'the crop shows lit and dark positions');
  for (let k = cells.length - 1; k >= 0; k--) {
    sample([-5, 2 * h, -w, 2 * w, -0.2]); // a cell larger than the crop: the scratch grows, samples outside the image
    sample([h / 2 - 2, h / 2 + 2, 3, 6, 0]); // a tiny one
    assert.equal(key(sample(cells[k]!)), first[k], `cell ${k} sampled again`);
  }
});

test('a NumberTable answers and orders its entries as a Map does, cleared or grown', () => {
  let seed = 11;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const table = new NumberTable<number>();
  for (let round = 0; round < 60; round++) {
    const map = new Map<number, number>();
    table.clear();
    for (let i = 0, n = Math.floor(rnd() * 1500); i < n; i++) {
      const k = rnd() < 0.5 ? Math.floor(rnd() * 40) : Math.floor(rnd() * 2 ** (8 + Math.floor(rnd() * 44)));
      assert.equal(table.get(k), map.get(k));
      if (!map.has(k)) { map.set(k, i); table.add(k, i); }
    }
    assert.equal(table.size, map.size);
    assert.deepEqual(Array.from({ length: table.size }, (_, i) => table.at(i)), [...map.values()]);
  }
});
