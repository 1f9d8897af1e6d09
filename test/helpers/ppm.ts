// Reads back a binary PPM (P6, 8-bit) that a test drew with ImageMagick (`convert ... -depth 8 out.ppm`) as the
// float RGB image the readers take.
import { readFileSync } from 'node:fs';
import type { RgbImage } from '../../src/vision/image.js';

export function readPpm(file: string): RgbImage {
  const buf = readFileSync(file);
  const [, w, h] = buf.toString('latin1', 0, 32).split(/\s+/).map(Number) as [number, number, number];
  return { data: Float32Array.from(buf.subarray(buf.length - w * h * 3)), width: w, height: h };
}
