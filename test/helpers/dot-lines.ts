// Text lines drawn in code as a display draws them (no models, no fonts): 5×7 round dots on one lattice, 5×7
// touching squares (a pixel font), or seven-segment bars; camera blur and sensor noise. For the dot-matrix tests.
import { dotRows } from '../../scripts/drawn-panels/glyph-geometry.js';
import type { RgbImage } from '../../src/vision/image.js';
import { GLYPHS_7 } from '../../src/vision/ocr/segment-glyphs.js';

export type Style = 'dots' | 'pixels' | 'segments';
export interface Look { pitch: number; ink: [number, number, number]; ground: [number, number, number]; blur: number; seed: number }

/**
 * A text line as a display draws it: 5×7 round dots, 5×7 touching squares, or seven-segment bars; camera blur and
 * noise. `ghost`: the unlit dots of every cell (spaces too) shown this bright, 0..1, as a character module shows them.
 */
export function drawLine(text: string, style: Style, look: Look, opts: { ghost?: number } = {}): RgbImage {
  const p = look.pitch, margin = Math.round(1.5 * p);
  const cell = 6 * p;
  const w = Math.round(text.length * cell + 2 * margin), h = Math.round(7 * p + 2 * margin);
  const cover = new Float32Array(w * h);
  const fill = (x0: number, y0: number, x1: number, y1: number, inside: (x: number, y: number) => boolean, value = 1): void => {
    for (let y = Math.max(0, Math.floor(y0)); y < Math.min(h, Math.ceil(y1)); y++) {
      for (let x = Math.max(0, Math.floor(x0)); x < Math.min(w, Math.ceil(x1)); x++) if (inside(x + 0.5, y + 0.5)) cover[y * w + x] = value;
    }
  };
  [...text].forEach((ch, k) => {
    const ox = margin + k * cell, oy = margin;
    if (style === 'segments') {
      const segs = GLYPHS_7[ch]?.[0];
      if (!segs) return;
      const t = 0.9 * p, cw = 5 * p, ch7 = 7 * p;
      const bars: Record<string, [number, number, number, number]> = {
        a: [t, 0, cw - t, t], d: [t, ch7 - t, cw - t, ch7], g: [t, (ch7 - t) / 2, cw - t, (ch7 + t) / 2],
        f: [0, t, t, ch7 / 2 - t / 4], e: [0, ch7 / 2 + t / 4, t, ch7 - t], b: [cw - t, t, cw, ch7 / 2 - t / 4], c: [cw - t, ch7 / 2 + t / 4, cw, ch7 - t],
      };
      for (const s of segs) { const [x0, y0, x1, y1] = bars[s]!; fill(ox + x0, oy + y0, ox + x1, oy + y1, () => true); }
      return;
    }
    const rows = dotRows(ch);
    if (!rows) return;
    rows.forEach((row, r) => [...row].forEach((on, c) => {
      const value = on === '1' ? 1 : opts.ghost ?? 0;
      if (!value) return;
      const cx = ox + (c + 0.5) * p, cy = oy + (r + 0.5) * p;
      if (style === 'pixels') fill(cx - p / 2, cy - p / 2, cx + p / 2, cy + p / 2, () => true, value);
      else fill(cx - p, cy - p, cx + p, cy + p, (x, y) => Math.hypot(x - cx, y - cy) <= 0.4 * p, value);
    }));
  });
  // Camera blur (box passes) and sensor noise.
  let v: Float32Array = cover;
  for (let pass = 0; pass < look.blur; pass++) {
    const o = new Float32Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      let s = 0, n = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const yy = y + dy, xx = x + dx;
        if (yy >= 0 && yy < h && xx >= 0 && xx < w) { s += v[yy * w + xx]!; n++; }
      }
      o[y * w + x] = s / n;
    }
    v = o;
  }
  let state = look.seed;
  const rnd = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const data = new Float32Array(w * h * 3);
  for (let i = 0; i < w * h; i++) {
    for (let c = 0; c < 3; c++) data[3 * i + c] = Math.max(0, Math.min(255, look.ground[c]! + (look.ink[c]! - look.ground[c]!) * v[i]! + (rnd() - 0.5) * 12));
  }
  return { data, width: w, height: h };
}
