// Whether a box a look found reaches past the ends of a line read already by more than a character. Such a box
// holds characters the line did not read, even where the line covers most of it: the first pass may read one
// display line in pieces, its stroke line ended where a glare spot washed out the characters after it (ERR 00 under
// a glare spot over its 00: the stroke line "Ere" covered three fifths of the detector's box over the whole line,
// found on the second look's smaller view; a dot-matrix ALM 59 whose ALM the first pass boxed alone and read as
// two unknown glyphs). A box about the line's own, or a little larger, reaches past it by a margin only; a line
// hiding a box it does not reach across would keep the looks from the characters the first pass missed.

type Bounds = { x: number; y: number; width: number; height: number };

/**
 * How far past an end of the line, in box heights, the box must reach to hold a character the line did not read
 * (a glyph is about half as wide as tall, so one height is a character and its gap, twice over).
 */
const PAST_END = 1;

/** True when `box` reaches past the left or right end of `line` by more than its own height. */
export function reachesPastLine(box: Bounds, line: Bounds): boolean {
  const left = line.x - box.x, right = box.x + box.width - (line.x + line.width);
  return Math.max(left, right) > PAST_END * box.height;
}
