// The last look for a display on a frame in doubt (frame-doubt.ts): text read, no alarm code and no status line
// that settles the display, and the second look's detector views (second-look.ts) found none either. On such
// frames the display is often one the text detector cannot see at any scale -- digits behind camera noise, a
// small LED window in a big frame, a display the detector merged with the clutter around it into one frame-sized
// box -- while its strokes are plain to the stroke finder (display-regions.ts) at a finer scale than the first
// pass searches: at the first pass's scale (the frame's longer side at 512) a small display's strokes are one or
// two pixels wide and sink into the noise, and the noise floor is measured over the whole frame. Here the stroke
// finder runs again at twice that scale; the stroke lines no line read already hides (frame-doubt.ts hides) are
// read like the first pass's stroke lines (only a sure reading of one counts), and only what reads as a display
// line is added.
// The cost (one stroke search at the finer scale and one recognition batch) stays on frames in doubt.
import type { RgbImage } from '../image.js';
import { displayLineBoxes, findStrokes } from './display-regions.js';
import { extendOverPieces, joinOverlapping } from './line-extension.js';
import { addFound, hides, type ReadLine } from './frame-doubt.js';
import { boxBounds, type TextBox } from './text-boxes.js';

/** The stroke finder's longer side on the last look (the first pass searches at 512). */
export const FINE_STROKE_SIDE = 1024;

/** At most this many stroke lines are read on the last look (the largest first): a cluttered frame costs no more. */
export const MAX_FINE_LINES = 8;

/** A frame whose longer side is at most this gains nothing from the finer search (the first pass saw it whole). */
const FIRST_PASS_SIDE = 512;

/** Line boxes found by strokes at the finer scale that no line already read covers (mostly), largest first. */
export function fineStrokeBoxes(img: RgbImage, read: readonly ReadLine[]): TextBox[] {
  if (Math.max(img.width, img.height) <= FIRST_PASS_SIDE) return [];
  const { lines, pieces } = findStrokes(img, { maxSide: FINE_STROKE_SIDE });
  const boxes = joinOverlapping(displayLineBoxes(lines, [], img.width, img.height).map((b) => extendOverPieces(b, pieces, img)))
    .map((b) => ({ b, bounds: boxBounds(b) }))
    .filter(({ bounds }) => !read.some((l) => hides(l, bounds, false)));
  return boxes.sort((a, b) => b.bounds.width * b.bounds.height - a.bounds.width * a.bounds.height).slice(0, MAX_FINE_LINES).map(({ b }) => b);
}

/**
 * The frame's lines with the display lines the finer stroke search found added (in reading order), or the lines
 * as they were. `readStrokeBoxes` reads boxes as the first pass reads its stroke lines (sure readings only).
 */
export async function searchStrokes<L extends ReadLine>(img: RgbImage, lines: L[], readStrokeBoxes: (boxes: TextBox[]) => Promise<L[]>): Promise<L[]> {
  const boxes = fineStrokeBoxes(img, lines);
  if (!boxes.length) return lines;
  return addFound(lines, (await readStrokeBoxes(boxes)).map((l) => ({ ...l, found: 'fine-strokes' as const })));
}
