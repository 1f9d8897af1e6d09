// A second look for a display the first pass did not find. On a full camera frame the detector often reads
// the panel's printed labels and signs but not the display itself: a dot-matrix line behind its unlit dots
// (the dots stay separate at the detector's scale), a small LCD washed out by glare, a display that is one
// dim patch of a dark frame. Read on such a frame gives text lines but no alarm code and no status line that
// settles the display (frame-doubt.ts decides when a frame is in doubt; display-looks.ts runs the looks).
// Only then (the cost stays off every frame that already reads its display) the detector runs again on two
// other views of the frame: the frame at a smaller scale, where dots and thin segments blur into the strokes
// the detector knows, and the frame contrast-stretched in grey (enhance.ts), where a washed-out or dark
// display stands out. Boxes that no line already read covers are read; only what reads as a display line
// (an alarm code or a status line under the grammar) is added to the frame's lines.
import { getLogger } from '../../system/logger.js';
import { resizeBilinear, type RgbImage } from '../image.js';
import { alongside } from './alongside.js';
import { enhanceForDisplay } from './enhance.js';
import { overlapsMostly } from './line-extension.js';
import { addFound, hides, type ReadLine } from './frame-doubt.js';
import { boxBounds, type TextBox } from './text-boxes.js';

const log = getLogger('vision.ocr');

/** The detector's longer side for the smaller-scale view (the first pass uses up to 960). */
export const SMALL_SCALE_SIDE = 480;

/** The detector, run on an image with its longer side scaled to at most `maxSide` (boxes in that image's pixels). */
export type Detect = (img: RgbImage, maxSide?: number) => Promise<TextBox[]>;

/**
 * The frame's grey contrast-stretched view at the detector's size (no stroke thickening: the detector needs
 * no joined segments, and the frame is scaled down first so that the view costs little), and the factor from
 * its pixels to the frame's.
 */
export function enhancedFrame(img: RgbImage, maxSide: number): { view: RgbImage; scale: number } {
  const s = Math.min(1, maxSide / Math.max(img.width, img.height));
  const w = Math.max(1, Math.round(img.width * s)), h = Math.max(1, Math.round(img.height * s));
  const small: RgbImage = s < 1 ? { data: resizeBilinear(img.data, img.width, img.height, 3, w, h), width: w, height: h } : img;
  return { view: enhanceForDisplay(small, { joinRadius: 0, minHeight: 0 }), scale: img.width / w };
}

/** The detector's boxes on both views of the second look, in the frame's pixels; a box both views found is kept once. */
export async function secondLookDetections(img: RgbImage, detect: Detect, maxSide: number): Promise<TextBox[]> {
  // The grey view is made while the detector looks at the small one (alongside.ts).
  const [small, { view, scale }] = await alongside(detect(img, Math.min(SMALL_SCALE_SIDE, maxSide / 2)), () => enhancedFrame(img, maxSide));
  const enhanced = (await detect(view)).map((b) => ({ ...b, points: b.points.map(([x, y]) => [x * scale, y * scale]) as TextBox['points'] }));
  const out: TextBox[] = [];
  for (const b of [...small, ...enhanced]) {
    const bb = boxBounds(b);
    if (bb.width >= 4 && bb.height >= 4 && !out.some((o) => overlapsMostly(o, b, 0.5))) out.push(b);
  }
  return out;
}

/**
 * The boxes not read yet: none that a line read in the first pass hides (frame-doubt.ts: about the same height
 * and mostly covered; a bare number hides only what lies mostly inside it, as the box may be the whole display
 * it is a piece of).
 */
export function unreadBoxes(boxes: readonly TextBox[], read: readonly ReadLine[]): TextBox[] {
  return boxes.filter((b) => {
    const bb = boxBounds(b);
    return !read.some((l) => hides(l, bb, true));
  });
}

/**
 * The frame's lines with the display lines the second look found added (frame-doubt.ts addFound), or the lines as
 * they were when it found none. `detections`: secondLookDetections' (or those of an unchanged earlier frame);
 * `readBoxes` reads boxes as the first pass reads its own.
 */
export async function lookAgain<L extends ReadLine>(lines: L[], detections: Promise<TextBox[]>, readBoxes: (boxes: TextBox[]) => Promise<L[]>): Promise<L[]> {
  const boxes = unreadBoxes(await detections, lines);
  if (!boxes.length) return lines;
  const again = await readBoxes(boxes);
  log.debug('second look', { boxes: boxes.length, read: again.map((l) => `${l.text} (${l.reading?.kind ?? '?'} ${l.confidence.toFixed(2)})`) });
  return addFound(lines, again.map((l) => ({ ...l, found: 'second-look' as const })));
}
