// Speed without changing readings (issue #11, kern52): the reader's faster kernels must give, bit for bit, what the
// plain definitions give. Each is compared here with a straightforward form written in the test, on random data and
// on the awkward cases: one pixel, odd widths, windows wider than the image, all-equal data, zeros of both signs.
//   - window-extremes.ts rowExtremes / columnExtremes (whole windows in one loop, the clipped ones by their blocks)
//   - stroke-morphology.ts dilateSquare / erodeSquare (windows of 5 and 7 in one fused pass)
//   - radix-select.ts selectFloat32 and the order statistics that use it on many float32 values
//   - box-crop.ts cropTextBox (a crop made once per image and box, each caller given its own copy)
//   - image.ts frameGrayArea (the frame's grey levels averaged down without the frame-sized grey copy)
//   - segment-light.ts's line model (its opening's first pass and its border values in reused or exact-size arrays)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeImageFile, frameGrayArea, frameToGray, frameToRgb, resizeArea, type GrayImage } from '../../src/vision/image.js';
import { measureQuality } from '../../src/vision/quality.js';
import type { Frame } from '../../src/types.js';
import { cropTextBox, type TextBox } from '../../src/vision/ocr/text-boxes.js';
import { kthSmallestOfNumbers, kthSmallestOfTyped, kthSmallestTyped, percentileTyped } from '../../src/vision/ocr/order-statistics.js';
import { RADIX_MIN, selectFloat32 } from '../../src/vision/ocr/radix-select.js';
import { columnWindow, dilateSquare, erodeSquare } from '../../src/vision/ocr/stroke-morphology.js';
import { lineLight, maxFilter, minFilter } from '../../src/vision/ocr/segment-light.js';
import { columnExtremes, rowExtremes } from '../../src/vision/ocr/window-extremes.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Data of a few kinds: few levels with zeros of both signs (ties everywhere), plain floats, all one value. */
function data(r: () => number, n: number, kind: number): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    v[i] = kind === 0 ? (r() < 0.2 ? (r() < 0.5 ? -0 : 0) : Math.floor(r() * 5) - 2) : kind === 1 ? r() * 510 - 255 : 7;
  }
  return v;
}

/** Sizes with the edge cases: a single pixel, a single row or column, odd widths, windows wider than the image. */
const SIZES: Array<[number, number, number]> = [[1, 1, 0], [1, 1, 3], [1, 9, 2], [9, 1, 2], [5, 3, 7], [7, 5, 3], [13, 11, 2], [31, 17, 3], [64, 9, 5], [3, 40, 4]];

function sameBits(got: Float32Array, want: Float32Array, what: string): void {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < want.length; i++) assert.ok(Object.is(got[i], want[i]), `${what} at ${i}: ${got[i]} vs ${want[i]}`);
}

test('rowExtremes and columnExtremes give each clipped window\'s extreme, the later of equal extremes', () => {
  // The plain form: scan the window, the later of equals kept (as the monotonic queue it replaced keeps it).
  const scan = (src: Float32Array, w: number, h: number, r: number, rows: boolean, max: boolean): Float32Array => {
    const out = new Float32Array(w * h), len = rows ? w : h;
    for (let l = 0; l < (rows ? h : w); l++) {
      const at = (p: number): number => (rows ? l * w + p : p * w + l);
      for (let p = 0; p < len; p++) {
        let best = src[at(Math.max(0, p - r))]!;
        for (let q = Math.max(0, p - r) + 1; q <= Math.min(len - 1, p + r); q++) { const v = src[at(q)]!; if (max ? v >= best : v <= best) best = v; }
        out[at(p)] = best;
      }
    }
    return out;
  };
  const r = rng(52);
  for (const [w, h, rad] of [...SIZES, [40, 6, 1], [23, 23, 11], [100, 3, 6]] as Array<[number, number, number]>) {
    for (let kind = 0; kind < 3; kind++) {
      const src = data(r, w * h, kind);
      for (const max of [true, false]) {
        const what = `${w}x${h} r ${rad} kind ${kind} ${max ? 'max' : 'min'}`;
        sameBits(rowExtremes(src, w, h, rad, max), scan(src, w, h, rad, true, max), `rows ${what}`);
        sameBits(columnExtremes(src, w, h, rad, max), scan(src, w, h, rad, false, max), `columns ${what}`);
      }
    }
  }
});

