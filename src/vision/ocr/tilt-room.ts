// Room above and below a bare number's box widened to its left for a code's lost letters. The detector often boxes a
// display line that the camera sees turned (tilt, perspective) with a box level with the frame, fitted to the glyphs it
// covers. Widened along its own axis, that box keeps their height, but the line goes on rising or falling past the
// box's end: the letter the widening is for stands higher or lower than the box, and its top or bottom bar is cut
// off. A seven-segment C without its top bar is an L, without its bottom bar no glyph at all: the recogniser reads
// nothing there, or the digit it resembles, and the cells sample an L (C-23 on a tilted LED, boxed over -23, read -23
// on the wider crop; whole, C-23). The wider crop is given room for the line's rise over the length added, at the
// steepest slope a camera's tilt gives such a line: the room grows with how far the box was widened, nothing is added
// where it was not widened at all.
import type { TextBox } from './text-boxes.js';

/**
 * Steepest rise of a display line against its box's axis, per unit of length along it, that the room allows for: a
 * line turned by up to about six degrees (tan 6° ≈ 0.1). Steeper turns the detector boxes turned itself.
 */
export const TILT = 0.1;

/**
 * `wider` (`box` widened along its own axis at its left end) grown on both sides across its axis by TILT times the
 * length added at the left, so that a glyph past the box's end on a turned line is cropped whole; `wider` itself where
 * nothing was added.
 */
export function withTiltRoom(box: TextBox, wider: TextBox): TextBox {
  const [tl, tr, br, bl] = wider.points;
  const bw = Math.hypot(box.points[1][0] - box.points[0][0], box.points[1][1] - box.points[0][1]);
  if (bw < 1) return wider;
  const ux = (box.points[1][0] - box.points[0][0]) / bw, uy = (box.points[1][1] - box.points[0][1]) / bw;
  const added = (box.points[0][0] - tl[0]) * ux + (box.points[0][1] - tl[1]) * uy;
  if (added < 1) return wider;
  // The unit across the axis, pointing down the box (from its top edge to its bottom one).
  const nx = -uy, ny = ux, room = TILT * added;
  return {
    points: [[tl[0] - nx * room, tl[1] - ny * room], [tr[0] - nx * room, tr[1] - ny * room], [br[0] + nx * room, br[1] + ny * room],
      [bl[0] + nx * room, bl[1] + ny * room]],
    score: wider.score,
  };
}
