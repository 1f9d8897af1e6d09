// A synthetic display for box-end tests: a dark 300×100 window with lit bars, and optionally a grey bezel.
import type { RgbImage } from '../../src/vision/image.js';

/** Bars as (x0, x1 along the line, y0, y1 across it), lit at 220 over a background of 15; a bezel at 150 from x = `bezel` on. */
export function drawnDisplay(bars: ReadonlyArray<readonly [number, number, number, number]>, bezel?: number): RgbImage {
  const width = 300, height = 100, data = new Float32Array(width * height * 3).fill(15);
  const paint = (x0: number, x1: number, y0: number, y1: number, v: number): void => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data.fill(v, 3 * (y * width + x), 3 * (y * width + x) + 3);
  };
  if (bezel !== undefined) paint(bezel, width, 0, height, 150);
  for (const [x0, x1, y0, y1] of bars) paint(x0, x1, y0, y1, 220);
  return { data, width, height };
}