test('dilateSquare and erodeSquare equal the plain square windows (top and bottom rows as columnWindow says)', () => {
  // Rows: the clipped window's extreme, first of equals ("a > b ? a : b" in window order). Columns: the same over
  // the ranges columnWindow gives (the plain window except within r of the top and bottom).
  const plain = (src: Float32Array, w: number, h: number, r: number, max: boolean): Float32Array => {
    const better = (a: number, b: number): number => (max ? (a > b ? a : b) : a < b ? a : b);
    const pad = max ? -Infinity : Infinity, rows = new Float32Array(w * h), out = new Float32Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let m = pad;
        for (let q = x - r; q <= x + r; q++) if (q >= 0 && q < w) m = better(m, src[y * w + q]!);
        rows[y * w + x] = m;
      }
    }
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let m = pad;
        for (const [a, b] of columnWindow(y, h, r)) for (let q = a; q <= b; q++) m = better(m, rows[q * w + x]!);
        out[y * w + x] = m;
      }
    }
    return out;
  };
  const r = rng(53);
  for (const [w, h, rad] of [...SIZES, [17, 12, 2], [17, 12, 3], [6, 6, 3], [2, 2, 2], [40, 25, 3]] as Array<[number, number, number]>) {
    for (let kind = 0; kind < 3; kind++) {
      // Levels 0..255 where zeros of both signs are not the point (kind 0 keeps them: pads and ties).
      const src = data(r, w * h, kind);
      const what = `${w}x${h} r ${rad} kind ${kind}`;
      // The extremes of values, not their signs of zero: both forms pick among the same equals, but the plain form
      // starts from a pad, so only the values are compared where -0 and 0 tie.
      const eq = (got: Float32Array, want: Float32Array, name: string): void => {
        for (let i = 0; i < want.length; i++) assert.ok(got[i] === want[i], `${name} ${what} at ${i}: ${got[i]} vs ${want[i]}`);
      };
      const dil = dilateSquare(src, w, h, rad), ero = erodeSquare(src, w, h, rad);
      eq(dil, plain(src, w, h, rad, true), 'dilate');
      eq(ero, plain(src, w, h, rad, false), 'erode');
      // And bit for bit (signs of zero too) as the window doubling the stroke finder was tuned with picks them.
      sameBits(dil, doubling(src, w, h, rad, true), `dilate by doubling ${what}`);
      sameBits(ero, doubling(src, w, h, rad, false), `erode by doubling ${what}`);
    }
  }
});

/**
 * Square windows by doubling, written plainly: each line padded by r, passes pairing samples s = 1, 2, 4, … apart
 * while 2s <= 2r + 1, then the pair (2r + 1 - p) apart (p the last power of two); rows first, then columns, and the
 * first and last r rows redone over columnWindow's ranges.
 */
function doubling(src: Float32Array, w: number, h: number, r: number, max: boolean): Float32Array {
  const better = (a: number, b: number): number => (max ? (a > b ? a : b) : a < b ? a : b);
  const k = 2 * r + 1, pad = max ? -Infinity : Infinity;
  let p = 1;
  while (2 * p <= k) p *= 2;
  const line = (get: (i: number) => number, len: number): number[] => {
    const v = [...Array<number>(r).fill(pad), ...Array.from({ length: len }, (_, i) => get(i)), ...Array<number>(r).fill(pad)];
    for (let s = 1; 2 * s <= k; s *= 2) for (let i = 0; i + s < v.length; i++) v[i] = better(v[i]!, v[i + s]!);
    return Array.from({ length: len }, (_, i) => better(v[i]!, v[i + k - p]!));
  };
  const rows = new Float32Array(w * h), out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) rows.set(line((x) => src[y * w + x]!, w), y * w);
  for (let x = 0; x < w; x++) line((y) => rows[y * w + x]!, h).forEach((v, y) => { out[y * w + x] = v; });
  for (let y = 0; y < h; y++) {
    if (y >= r && y + r <= h - 1) continue;
    for (let x = 0; x < w; x++) {
      let m = pad;
      for (const [a, b] of columnWindow(y, h, r)) for (let q = a; q <= b; q++) { const v = rows[q * w + x]!; if (max ? v > m : v < m) m = v; }
      out[y * w + x] = m;
    }
  }
  return out;
}

