// A "decimal point" standing in a whole cell's room is the foot of a 1. A segment display draws its characters at one
// pitch, and its point is a dot on the baseline right after a digit's cell, in the narrow gap before the next one.
// A glare streak across a thin 1 (two uprights' worth of ink between wider glyphs) washes out all of the upright but
// its foot: the cell reader then finds a short blob low in the band and takes it for a point (AL186 on a VFD under a
// diagonal streak: cells A L . 8 6, the recogniser RL86, its 1 a blank). The two readers agreed on four characters,
// the cells abutting with no space, so the line was reported as the code AL86, one character short.
// What tells the two apart is where the blob stands. Between the cells around it lies room for a whole cell at the
// line's pitch (a point's neighbours are one pitch apart), and the blob lies inside that cell's right part, where a 1's
// upright stands, not past the cell in the gap where a point would sit. Such a blob is read as an upright (shape '1',
// placed a whole cell wide ending at its ink, as segment-cells.ts places a narrow upright): the line's cells then
// count the display's characters. Only a room for one cell is looked at, between two full cells; a point between
// two cells one pitch apart (12.5) is never touched, and an upright adds only a digit, so no status becomes a code.
// Cost: a pass over the line's few cells.
import type { SegmentCell } from './segment-cell.js';

/** Distance from the cell before to the cell after, in pitches, that holds one more cell (2 at an even pitch). */
const ROOM_LEAST = 1.7, ROOM_MOST = 2.3;
/** Where a 1's upright stands: from this share of the missing cell's width on (its right part) to the cell's end. */
const RIGHT_PART = 0.5;

/**
 * The line's pitch: the lower median step between the starts of neighbouring full cells with no space between them
 * (points aside), leaving out the step that starts at `skip` (the room looked at, two pitches); 0 when there is none.
 */
export function cellPitch(cells: readonly SegmentCell[], skip?: SegmentCell): number {
  const full = cells.filter((c) => c.shape !== '.');
  const steps = full.slice(1).flatMap((c, i) => (c.spaceBefore || full[i] === skip ? [] : [c.x0 - full[i]!.x0])).sort((a, b) => a - b);
  return steps.length ? steps[(steps.length - 1) >> 1]! : 0;
}

/**
 * Turns each point that stands in the right part of a whole cell's room between two full cells into a narrow upright
 * (see the file comment), in place; `cw` is the display's cell width. Returns how many it turned.
 */
export function uprightFeet(cells: SegmentCell[], cw: number): number {
  let turned = 0;
  for (let i = 1; i + 1 < cells.length; i++) {
    const p = cells[i]!, prev = cells[i - 1]!, next = cells[i + 1]!;
    if (p.shape !== '.' || prev.shape === '.' || next.shape === '.' || next.spaceBefore) continue;
    // The pitch without the room in question (its step is two pitches).
    const pitch = cellPitch(cells, prev);
    if (pitch <= 0 || cw <= 0) continue;
    const room = next.x0 - prev.x0;
    if (room < ROOM_LEAST * pitch || room > ROOM_MOST * pitch) continue;
    // The missing cell, one pitch on from the cell before; the blob's middle within its right part.
    const x0 = prev.x0 + pitch, x1 = x0 + cw - 1;
    const mid = (p.x0 + p.x1) / 2;
    if (mid < x0 + RIGHT_PART * cw || mid > x1) continue;
    cells[i] = { x0: Math.round(p.x1 - cw + 1), x1: p.x1, lit: {}, shape: '1', spaceBefore: false };
    turned++;
  }
  return turned;
}
