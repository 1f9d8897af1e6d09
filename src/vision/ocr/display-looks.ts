// The further looks for the display on a frame still in doubt after the first pass (frame-doubt.ts decides when):
// the second look (second-look.ts: the detector on the frame at half scale and on its grey stretched view), then
// the finer stroke search (display-search.ts), each only while the frame stays in doubt. Kept out of the reader's
// first pass (panel-reader.ts) so that the order of the looks and what stops them are in one place; the reader
// gives the detector and the way it reads boxes.
import type { RgbImage } from '../image.js';
import { UnchangedFrameBoxes } from './box-reuse.js';
import { searchStrokes } from './display-search.js';
import { settleDoubt, type DisplayLook, type ReadLine } from './frame-doubt.js';
import { lookAgain, secondLookDetections, type Detect } from './second-look.js';
import type { LineGrammar } from './line-grammar.js';
import { joinFoundParts, type SplitLine } from './split-lines.js';
import type { TextBox } from './text-boxes.js';

export interface DisplayLooksOptions {
  /** The detector's longer side on the first pass (the second look's views are scaled from it). */
  maxSide: number;
  /** Reuse the second look's boxes of a frame unchanged for up to this many ms (0: detect each time). */
  reuseBoxesMs: number;
  /** Run the finer stroke search at all (the reader's stroke lines are on). */
  strokes: boolean;
}

/** How the reader reads boxes of the frame; `byStrokes`: they are stroke lines (only sure readings count). */
export type ReadBoxes<L> = (img: RgbImage, boxes: TextBox[], byStrokes: boolean) => Promise<L[]>;

export class DisplayLooks {
  /** Frames given a second look for their display, for benches. */
  secondLooks = 0;
  /** Frames searched for their display's strokes at the finer scale, for benches. */
  fineSearches = 0;
  /** The second look's boxes of an unchanged frame are reused as the first pass's are. */
  private readonly reuse: UnchangedFrameBoxes;

  constructor(private readonly detect: Detect, private readonly opts: DisplayLooksOptions) {
    this.reuse = new UnchangedFrameBoxes({ maxAgeMs: opts.reuseBoxesMs });
  }

  /** Second looks that reused an unchanged frame's boxes, and those that ran the detector. */
  get detections(): { reused: number; run: number } {
    return { reused: this.reuse.reused, run: this.reuse.detected };
  }

  /**
   * The frame's lines after the looks that ran while it stayed in doubt. `secondLook` false: the finer search only
   * (the frame was read on its enhanced view already, where the second look's grey view adds little). Under a
   * `grammar`, a code split between a line a look found and one read before is made whole (split-lines.ts) before the
   * next look asks whether the frame is still in doubt.
   */
  async settle<L extends ReadLine & SplitLine>(img: RgbImage, lines: L[], readBoxes: ReadBoxes<L>, secondLook: boolean, grammar?: LineGrammar): Promise<L[]> {
    const looks: Array<DisplayLook<L>> = [];
    if (secondLook) {
      looks.push((ls) => {
        this.secondLooks++;
        const detections = this.reuse.boxes(img, (i) => secondLookDetections(i, this.detect, this.opts.maxSide));
        return lookAgain(ls, detections, (boxes) => readBoxes(img, boxes, false));
      });
    }
    if (this.opts.strokes) {
      looks.push((ls) => {
        this.fineSearches++;
        return searchStrokes(img, ls, (boxes) => readBoxes(img, boxes, true));
      });
    }
    return settleDoubt(lines, grammar ? looks.map((look) => async (ls: L[]) => joinFoundParts(ls, await look(ls), grammar)) : looks);
  }
}