test('selection by bits gives the sorted element at every k, and the order statistics agree with a full sort', () => {
  const r = rng(54);
  const kinds: Array<(n: number) => Float32Array> = [
    (n) => Float32Array.from({ length: n }, () => (r() < 0.8 ? 12 : r() * 255)),  // a flat background
    (n) => Float32Array.from({ length: n }, () => r() * 2e6 - 1e6),  // negatives and positives
    (n) => Float32Array.from({ length: n }, () => Math.floor(r() * 3)),  // few levels, zeros
    (n) => new Float32Array(n).fill(-3.5),  // all equal
    (n) => Float32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? Infinity : i % 7 === 0 ? -Infinity : i % 3 === 0 ? 1e-42 : -1e-40)),  // infinities, subnormals
  ];
  for (const n of [1, 2, 3, 17, RADIX_MIN - 1, RADIX_MIN, RADIX_MIN + 1, 30001]) {
    kinds.forEach((make, kind) => {
      const v = make(n), before = v.slice(), sorted = v.slice().sort();
      const ks = [0, n - 1, n >> 1, Math.floor(0.97 * (n - 1)), Math.round(0.02 * (n - 1))];
      const what = `n ${n} kind ${kind}`;
      assert.deepEqual(selectFloat32(v, ks), ks.map((k) => sorted[k]), `selectFloat32 ${what}`);
      assert.deepEqual(kthSmallestOfTyped(v, ks), ks.map((k) => sorted[k]), `kthSmallestOfTyped ${what}`);
      for (const k of ks) {
        assert.equal(kthSmallestTyped(v, k), sorted[k], `kthSmallestTyped ${what} k ${k}`);
        assert.equal(kthSmallestOfNumbers(v, k), Array.from(v).sort((a, b) => a - b)[k], `kthSmallestOfNumbers ${what} k ${k}`);
      }
      const above = Array.from(v).filter((x) => x > 0.05).sort((a, b) => a - b);
      const want = above.length ? above[Math.min(above.length - 1, Math.max(0, Math.round(0.95 * (above.length - 1))))]! : 0;
      assert.equal(percentileTyped(v, 0.95, 0.05), want, `percentileTyped ${what}`);
      const all = Array.from(v).sort((a, b) => a - b), at = (q: number): number => all[Math.min(n - 1, Math.max(0, Math.round(q * (n - 1))))]!;
      assert.equal(percentileTyped(v, 0.5), at(0.5), `percentileTyped of all ${what}`);
      assert.equal(percentileTyped(Float64Array.from(v), 0.8), at(0.8), `percentileTyped of doubles ${what}`);
      const doubles = Float64Array.from(v).filter((x) => x > -1).sort();
      assert.equal(percentileTyped(Float64Array.from(v), 0.3, -1), doubles.length ? doubles[Math.round(0.3 * (doubles.length - 1))] : 0, `percentileTyped of doubles above -1 ${what}`);
      assert.deepEqual(v, before, `the values are left as they were (${what})`);
    });
  }
  // Part of a larger buffer (a subarray): the bits are read from its own offset.
  const big = Float32Array.from({ length: 3 * RADIX_MIN }, () => r() * 100), part = big.subarray(RADIX_MIN, 3 * RADIX_MIN);
  const sortedPart = part.slice().sort();
  assert.deepEqual(selectFloat32(part, [0, 100, part.length - 1]), [sortedPart[0], sortedPart[100], sortedPart[part.length - 1]]);
});

