// Dot-matrix lines the lattice test (dot-matrix.ts) does not pass. Where the
// dots of a display are large and close (a dot nine tenths of its pitch), or the
// frame is blurred, lit dots run together into blobs and the line keeps too
// little of a lattice's rhythm to be told from a segment display: it is then
// read as strokes, and the recogniser and segment reader read a hyphen of dots
// as an E or a 6 (C-32 read CE32, C632), a 0 of blurred dots as an 8, a long
// module as garbage. Joining the dots at the best pitch the test found reads
// such a line as the strokes it shows (C-32 at 0.996).
// So a line in doubt (view-choice.ts) that is no dot-matrix line by the test but
// keeps some of a lattice's rhythm is also read with its dots joined, in the
// same batch as its other views. The joined reading replaces the line's only
// where it is sure and something the grammar takes by itself (a code, a named
// status) while the line's reading is not: a line already read as a code stays
// with its own views. The line keeps the segment reader: it weighs the joined
// reading against its cells as it would the plain one. (Read as a dot-matrix
// line, without cells, a fourteen-segment line whose 7 the recogniser reads as
// 9 on every view lost the cells' 7: AL7238 as AL9238.) A hyphen of dots the
// recogniser is sure of stands against the cells' 6 (C-32 at 0.996, cells C632).
// A module wider than its text shows its unlit cells too; joined, each reads
// as a block (C-77 read C-77EEEEEEEE). The joined crop is therefore cut to its
// lit columns, a pitch of margin kept, where that cuts more than a character.
import type { RgbImage } from '../image.js';
import { glyphCount } from './arbitration-rules.js';
import type { DecodedLine } from './ctc.js';
import { DOT_MATRIX_SCORE, joinDots, type DotMatrixLine } from './dot-matrix.js';
import { kthSmallest } from './order-statistics.js';
import type { LineInterpretation } from './line-arbitration.js';
import type { LineGrammar } from './line-grammar.js';
import { grammarTakes, replacesReading } from './view-choice.js';

/**
 * Least lattice score of a line worth joining: segment and printed lines mostly score well under 0 (their strokes
 * are anti-correlated at some lag of the rhythm), blurred dot-matrix lines about 0 and above.
 */
export const SOME_RHYTHM = -0.05;
/** Confidence a joined reading must reach to replace a line's reading. */
const JOINED_SURE = 0.8;
/** A lit pixel lies this share of the way from the crop's background to its brightest ink. */
const LIT = 0.5;
/** A lit column holds lit pixels over at least this share of a pitch. */
const LIT_COLUMN = 0.5;
/** Unlit width, in pitches, past which an end of the joined crop is cut (a character is 5 pitches and a gap wide). */
const CUT = 6;

/** True when a line in doubt should also be read with its dots joined at the test's best pitch (see above). */
export function joinsDoubtfulDots(d: DotMatrixLine | null | undefined): d is DotMatrixLine {
  return !!d && d.score < DOT_MATRIX_SCORE && d.score >= SOME_RHYTHM && d.pitch > 0;
}

/** True when the reading of a doubtful line's joined dots replaces its current reading (see above). */
export function joinedDotsReplace(joined: DecodedLine, current: DecodedLine, grammar: LineGrammar | undefined): boolean {
  return joinedMayReplace(current, grammar) && joined.confidence >= JOINED_SURE && grammarTakes(joined, grammar!)
    && replacesReading(joined, current, grammar);
}

/**
 * True when a line's current interpretation is a code the segment cells decided with more characters (letters, digits,
 * dashes) than the joined reading holds: joining dots at a pitch measured on segments runs neighbouring glyphs together
 * (E010 on a dim seven-segment LED, read E010 by its cells on the plain and enhanced views, read E10 joined at 0.95),
 * and the cells counted every glyph. A joined hyphen the cells read as a 6 (C-32, cells C632) keeps the count.
 */
export function joinedDropsCellGlyphs(joined: DecodedLine, current: LineInterpretation): boolean {
  const code = current.cells !== undefined && current.reading?.kind === 'alarm' ? current.reading.code ?? current.reading.text : null;
  return code !== null && glyphCount(code) > glyphCount(joined.text);
}

/** joinedDotsReplace's part that needs no joined reading: a current reading the grammar takes is never replaced. */
export function joinedMayReplace(current: DecodedLine, grammar: LineGrammar | undefined): boolean {
  return !!grammar && !grammarTakes(current, grammar);
}

/**
 * A line crop with its dots joined at the measured pitch, its light per pixel in the display's polarity (lit high),
 * and the level above which a pixel counts as lit (LIT of the way from the background's median to the 97th
 * percentile); the level is null where the crop shows too little contrast to tell lit from unlit.
 */
export function joinedDotLight(crop: RgbImage, d: DotMatrixLine): { joined: RgbImage; v: number[]; thr: number | null } {
  const joined = joinDots(crop, d);
  const { width: w, height: h, data } = joined;
  const v = new Array<number>(w * h);
  for (let i = 0; i < w * h; i++) {
    const g = 0.299 * data[3 * i]! + 0.587 * data[3 * i + 1]! + 0.114 * data[3 * i + 2]!;
    v[i] = d.polarity === 'bright' ? g : 255 - g;
  }
  const bg = kthSmallest(v, v.length >> 1), high = kthSmallest(v, Math.floor(0.97 * (v.length - 1)));
  return { joined, v, thr: high - bg < 8 ? null : bg + LIT * (high - bg) };
}

/** A doubtful line's crop with its dots joined and its unlit ends cut off (see above). */
export function joinedDoubtfulDots(crop: RgbImage, d: DotMatrixLine): RgbImage {
  const { joined, v, thr } = joinedDotLight(crop, d);
  if (thr === null) return joined;
  const { width: w, height: h, data } = joined;
  let x0 = -1, x1 = -1;
  for (let x = 0; x < w; x++) {
    let n = 0;
    for (let y = 0; y < h; y++) if (v[y * w + x]! > thr) n++;
    if (n < LIT_COLUMN * d.pitch) continue;
    if (x0 < 0) x0 = x;
    x1 = x;
  }
  if (x0 < 0) return joined;
  const a = x0 > CUT * d.pitch ? Math.floor(x0 - d.pitch) : 0, b = w - 1 - x1 > CUT * d.pitch ? Math.ceil(x1 + d.pitch) + 1 : w;
  if (a === 0 && b === w) return joined;
  const cw = b - a, out = new Float32Array(cw * h * 3);
  for (let y = 0; y < h; y++) out.set(data.subarray(3 * (y * w + a), 3 * (y * w + b)), 3 * y * cw);
  return { data: out, width: cw, height: h };
}
