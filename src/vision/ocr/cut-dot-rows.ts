// Dot-matrix lines whose box cuts off rows of dots. On a large module (dots a
// tenth of the text's height and more, unlit cells shown beside the text) the
// detector often fits its box to the middle rows of the lit characters: the
// top and bottom rows of dots lie outside, the crop shows five rows of seven,
// keeps too little of a lattice to pass the dot-matrix test (dot-matrix.ts),
// and is read as garbage (F051 as 广菱-1, its joined dots as FM51).
// So, while the lines read leave the frame in doubt (frame-doubt.ts), a line
// still in doubt after its other views (view-choice.ts inDoubt), read as some
// characters, that keeps some of a lattice's rhythm (doubtful-dots.ts) and whose lit dots reach
// the crop's top or bottom edge is cropped again with its box grown up and down
// by ROWS dot pitches, the pitch the test measured on the line, and read as the
// first pass reads a dot-matrix line: its plain crop and its dots joined, in a
// batch of their own (a crop added to another batch changes the others'
// readings). The better of the two replaces the line's reading when sure and a
// code or named status by itself while the line's reading is not (the
// joined-dots rule of doubtful-dots.ts); the line is then read on the taller
// box, and is a dot-matrix line where the taller crop passes the test (the
// test is not asked to pass: the bezel the taller crop takes in weakens the
// rhythm, F051's from 0.17 one row taller to 0.12 two rows taller).
// A line whose box cuts its rows yet keeps enough of the lattice to pass the
// test is read again on its taller box too: a wide module of small dots keeps
// its rhythm over five rows (C-02 on an inverted LCD module under a glare wash,
// its box on the middle rows, scored 0.15 and was read L-日 with its dots joined;
// on the taller box, C-02 at 0.85).
// Cost: nothing on a frame that reads a code or a status; on a frame in doubt,
// one extra recognition batch holding two crops for each line that passes all
// the tests above (none on most frames).
import { getLogger } from '../../system/logger.js';
import { cutCodeReplaces } from './catalog-cut-code.js';
import type { RgbImage } from '../image.js';
import { dotMatrixLine, isDotMatrix, joinDots, type DotMatrixLine } from './dot-matrix.js';
import { joinedDotLight, joinedDotsReplace, joinsDoubtfulDots } from './doubtful-dots.js';
import type { Recognised } from './line-arbitration.js';
import type { LineGrammar } from './line-grammar.js';
import { cropTextBox, type TextBox } from './text-boxes.js';
import { inDoubt, replacesReading, type LineView } from './view-choice.js';

const log = getLogger('vision.ocr');

/** Rows of dots the box grows by above and below (a cut row, and the gap and margin past it). */
const ROWS = 2;
/** The edge band looked at: this share of a pitch (the outermost row of the crop's pixels and a little more). */
const EDGE = 0.25;
/** Lit columns in an edge band over which an edge cuts dots: at least this many pitches' worth. */
const CUT_WIDTH = 1;

/** True when the lit dots of a line crop (dots joined at the measured pitch) reach its top or bottom edge. */
export function litDotsReachEdge(crop: RgbImage, d: DotMatrixLine): boolean {
  if (d.pitch <= 0) return false;
  // Lit as the doubtful-dots view judges it (the same joined dots, the same level).
  const { joined, v, thr } = joinedDotLight(crop, d);
  if (thr === null) return false;
  const { width: w, height: h } = joined;
  const band = Math.max(1, Math.round(EDGE * d.pitch));
  const litColumns = (y0: number, y1: number): number => {
    let n = 0;
    for (let x = 0; x < w; x++) {
      for (let y = y0; y < y1; y++) if (v[y * w + x]! > thr) { n++; break; }
    }
    return n;
  };
  const need = CUT_WIDTH * d.pitch;
  return litColumns(0, Math.min(h, band)) >= need || litColumns(Math.max(0, h - band), h) >= need;
}

/** The box grown up and down by ROWS pitches of its line (`d` measured on its crop, which is 1:1 with the box). */
export function tallerBox(box: TextBox, d: DotMatrixLine): TextBox {
  const [tl, tr, br, bl] = box.points;
  const bh = Math.hypot(bl[0] - tl[0], bl[1] - tl[1]);
  if (bh < 1) return box;
  const vx = (bl[0] - tl[0]) / bh, vy = (bl[1] - tl[1]) / bh, a = ROWS * d.pitch;
  return {
    points: [[tl[0] - vx * a, tl[1] - vy * a], [tr[0] - vx * a, tr[1] - vy * a], [br[0] + vx * a, br[1] + vy * a], [bl[0] + vx * a, bl[1] + vy * a]],
    score: box.score,
  };
}

/** A line as read so far: its box and crop, its recognition, the view that came from, and its dot-matrix measure. */
export interface CutDotLine {
  box: TextBox;
  crop: RgbImage;
  first: Recognised;
  view: LineView;
  dots: DotMatrixLine | null;
}

/**
 * The lines (of a frame in doubt: the caller asks) whose box cut off rows of dots, read again on their taller box in
 * a batch of their own (see above). Returns the lines whose taller reading replaces theirs, by index, as they are
 * now: the taller box and crop, the reading, its view, and the taller crop's dot-matrix measure where it passes
 * the test (the line's own otherwise).
 */
export async function readCutDotRows(img: RgbImage, lines: readonly CutDotLine[],
  o: { grammar: LineGrammar; retryBelow: number; recognise: (crops: RgbImage[]) => Promise<Recognised[]> }): Promise<Map<number, CutDotLine>> {
  const cut = lines.flatMap((l, k) => {
    const d = l.dots;
    // A line the recogniser read nothing on is left alone (a bezel's edge, a module's unlit cells).
    if (!l.first.greedy.text.trim() || !(isDotMatrix(d) || joinsDoubtfulDots(d)) || !inDoubt(l.first.greedy, o.retryBelow, o.grammar)
      || !litDotsReachEdge(l.crop, d)) return [];
    const box = tallerBox(l.box, d), crop = cropTextBox(img, box), td = dotMatrixLine(crop);
    return [{ k, box, crop, d, dotMatrix: isDotMatrix(td) ? td : null }];
  });
  const changed = new Map<number, CutDotLine>();
  if (!cut.length) return changed;
  const read = await o.recognise([...cut.map((c) => c.crop), ...cut.map((c) => joinDots(c.crop, c.dotMatrix ?? c.d))]);
  cut.forEach((c, j) => {
    const line = lines[c.k]!;
    let r = read[j]!, view = line.view;
    const joined = read[cut.length + j]!;
    if (replacesReading(joined.greedy, r.greedy, o.grammar)) { r = joined; view = 'dots-joined'; }
    log.debug('cut dot rows read again', { first: line.first.greedy.text, taller: r.greedy.text, confidence: r.greedy.confidence });
    // With a catalog, the taller crop may still cut the code short of a pattern (C-21 read c-2 there): it counts as a
    // code the default grammar takes, the line's ends then completing it (catalog-cut-code.ts).
    if (!joinedDotsReplace(r.greedy, line.first.greedy, o.grammar) && !cutCodeReplaces(r.greedy, line.first.greedy, o.grammar)) return;
    changed.set(c.k, { box: c.box, crop: c.crop, first: r, view, dots: c.dotMatrix ?? line.dots });
  });
  return changed;
}
