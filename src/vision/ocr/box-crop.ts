// A text box sampled out of an image into an upright crop (bilinear, the box's long reading axis across), and the
// crops already made of each image. A frame's boxes are cropped more than once: the dot-matrix extension looks at a
// box (dot-matrix-extent.ts) and the reader reads the same box (panel-reader.ts); the past-end tests crop the same
// widened box for ink and for glare. The crop depends only on the image and the box's corners, so the first one made
// is kept (per image, dropped with it) and each later call gets a copy of it: the same numbers as sampling again, at
// the cost of one copy, and a crop of its own as before (a caller may key a cache by the crop or write into it).
import type { RgbImage } from '../image.js';

type Corner = readonly [number, number];
/** A text box's corners, clockwise from top-left (text-boxes.ts TextBox; named here apart, so no import goes back). */
interface TextBox { points: readonly [Corner, Corner, Corner, Corner] }

/** Crops made, per image, by the box's corners. */
const made = new WeakMap<RgbImage, Map<string, RgbImage>>();

/**
 * Samples the (possibly rotated) box out of an RGB image into an upright crop, width along the box's long reading
 * axis. Tall crops (vertical text) are turned 90° so the recogniser sees a horizontal line. The image must not be
 * written into while it is in use (as the other per-image caches of the reader assume).
 */
export function cropTextBox(img: RgbImage, box: TextBox): RgbImage {
  let known = made.get(img);
  if (!known) made.set(img, (known = new Map()));
  const key = box.points.map((p) => `${p[0]},${p[1]}`).join(' ');
  let crop = known.get(key);
  if (!crop) known.set(key, (crop = sampleBox(img, box)));
  return { data: crop.data.slice(), width: crop.width, height: crop.height };
}

/** cropTextBox's sampling. */
function sampleBox(img: RgbImage, box: TextBox): RgbImage {
  const [tl, tr, , bl] = box.points;
  const w = Math.max(1, Math.round(Math.hypot(tr[0] - tl[0], tr[1] - tl[1])));
  const h = Math.max(1, Math.round(Math.hypot(bl[0] - tl[0], bl[1] - tl[1])));
  const ux = (tr[0] - tl[0]) / w, uy = (tr[1] - tl[1]) / w;
  const vx = (bl[0] - tl[0]) / h, vy = (bl[1] - tl[1]) / h;
  const out = new Float32Array(w * h * 3);
  const W = img.width, H = img.height, d = img.data;
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      const x = Math.min(W - 1, Math.max(0, tl[0] + ux * (i + 0.5) + vx * (j + 0.5) - 0.5));
      const y = Math.min(H - 1, Math.max(0, tl[1] + uy * (i + 0.5) + vy * (j + 0.5) - 0.5));
      const x0 = Math.floor(x), y0 = Math.floor(y);
      const x1 = Math.min(W - 1, x0 + 1), y1 = Math.min(H - 1, y0 + 1);
      const fx = x - x0, fy = y - y0;
      const o = (j * w + i) * 3;
      for (let k = 0; k < 3; k++) {
        const a = d[(y0 * W + x0) * 3 + k]!, b = d[(y0 * W + x1) * 3 + k]!;
        const c = d[(y1 * W + x0) * 3 + k]!, e = d[(y1 * W + x1) * 3 + k]!;
        out[o + k] = (a + (b - a) * fx) * (1 - fy) + (c + (e - c) * fx) * fy;
      }
    }
  }
  if (h >= 1.5 * w) return rotate90(out, w, h);
  return { data: out, width: w, height: h };
}

/** Rotates an RGB buffer 90° counter-clockwise (so top-to-bottom text reads left-to-right). */
function rotate90(data: Float32Array, w: number, h: number): RgbImage {
  const out = new Float32Array(w * h * 3);
  // New image is h wide, w high; new (x, y) = old (w - 1 - y, x).
  for (let y = 0; y < w; y++) {
    for (let x = 0; x < h; x++) {
      const src = (x * w + (w - 1 - y)) * 3, dst = (y * h + x) * 3;
      out[dst] = data[src]!;
      out[dst + 1] = data[src + 1]!;
      out[dst + 2] = data[src + 2]!;
    }
  }
  return { data: out, width: h, height: w };
}
