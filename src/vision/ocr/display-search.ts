// The last look for a display on a frame in doubt: text read, no alarm code and no status line, and the second
// look's detector views (second-look.ts) found none either. On such frames the display is often one the text
// detector cannot see at any scale -- digits behind camera noise, a small LED window in a big frame, a display
// the detector merged with the clutter around it into one frame-sized box -- while its strokes are plain to the
// stroke finder (display-regions.ts) at a finer scale than the first pass searches: at the first pass's scale
// (the frame's longer side at 512) a small display's strokes are one or two pixels wide and sink into the
// noise, and the noise floor is measured over the whole frame. Here the stroke finder runs again at twice that
// scale; the stroke lines no line read already covers (mostly) are read like the first pass's stroke lines (only a
// sure reading of one counts), and only what reads as a display line is added.
// The cost (one stroke search at the finer scale and one recognition batch) stays on frames in doubt.
import type { RgbImage } from '../image.js';
import { displayLineBoxes, findStrokes } from './display-regions.js';
import { extendOverPieces, joinOverlapping } from './line-extension.js';
import { readsDisplay, type ReadLine } from './second-look.js';
import { boxBounds, type TextBox } from './text-boxes.js';

type Bounds = { x: number; y: number; width: number; height: number };

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
    .filter(({ bounds }) => !read.some((l) => l.box.height <= 2 * bounds.height && coveredShare(bounds, l.box) > 0.5));
  return boxes.sort((a, b) => b.bounds.width * b.bounds.height - a.bounds.width * a.bounds.height).slice(0, MAX_FINE_LINES).map(({ b }) => b);
}

/**
 * True when what the second look added leaves the frame in doubt still: it found no alarm code, only status
 * readings -- often a digit or two of a display the detector saw in part (a dim dot-matrix line under glare
 * reads as "00" on two of its characters). The finer search then runs too; a stroke line the second look's
 * reading covers (mostly) is not read again, so a status display the second look read whole costs only the
 * search.
 */
export function secondLookInDoubt(lines: readonly ReadLine[]): boolean {
  const found = lines.filter((l) => l.found === 'second-look');
  return found.length > 0 && !found.some((l) => l.reading?.kind === 'alarm');
}

/**
 * Share of `box`'s area inside `line`. A line read already hides a stroke line only when it covers most of it: a
 * frame in doubt may have read a piece of its display (a digit or two, unsurely), and the whole line is read here.
 */
function coveredShare(box: Bounds, line: Bounds): number {
  const ix = Math.min(box.x + box.width, line.x + line.width) - Math.max(box.x, line.x);
  const iy = Math.min(box.y + box.height, line.y + line.height) - Math.max(box.y, line.y);
  return ix > 0 && iy > 0 ? (ix * iy) / Math.max(1, box.width * box.height) : 0;
}

/**
 * The frame's lines with the display lines the finer stroke search found added (in reading order), or the lines
 * as they were. `readStrokeBoxes` reads boxes as the first pass reads its stroke lines (sure readings only).
 */
export async function searchStrokes<L extends ReadLine>(img: RgbImage, lines: L[], readStrokeBoxes: (boxes: TextBox[]) => Promise<L[]>): Promise<L[]> {
  const boxes = fineStrokeBoxes(img, lines);
  if (!boxes.length) return lines;
  const found = (await readStrokeBoxes(boxes)).filter((l) => readsDisplay([l])).map((l) => ({ ...l, found: 'fine-strokes' as const }));
  if (!found.length) return lines;
  return [...lines, ...found].sort((a, b) => {
    const same = Math.abs(a.box.y + a.box.height / 2 - (b.box.y + b.box.height / 2)) < 0.5 * Math.min(a.box.height, b.box.height);
    return same ? a.box.x - b.box.x : a.box.y - b.box.y;
  });
}
