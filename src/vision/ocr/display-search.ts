// The last look for a display on a frame in doubt: text read, no alarm code and no status line, and the second
// look's detector views (second-look.ts) found none either. On such frames the display is often one the text
// detector cannot see at any scale -- digits behind camera noise, a small LED window in a big frame, a display
// the detector merged with the clutter around it into one frame-sized box -- while its strokes are plain to the
// stroke finder (display-regions.ts) at a finer scale than the first pass searches: at the first pass's scale
// (the frame's longer side at 512) a small display's strokes are one or two pixels wide and sink into the
// noise, and the noise floor is measured over the whole frame. Here the stroke finder runs again at twice that
// scale; the stroke lines no line read already covers are read like the first pass's stroke lines (only a
// sure reading of one counts), and only what reads as a display line is added.
// The cost (one stroke search at the finer scale and one recognition batch) stays on frames in doubt.
import type { RgbImage } from '../image.js';
import { displayLineBoxes, findStrokes } from './display-regions.js';
import { extendOverPieces, joinOverlapping } from './line-extension.js';
import { readsDisplay, unreadBoxes, type ReadLine } from './second-look.js';
import type { TextBox } from './text-boxes.js';

/** The stroke finder's longer side on the last look (the first pass searches at 512). */
export const FINE_STROKE_SIDE = 1024;

/** At most this many stroke lines are read on the last look (the largest first): a cluttered frame costs no more. */
export const MAX_FINE_LINES = 8;

/** A frame whose longer side is at most this gains nothing from the finer search (the first pass saw it whole). */
const FIRST_PASS_SIDE = 512;

/** Line boxes found by strokes at the finer scale that no line already read covers, largest first. */
export function fineStrokeBoxes(img: RgbImage, read: readonly ReadLine[]): TextBox[] {
  if (Math.max(img.width, img.height) <= FIRST_PASS_SIDE) return [];
  const { lines, pieces } = findStrokes(img, { maxSide: FINE_STROKE_SIDE });
  const known: TextBox[] = read.map((l) => ({ points: [[l.box.x, l.box.y], [l.box.x + l.box.width, l.box.y], [l.box.x + l.box.width, l.box.y + l.box.height], [l.box.x, l.box.y + l.box.height]], score: 1 }));
  const boxes = joinOverlapping(displayLineBoxes(lines, known, img.width, img.height).map((b) => extendOverPieces(b, pieces, img)));
  const area = (b: TextBox): number => {
    const xs = b.points.map((p) => p[0]), ys = b.points.map((p) => p[1]);
    return (Math.max(...xs) - Math.min(...xs)) * (Math.max(...ys) - Math.min(...ys));
  };
  return unreadBoxes(boxes, read).sort((a, b) => area(b) - area(a)).slice(0, MAX_FINE_LINES);
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
