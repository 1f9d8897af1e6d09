// Line response for the vision baseline: thin, long defects (a scratch, a
// crack, a wire) cover little of an 8×8 patch, so a patch's mean, gradient and
// spread barely move. A line filter integrates *along* the line instead: for
// each of four orientations, the mean of the image on a short segment through
// the pixel minus the mean on the two parallel segments LINE_OFFSET pixels to
// either side. The kernel sums to zero and is symmetric across the line, so
// flat areas and linear light gradients give nothing, while a bright or dark
// line of one or two pixels gives its full contrast; averaging along the
// segment cuts sensor noise. The strongest orientation's magnitude at each
// pixel, maximised over the patch, is the patch's fourth feature.
//
// The same kernels are used by the ONNX export (src/baseline/vision-onnx.ts).
import type { GrayImage } from './image.js';

/** Half length of the segment (kernel is (2·LINE_HALF+1)² pixels). */
export const LINE_HALF = 3;
/** Distance of the side segments from the centre line, in pixels. */
export const LINE_OFFSET = 2;
export const LINE_ORIENTATIONS = 4;

/** The LINE_ORIENTATIONS kernels, each (2·LINE_HALF+1)² row-major, orientation-major. */
export function lineKernels(): Float32Array {
  const size = 2 * LINE_HALF + 1;
  const out = new Float32Array(LINE_ORIENTATIONS * size * size);
  for (let o = 0; o < LINE_ORIENTATIONS; o++) {
    const a = (o * Math.PI) / LINE_ORIENTATIONS;
    const centre: number[] = [], side: number[] = [];
    for (let dy = -LINE_HALF; dy <= LINE_HALF; dy++) {
      for (let dx = -LINE_HALF; dx <= LINE_HALF; dx++) {
        const along = dx * Math.cos(a) + dy * Math.sin(a);
        const across = -dx * Math.sin(a) + dy * Math.cos(a);
        if (Math.abs(along) > LINE_HALF + 0.01) continue;
        const i = (dy + LINE_HALF) * size + dx + LINE_HALF;
        if (Math.abs(across) < 0.5) centre.push(i);
        else if (Math.abs(Math.abs(across) - LINE_OFFSET) < 0.5) side.push(i);
      }
    }
    const k = out.subarray(o * size * size, (o + 1) * size * size);
    for (const i of centre) k[i] = 1 / centre.length;
    for (const i of side) k[i] = -1 / side.length;
  }
  return out;
}

const KERNELS = lineKernels();

/** Per pixel, the largest |response| over the orientations (edges replicated, as ONNX Pad mode "edge"). */
export function lineResponse(img: GrayImage): GrayImage {
  const { width: w, height: h, data } = img;
  const size = 2 * LINE_HALF + 1;
  const out = new Float32Array(w * h);
  const taps: Array<Array<[number, number, number]>> = [];
  for (let o = 0; o < LINE_ORIENTATIONS; o++) {
    const list: Array<[number, number, number]> = [];
    for (let i = 0; i < size * size; i++) {
      const k = KERNELS[o * size * size + i]!;
      if (k !== 0) list.push([(i % size) - LINE_HALF, Math.floor(i / size) - LINE_HALF, k]);
    }
    taps.push(list);
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let best = 0;
      for (const list of taps) {
        let s = 0;
        for (const [dx, dy, k] of list) {
          const xx = Math.min(w - 1, Math.max(0, x + dx)), yy = Math.min(h - 1, Math.max(0, y + dy));
          s += k * data[yy * w + xx]!;
        }
        best = Math.max(best, Math.abs(s));
      }
      out[y * w + x] = best;
    }
  }
  return { data: out, width: w, height: h };
}
