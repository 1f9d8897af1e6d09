// Reads back a binary PPM (P6) as the float RGB image the readers take: 8-bit, as a test drew it with ImageMagick
// (`convert ... -depth 8 out.ppm`), or 16-bit (maxval 65535), a crop the reader cut with its fractional levels kept
// (sample * 255 / 65535), where rounding them to whole levels would change what the segment cells read.
import { readFileSync } from 'node:fs';
import type { RgbImage } from '../../src/vision/image.js';

export function readPpm(file: string): RgbImage {
  const buf = readFileSync(file);
  const [, w, h, max] = buf.toString('latin1', 0, 32).split(/\s+/).map(Number) as [number, number, number, number];
  if (max > 255) {
    const px = buf.subarray(buf.length - w * h * 6);
    const data = new Float32Array(w * h * 3);
    for (let k = 0; k < data.length; k++) data[k] = px.readUInt16BE(2 * k) * 255 / max;
    return { data, width: w, height: h };
  }
  return { data: Float32Array.from(buf.subarray(buf.length - w * h * 3)), width: w, height: h };
}