test('cropTextBox on a real frame: each call gives the plain bilinear sample, in an array of its own', async () => {
  const img = frameToRgb(await decodeImageFile(new URL('../fixtures/frames/al702-blurred-end-cut-in-two.jpg', import.meta.url).pathname));
  // The plain form of the sample (as cropTextBox has always computed it), upright boxes only for brevity.
  const plain = (box: TextBox): Float32Array => {
    const [tl, tr, , bl] = box.points;
    const w = Math.max(1, Math.round(Math.hypot(tr[0] - tl[0], tr[1] - tl[1]))), h = Math.max(1, Math.round(Math.hypot(bl[0] - tl[0], bl[1] - tl[1])));
    const out = new Float32Array(w * h * 3), W = img.width, H = img.height;
    for (let j = 0; j < h; j++) {
      for (let i = 0; i < w; i++) {
        const x = Math.min(W - 1, Math.max(0, tl[0] + ((tr[0] - tl[0]) / w) * (i + 0.5) + ((bl[0] - tl[0]) / h) * (j + 0.5) - 0.5));
        const y = Math.min(H - 1, Math.max(0, tl[1] + ((tr[1] - tl[1]) / w) * (i + 0.5) + ((bl[1] - tl[1]) / h) * (j + 0.5) - 0.5));
        const x0 = Math.floor(x), y0 = Math.floor(y), x1 = Math.min(W - 1, x0 + 1), y1 = Math.min(H - 1, y0 + 1);
        for (let k = 0; k < 3; k++) {
          const px = (xx: number, yy: number): number => img.data[(yy * W + xx) * 3 + k]!;
          out[(j * w + i) * 3 + k] = (px(x0, y0) + (px(x1, y0) - px(x0, y0)) * (x - x0)) * (1 - (y - y0)) + (px(x0, y1) + (px(x1, y1) - px(x0, y1)) * (x - x0)) * (y - y0);
        }
      }
    }
    return out;
  };
  const boxes: TextBox[] = [
    { points: [[10.3, 20.7], [200.9, 20.7], [200.9, 61.2], [10.3, 61.2]], score: 1 },
    { points: [[-5, -3], [40, -3], [40, 12], [-5, 12]], score: 1 },  // past the frame's corner
    { points: [[img.width - 30.5, img.height - 9], [img.width + 4, img.height - 9], [img.width + 4, img.height + 2], [img.width - 30.5, img.height + 2]], score: 0.5 },
  ];
  for (const box of boxes) {
    const first = cropTextBox(img, box);
    sameBits(first.data, plain(box), `first crop of ${JSON.stringify(box.points)}`);
    first.data.fill(-1);  // a caller writing into its crop leaves the next caller's alone
    const same: TextBox = { points: box.points.map((p) => [p[0], p[1]]) as TextBox['points'], score: 0.9 };  // equal corners, new arrays
    const again = cropTextBox(img, same);
    assert.notEqual(again, first);
    assert.notEqual(again.data.buffer, first.data.buffer);
    sameBits(again.data, plain(box), `second crop of ${JSON.stringify(box.points)}`);
  }
  // A tall box is turned to read across, from the first call on and from the kept crop.
  const tall: TextBox = { points: [[50, 10], [60, 10], [60, 70], [50, 70]], score: 1 };
  const t1 = cropTextBox(img, tall), t2 = cropTextBox(img, tall);
  assert.deepEqual([t1.width, t1.height], [60, 10]);
  sameBits(t2.data, t1.data, 'tall crop again');
});

/** The area average as a plain loop over the grey copy (the reference: every cell's values summed row by row). */
function plainArea(g: GrayImage, outW: number, outH: number): Float32Array {
  const out = new Float32Array(outW * outH), sx = g.width / outW, sy = g.height / outH;
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const ya = Math.floor(y * sy), yb = Math.max(ya + 1, Math.floor((y + 1) * sy)), xa = Math.floor(x * sx), xb = Math.max(xa + 1, Math.floor((x + 1) * sx));
      let s = 0;
      for (let yy = ya; yy < yb; yy++) for (let xx = xa; xx < xb; xx++) s += g.data[yy * g.width + xx]!;
      out[y * outW + x] = s / ((yb - ya) * (xb - xa));
    }
  }
  return out;
}

