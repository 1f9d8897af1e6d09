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
// two cells one pitch apart (12.5) is never touched. And only where the cell's segments that glare left to judge are
// a 1's (bars and left uprights dark): nearly every digit has that foot (the c upright), and a 7 washed out by a wide
// glare but for it is no 1 (F708 read F108). An upright adds a digit and no letter; the arbitration then weighs the
// cells as ever (a named status stays the recogniser's).
// Cost: a pass over the line's few cells, and one cell sampled where a point stands in such a room.
import type { SegmentCell } from './segment-cell.js';
import type { SegmentName } from './segment-glyphs.js';

/** Distance from the cell before to the cell after, in pitches, that holds one more cell (2 at an even pitch). */
const ROOM_LEAST = 1.7, ROOM_MOST = 2.3;
/** Where a 1's upright stands: from this share of the missing cell's width on (its right part) to the cell's end. */
const RIGHT_PART = 0.5;
/** The outer segments a 1 leaves dark: each must be judged (not under the glare) and at most DARK lit. */
const DARK_OF_ONE: readonly SegmentName[] = ['a', 'd', 'e', 'f', 'g'];
const DARK = 0.4;
/** A 1's uprights: each under the glare (not judged) or at least LIT lit; one judged dark makes the cell no 1. */
const LIT_OF_ONE: readonly SegmentName[] = ['b', 'c'];
const LIT = 0.5;

/** How lit each segment position of a cell spanning [x0, x1] is (segment-sampling.ts sampleCell over the line). */
export type SampleSegments = (x0: number, x1: number) => Partial<Record<SegmentName, number>>;

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
export function uprightFeet(cells: SegmentCell[], cw: number, segments: SampleSegments): number {
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
    // The cell's segments, where glare left them to judge, are a 1's: its bars and left uprights seen dark, its right
    // uprights lit or under the glare. Glare took the thin upright, not the whole cell: a 7, a 3 or a 0 washed out but
    // for the foot of its c upright shows no such 1 (a 7 under a wide glare wash: its bars and b upright half lit, half
    // dark), and the point is left as it was.
    const x = Math.round(p.x1 - cw + 1);
    const lit = segments(x, p.x1);
    if (!DARK_OF_ONE.every((s) => (lit[s] ?? NaN) <= DARK) || !LIT_OF_ONE.every((s) => Number.isNaN(lit[s] ?? NaN) || lit[s]! >= LIT)) continue;
    cells[i] = { x0: x, x1: p.x1, lit: {}, shape: '1', spaceBefore: false };
    turned++;
  }
  return turned;
}

// Two narrow uprights closer together than one cell's width are one glyph's two sides, not two 1s. A segment display
// draws its characters at one pitch, so a 1 stands a whole pitch (a cell and the gap after it) from the next; a
// glyph's own left and right uprights stand a cell less a stroke apart. The cell reader finds them as two narrow runs
// where the strokes that join them are put out: an H under a glare spot, its middle bar washed away, read 11 (H35 read
// 1135, the recogniser's own H overruled by the two cells). They are one cell, a whole cell wide ending at the right
// upright, sampled as any other cell; the glyph it shows (H, U, 0...) is then the cell's and the recogniser's to judge.
// Only a pair standing alone: in three uprights in a row, which two are one glyph is not told by their distances (a 1
// beside a 0 whose bars glare put out: the 1 and the 0's left side stood closer than a cell, on a font whose cell
// width was taken from its wide letters, and AL4710 read AL4780), and they are left as they were.

/** A cell's segments and standing strokes over [x0, x1], as segment-cells.ts samples a whole cell. */
export type SampleCell = (x0: number, x1: number) => Pick<SegmentCell, 'lit' | 'standing' | 'peak'>;

/**
 * Joins each two neighbouring narrow uprights (shape '1', placed a cell wide ending at their ink) whose right ends
 * are less than a cell width `cw` apart, with no third upright beside them, into one whole cell ending at the second,
 * in place. Returns how many it joined.
 */
export function pairedUprights(cells: SegmentCell[], cw: number, sample: SampleCell): number {
  let joined = 0;
  for (let i = 1; i < cells.length; i++) {
    const first = cells[i - 1]!, second = cells[i]!;
    if (first.shape !== '1' || second.shape !== '1' || second.spaceBefore || second.x1 - first.x1 >= cw) continue;
    const before = cells[i - 2], after = cells[i + 1];
    if ((before?.shape === '1' && !first.spaceBefore) || (after?.shape === '1' && !after.spaceBefore)) continue;
    cells.splice(i - 1, 2, { x0: second.x0, x1: second.x1, ...sample(second.x0, second.x1), spaceBefore: first.spaceBefore,
      ...(first.glareBefore ? { glareBefore: true } : {}), ...(first.dashBefore ? { dashBefore: true } : {}) });
    joined++;
  }
  return joined;
}
