// Where glare leaves a segment-display line's stroke light unseen. A lamp's
// streak across an emitting display is as bright as a stroke; the pixels
// under it are marked not seen (segment-streaks.ts) before anything is
// measured, so that it makes no ink, no cell boundary and no lit segment,
// and the segments it covers are judged by the rest of their bars or, where
// it covers them whole, not at all (NaN). What the streak took from the
// line's ink is then missing from its runs: a glyph half under a streak
// leaves only the half beside it, and a narrow upright beside a streak need
// not be a 1 (E-909 read E-109, the 9's left half and bars under the
// streak, its right uprights all that stood). unseenShare measures how much
// of a stretch of the band the streak hid, and hiddenBeside where an upright's whole cell then lies.
import { percentileTyped } from './order-statistics.js';
import { eraseStreaks, findStreaks, UNSEEN } from './segment-streaks.js';

/** Marks the stroke light under glare streaks as unseen, in place (an emitting display's only: bright strokes). */
export function eraseGlare(light: Float32Array, w: number, h: number, polarity: 'bright' | 'dark'): void {
  if (polarity !== 'bright') return;
  const streaks = findStreaks(light, w, h, 0.4 * percentileTyped(light, 0.95, 0.05));
  if (streaks.length) eraseStreaks(light, w, h, streaks);
}

/** Share of a cell's room beside a narrow upright a streak must hide for the upright to be read as a whole cell. */
const HIDDEN_BESIDE = 0.3;

/**
 * A whole cell (columns x0, x1) for a narrow upright (band columns a..b) beside which a streak hid at least
 * HIDDEN_BESIDE of the room a cell `cw` wide leaves: ending at the upright where the streak lies to its left, starting
 * at it where it lies to its right (the more hidden side); null where neither side is.
 */
export function hiddenBeside(light: Float32Array, w: number, top: number, bottom: number, a: number, b: number, cw: number, shear: number, yc: number): [number, number] | null {
  const left = unseenShare(light, w, top, bottom, b - cw + 1, a - 1, shear, yc);
  const right = unseenShare(light, w, top, bottom, b + 1, a + cw - 1, shear, yc);
  if (Math.max(left, right) < HIDDEN_BESIDE) return null;
  return left >= right ? [b - cw + 1, b] : [a, a + cw - 1];
}

/**
 * Share of the band's pixels (rows top..bottom, columns a..b upright, sheared by `shear` about row yc) that are
 * unseen; columns outside the crop count as seen.
 */
export function unseenShare(light: Float32Array, w: number, top: number, bottom: number, a: number, b: number, shear: number, yc: number): number {
  let hidden = 0, all = 0;
  for (let y = top; y <= bottom; y++) {
    const dx = shear * (yc - y);
    for (let xs = Math.round(a); xs <= b; xs++) {
      const x = Math.round(xs + dx);
      all++;
      if (x >= 0 && x < w && light[y * w + x] === UNSEEN) hidden++;
    }
  }
  return all ? hidden / all : 0;
}
