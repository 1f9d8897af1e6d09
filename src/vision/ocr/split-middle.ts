// A seven-segment reading of a line whose middle bars are drawn in two halves. A fourteen-segment font showing
// digits (DSEG14 and the like) draws each middle bar as two halves with a gap where they meet, and read as seven
// segments the bar is judged at that gap, raised by its halves to at most one and a half times the centre's light
// (segment-glyphs.ts middleBar: a dark centre between two lit halves may be the glow of the uprights' ends). On a
// blurred or dim line that leaves every middle bar under half lit, the 5 and the 9 as much as the rest, and the one
// glyph that differs from another by its middle bar alone loses it: E549 read C549, a wrong code.
// The middle bars of a line are drawn alike, so they are judged against one another: where no cell's middle bar is
// clearly lit, but the digit its other segments make likeliest needs one at some cell (a 5, a 9), the line's
// brightest middle bar counts as lit and the others are scaled to it. A line whose middle bars are lit somewhere is
// left as it is, and so is a cell known by its shape; but what was sampled beside a narrow upright (its left side,
// and its cell a whole cell wide: SegmentCell.beside, cellWide) holds the same middle bar's left half, dimmed alike,
// and is scaled with the line: a 4 whose left piece stands apart from its upright, on such a line, sampled that half
// at just under half lit and was read as a 1 (E945 read E915, a wrong code).
import type { SegmentCell, SegmentLine } from './segment-cells.js';
import { drawnAlike, glyphLikelihoods, GLYPHS_7, middleBar } from './segment-glyphs.js';

/** A middle bar this lit (of its cell's lit level) is clearly lit: a line with one keeps its middle bars as they are. */
const CLEARLY_LIT = 0.6;
/** Light the line's brightest middle bar is scaled to. */
const SCALED_TO = 0.9;
/** Least light of the brightest middle bar for the line to be judged so (a line of glyphs with no middle bar stays). */
const LEAST = 0.3;

/**
 * Digits every seven-segment drawing of which lights the middle bar, and the letters drawn exactly like them (S for 5,
 * Z for 2). Only those: a letter of a fourteen-segment font read as seven segments is drawn with strokes the seven
 * positions do not have (an R's leg), and the one its other segments make likeliest (a P for that R) says nothing of
 * how its middle bar samples (ERR-177's Rs, read as Ps with their bars scaled up, left the code under the confidence
 * floor).
 */
const NEEDS_MIDDLE = new Set(Object.entries(GLYPHS_7).flatMap(([c, ps]) => (/^\d$/.test(c) && ps.every((p) => p.includes('g')) ? [c, ...drawnAlike(c, 7)] : [])));

/** Share of the best likelihood within which a glyph is as likely as the best. */
const AS_LIKELY = 0.5;

/**
 * True when every glyph the cell's other segments make about likeliest, its middle bar left unjudged, needs the
 * middle bar (a 5 or S, a 9): the bar must be lit there, however dim it samples. An E's cell, which a C's fits as
 * well without the bar, says nothing.
 */
function needsMiddle(cell: SegmentCell): boolean {
  const l = glyphLikelihoods({ ...cell.lit, g: NaN, g1: NaN, g2: NaN }, 7);
  const best = Math.max(...l.values());
  return best > 0 && [...l].every(([c, v]) => v < AS_LIKELY * best || NEEDS_MIDDLE.has(c));
}

/** The line with its cells' middle bars judged against one another (see above); the same line where that does not apply. */
export function middleBarsOfLine(line: SegmentLine): SegmentLine {
  if (line.segments !== 7) return line;
  if (wholeBars(line)) return centresAlone(line);
  // Each cell's middle bar as seven segments read it; NaN for a cell known by its shape or whose centre was unjudged.
  const mids = line.cells.map((c) => (c.shape ? NaN : middleBar(c.lit)));
  const judged = mids.filter((v) => !Number.isNaN(v));
  if (!judged.length) return line;
  const top = Math.max(...judged);
  if (top >= CLEARLY_LIT || top < LEAST || !line.cells.some((c) => !c.shape && needsMiddle(c))) return line;
  const scale = SCALED_TO / top;
  return { ...line, cells: line.cells.map((c, i) => (c.shape ? scaledBeside(c, scale) : Number.isNaN(mids[i]!) ? c : { ...c, lit: { ...c.lit, g: Math.min(1, scale * mids[i]!) } })) };
}

/**
 * A centre under this light is one the halves may not raise on a line of whole bars; a centre over it is a lit bar
 * dimmed a little at its middle (a blurred fourteen-segment font: AL8586's 8, its centre 0.68 between halves of 0.86
 * and 0.74, judged at its centre alone lost the clear light that kept the recogniser's 0 off it).
 */
const DARK_CENTRE = 0.5;

/** A middle bar's centre this lit, with both halves lit, shows the bar drawn whole (no gap where halves would meet). */
const WHOLE_CENTRE = 0.8;

/**
 * True when some cell of the line (not one known by its shape) shows its middle bar drawn whole: both halves lit and
 * the centre clearly lit and at least as lit as the lesser half. A font that draws its middle bars in two halves dims
 * every centre where they meet, so such a line is drawn with whole bars, as a seven-segment display draws them.
 */
function wholeBars(line: SegmentLine): boolean {
  return line.cells.some((c) => {
    if (c.shape) return false;
    const g = c.lit.g ?? 0, halves = Math.min(c.lit.g1 ?? 0, c.lit.g2 ?? 0);
    return g >= WHOLE_CENTRE && halves >= CLEARLY_LIT && g >= halves;
  });
}

/**
 * A line of whole middle bars with each cell's dark centre (under DARK_CENTRE) judged alone: there, lit halves beside it
 * are the glow of the uprights' ends, not a bar drawn in two halves (a 7 drawn with its upper left upright, its
 * centre as dark as its unlit segments and its halves glowing at 0.7, was raised to half lit and read 9: ERR-704 read
 * ERR-904, A47 read A49, wrong codes). The halves are held to the centre's light in the line the segment reader decodes
 * (segment-lattice.ts) and weighs against the recogniser (char-merge.ts); the cells as sampled are left as they were.
 */
function centresAlone(line: SegmentLine): SegmentLine {
  const cells = line.cells.map((c) => {
    const g = c.lit.g;
    if (c.shape || g === undefined || Number.isNaN(g) || g >= DARK_CENTRE || middleBar(c.lit) <= g) return c;
    return { ...c, lit: { ...c.lit, g1: Math.min(c.lit.g1 ?? 0, g), g2: Math.min(c.lit.g2 ?? 0, g) } };
  });
  return cells.every((c, i) => c === line.cells[i]) ? line : { ...line, cells };
}

/** The middle bar's pieces (g, and its halves g1, g2) of what was sampled beside a narrow upright, scaled by the line's scale. */
function scaledBeside(cell: SegmentCell, scale: number): SegmentCell {
  const scaled = (lit: SegmentCell['beside']): SegmentCell['beside'] => lit && Object.fromEntries(Object.entries(lit)
    .map(([s, v]) => [s, /^g[12]?$/.test(s) && v !== undefined ? Math.min(1, scale * v) : v]));
  return { ...cell, ...(cell.beside ? { beside: scaled(cell.beside) } : {}), ...(cell.cellWide ? { cellWide: scaled(cell.cellWide) } : {}) };
}