test('frameGrayArea and resizeArea equal the plain area average of the frame\'s grey copy, and measureQuality is unchanged on frames of any size', async () => {
  const r = rng(55);
  const synthetic = (w: number, h: number, channels: 1 | 3): Frame => ({
    data: Buffer.from(Array.from({ length: w * h * channels }, () => Math.floor(r() * 256))), width: w, height: h, channels, ts: 0, seq: 0, source: 'test',
  } as unknown as Frame);
  const real = await decodeImageFile(new URL('../fixtures/frames/al702-blurred-end-cut-in-two.jpg', import.meta.url).pathname);
  const frames: Frame[] = [real, { ...real, channels: 1, data: real.data.subarray(0, real.width * real.height) } as Frame];
  for (const [w, h] of [[161, 2], [161, 91], [333, 17], [1000, 7], [487, 301], [161, 1], [160, 90], [80, 45], [200, 500]] as const) {
    frames.push(synthetic(w, h, 3), synthetic(w, h, 1));
  }
  for (const f of frames) {
    const what = `${f.width}x${f.height}x${f.channels}`;
    const outH = Math.max(1, Math.round((160 * f.height) / f.width));
    if (f.width > 160 && outH < f.height) {
      const want = plainArea(frameToGray(f), 160, outH), got = frameGrayArea(f, 160, outH);
      assert.deepEqual([got.width, got.height], [160, outH], what);
      sameBits(got.data, want, `frameGrayArea ${what}`);
      sameBits(resizeArea(frameToGray(f), 160, outH).data, want, `resizeArea ${what}`);
    }
    // The measure as a whole: the same numbers as the grey copy's, whichever way the frame is taken.
    const g = frameToGray(f), small = f.width > 160 ? resizeArea(g, 160, outH) : g;
    const q = measureQuality(f);
    let sum = 0;
    for (const v of small.data) sum += v;
    assert.equal(q.stats.meanLevel, sum / small.data.length, `mean level ${what}`);
  }
});

test('the line model of a real crop is the same made first and made again after crops of other sizes', async () => {
  const img = frameToRgb(await decodeImageFile(new URL('../fixtures/frames/al702-blurred-end-cut-in-two.jpg', import.meta.url).pathname));
  const boxes: TextBox[] = [[0, 0, 300, 60], [40, 30, 200, 45], [10, 80, 420, 120], [100, 10, 80, 30]].map(([x, y, w, h]) => ({
    points: [[x!, y!], [x! + w!, y!], [x! + w!, y! + h!], [x!, y! + h!]], score: 1,
  }));
  const fresh = (b: TextBox) => lineLight(cropTextBox(img, b));  // a new crop object: no model kept for it yet
  const first = boxes.map(fresh);
  const again = [...boxes].reverse().map(fresh).reverse();
  first.forEach((m, i) => {
    const n = again[i]!;
    assert.equal(m === null, n === null, `box ${i}`);
    if (!m || !n) return;
    assert.deepEqual([m.polarity, m.contrast], [n.polarity, n.contrast], `box ${i}`);
    sameBits(n.map, m.map, `map of box ${i}`);
    sameBits(n.gain, m.gain, `gain of box ${i}`);
  });
  assert.ok(first.some((m) => m), 'some crop shows strokes');
  // The opening (bright strokes) and closing the model takes its background from: as the two exported filters give.
  const crop = cropTextBox(img, boxes[0]!), w = crop.width, h = crop.height, r = Math.max(2, Math.round(h * 0.12));
  const red = Float32Array.from({ length: w * h }, (_, i) => crop.data[3 * i]!);
  const opened = maxFilter(minFilter(red, w, h, r), w, h, r), closed = minFilter(maxFilter(red, w, h, r), w, h, r);
  assert.ok(opened.every((v, i) => v <= red[i]!) && closed.every((v, i) => v >= red[i]!), 'an opening lies under, a closing over');
});
