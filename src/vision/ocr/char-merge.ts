// The two readers of a segment display compared character by character. Where
// the recogniser's characters and the segment reader's cells line up one to one
// (each character's steps over exactly one cell, each cell under exactly one
// character, in order), each position where they differ is weighed on its own:
// the recogniser's evidence is its probability for its character at those
// steps; the cell's is how clearly it shows, against its own lit level, every
// segment that tells its character from the recogniser's (lit where its
// character has it, dark where not). A bar half lit (glare, a dim segment) or
// a ghost segment not quite dark leaves the cell's character unproven there.
// The line-level choice (line-arbitration.ts) stays where they do not line up.
import { greedyRuns, type Lattice } from './constrained-ctc.js';
import type { CharacterDictionary } from './ctc.js';
import type { SegmentLine } from './segment-cells.js';
import { drawnAlike, GLYPHS_7, middleBar, type SegmentName } from './segment-glyphs.js';
import type { SegmentCell } from './segment-cell.js';
import { stepsOver, type SegmentReading } from './segment-lattice.js';
import { middleBarsOfLine } from './split-middle.js';
import { ALL_BARS } from './fuller-glyphs.js';

export interface CharDisagreement {
  /** Position among the line's characters (spaces and decimal points aside). */
  at: number;
  /** The cell's index in the line's cells (decimal points included). */
  index: number;
  /** The recogniser's character and the cell's. */
  rec: string;
  cell: string;
  /** The recogniser's probability of its own character. */
  recP: number;
  /** Segments that tell the two characters apart (seven-segment outer positions), and how many of them the cell shows clearly lit or dark as its character has them. */
  told?: number;
  clear?: number;
  /** The characters both readers' evidence draws there, neither's own (fusedGlyph); absent where there is none. */
  fused?: string[];
}

/**
 * Each position where the recogniser's greedy characters and the cells' characters (`cellText`, one per cell, the
 * segment reader's text) line up and differ; null where they do not line up.
 */
export function charDisagreements(read: SegmentLine, l: Lattice, dict: CharacterDictionary, cellText: string, w: number, h: number): CharDisagreement[] | null {
  // The cells' middle bars as the segment reader judged them (split-middle.ts), so that a bar it read dark is dark here.
  const line = middleBarsOfLine(read);
  const index = line.cells.flatMap((c, j) => (c.shape !== '.' ? [j] : []));
  const cells = index.map((j) => line.cells[j]!);
  const cellChars = [...cellText.replace(/[\s.]/g, '').toUpperCase()];
  if (cellChars.length !== cells.length) return null;
  const runs = greedyRuns(l, dict).filter((r) => r.ch.trim() && r.ch !== '.');
  if (runs.length !== cells.length) return null;
  const steps = cells.map((c) => new Set(stepsOver(c.x0, c.x1, w, h, l.steps)));
  const out: CharDisagreement[] = [];
  for (let i = 0; i < runs.length; i++) {
    const r = runs[i]!;
    const under = cells.flatMap((_, j) => ([...Array(r.to - r.from).keys()].some((k) => steps[j]!.has(r.from + k)) ? [j] : []));
    if (under.length !== 1 || under[0] !== i) return null;
    const rec = r.ch.toUpperCase(), cell = cellChars[i]!;
    if (rec === cell || drawnAlike(cell, line.segments).includes(rec)) continue;
    let recP = 0;
    for (let t = r.from; t < r.to; t++) recP = Math.max(recP, l.probs[l.offset + t * l.classes + r.k]!);
    const fused = line.segments === 7 ? fusedGlyph(cells[i]!, rec, cell) : null;
    out.push({ at: i, index: index[i]!, rec, cell, recP, ...toldApart(cells[i]!, rec, cell), ...(fused ? { fused } : {}) });
  }
  return out;
}

/** Light under which a segment is clearly dark, and over which (as 1 - DIM) clearly lit, against the cell's lit level. */
const DIM = 0.3;

/** A cell's light per seven-segment position, its middle bar as the glyph tables read it (segment-glyphs.ts middleBar). */
function sevenLevels(cell: SegmentCell): (s: string) => number {
  const lit = cell.lit;
  const g = middleBar(lit);
  return (s) => (s === 'g' ? g : lit[s as SegmentName] ?? 0);
}

/** The seven-segment positions one pattern lights and the other does not. */
const segmentsApart = (p: string, q: string): string[] => [...'abcdefg'].filter((s) => p.includes(s) !== q.includes(s));

/**
 * The outer segments that tell the cell's character from the recogniser's (the pair of their seven-segment patterns
 * that differ in fewest), and how many of them the cell shows clearly as its own character has them; nothing where
 * either is no seven-segment glyph or the cell was known by its shape.
 */
export function toldApart(cell: SegmentCell, rec: string, own: string): { told: number; clear: number } | Record<string, never> {
  if (cell.shape || !GLYPHS_7[rec] || !GLYPHS_7[own]) return {};
  const level = sevenLevels(cell);
  let best: { told: number; clear: number } | null = null;
  for (const pr of GLYPHS_7[rec]!) for (const po of GLYPHS_7[own]!) {
    const diff = segmentsApart(pr, po);
    const clear = diff.filter((s) => (po.includes(s) ? level(s) > 1 - DIM : level(s) < DIM)).length;
    if (!best || diff.length < best.told || (diff.length === best.told && clear > best.clear)) best = { told: diff.length, clear };
  }
  return best ?? {};
}

/**
 * The glyph both readers' evidence draws in a cell where they differ: of the seven-segment patterns of the recogniser's
 * character and the cell's that differ in fewest segments, every telling segment as the cell shows it clearly, but for
 * one it leaves unclear, which is as the recogniser's character has it. E29 on an LCD whose E draws its middle bar as
 * two short halves short of the cell's sides (read as one bar: 0.39), cells C, the lower right upright clearly dark,
 * recogniser 6 at 0.98: the middle bar lit as the 6 has it, the upright dark as the cell shows it, the E neither read.
 * Returns the characters drawn with that pattern where it is neither reader's own; null where the cell shows every
 * telling segment clearly (its own character), leaves more than one unclear, or the two characters differ in more
 * than two segments: the glyph must be one segment from each reader's (an L under glare that the recogniser read 2,
 * three of the four telling segments clearly against the 2, is no C for its unclear top bar); or the pattern is no
 * glyph. Not over an 8: the recogniser reads every bar lit on a display whose unlit segments glow (fuller-glyphs.ts),
 * F18 read 888.
 */
export function fusedGlyph(cell: SegmentCell, rec: string, own: string): string[] | null {
  if (cell.shape || rec === ALL_BARS || !GLYPHS_7[rec] || !GLYPHS_7[own]) return null;
  const level = sevenLevels(cell);
  const clear = (s: string): boolean | null => (level(s) > 1 - DIM ? true : level(s) < DIM ? false : null);
  // The cell's character as its segments draw it best (fewest clear segments against it), the recogniser's nearest it.
  const against = (p: string): number => [...'abcdefg'].filter((s) => clear(s) === !p.includes(s)).length;
  const po = GLYPHS_7[own]!.reduce((a, b) => (against(b) < against(a) ? b : a));
  const pr = GLYPHS_7[rec]!.reduce((a, b) => (segmentsApart(b, po).length < segmentsApart(a, po).length ? b : a));
  const told = segmentsApart(pr, po);
  if (told.length > 2 || told.filter((s) => clear(s) === null).length !== 1) return null;
  const pattern = [...'abcdefg'].filter((s) => (told.includes(s) ? (clear(s) ?? pr.includes(s)) : po.includes(s))).join('');
  const chars = Object.entries(GLYPHS_7).filter(([, pats]) => pats.some((p) => [...p].sort().join('') === pattern)).map(([c]) => c);
  return chars.length && !chars.includes(rec) && !chars.includes(own) ? chars : null;
}

/** Least probability the recogniser gave its own character for it to overrule a cell (its digit, or the segment a fused glyph takes from it). */
const SURE_DIGIT = 0.95;

/**
 * The segment reader's lattice (segment-lattice.ts: one row per cell, a space row between cells) with each cell whose
 * digit the recogniser, surely, read as another digit, where the cell does not show clearly every segment telling the
 * two apart (a ghost segment taken for lit, a dim or glared bar taken for dark: AL3344 read AL7344 by its cells), given
 * the recogniser's digit; null where no cell is. Only digits read as digits by both are weighed: between a letter and
 * its digit twin (A and 8, E and 6) the recogniser is sure and wrong as often as not, and the cells and the grammar
 * decide. The recogniser must also be surer of its digit than the cell's segments are of theirs.
 */
export function recognisedDigits(segLattice: Lattice, line: SegmentLine, disagreements: readonly CharDisagreement[], dict: CharacterDictionary): Lattice | null {
  let probs: Float32Array | null = null;
  const first = line.cells[0]?.spaceBefore ? 1 : 0;
  for (const d of disagreements) {
    if (d.fused && d.recP >= SURE_DIGIT) {
      // The glyph both readers' evidence draws (fusedGlyph) takes the cell's place.
      const kc = dict.indexOf(d.cell), kf = d.fused.map((c) => dict.indexOf(c)).filter((k) => k > 0);
      if (kc <= 0 || !kf.length) continue;
      probs ??= segLattice.probs.slice(segLattice.offset, segLattice.offset + segLattice.steps * segLattice.classes);
      const row = (first + 2 * d.index) * segLattice.classes;
      const top = Math.max(probs[row + kc]!, ...kf.map((k) => probs![row + k]!));
      probs[row + kc] = Math.min(probs[row + kc]!, ...kf.map((k) => probs![row + k]!));
      for (const k of kf) probs[row + k] = top;
      continue;
    }
    if (!/^\d$/.test(d.rec) || !/^\d$/.test(d.cell) || d.recP < SURE_DIGIT) continue;
    if (d.told === undefined || d.clear === undefined || d.clear >= d.told) continue;
    const kr = dict.indexOf(d.rec), kc = dict.indexOf(d.cell);
    if (kr <= 0 || kc <= 0) continue;
    probs ??= segLattice.probs.slice(segLattice.offset, segLattice.offset + segLattice.steps * segLattice.classes);
    const row = (first + 2 * d.index) * segLattice.classes;
    const p = probs[row + kc]!;
    probs[row + kc] = probs[row + kr]!;
    probs[row + kr] = p;
  }
  return probs ? { probs, offset: 0, steps: segLattice.steps, classes: segLattice.classes } : null;
}

/**
 * The segment reader's reading with the recogniser's sure digits where they outweigh the cells' (recognisedDigits):
 * its lattice and its text (each cell's likeliest character); null where the two readers do not line up or no digit
 * of the recogniser's outweighs a cell's.
 */
export function cellsWithRecognisedDigits(seg: Pick<SegmentReading, 'lattice' | 'text'>, line: SegmentLine, rec: Lattice, dict: CharacterDictionary,
  w: number, h: number): { lattice: Lattice; text: string } | null {
  const diffs = charDisagreements(line, rec, dict, seg.text, w, h);
  const lattice = diffs?.length ? recognisedDigits(seg.lattice, line, diffs, dict) : null;
  if (!lattice) return null;
  const chars = [...seg.text];
  let at = -1;
  const text = chars.map((c) => {
    if (/[\s.]/.test(c)) return c;
    at++;
    const d = diffs!.find((x) => x.at === at);
    if (!d) return c;
    const row = lattice.probs.subarray(((line.cells[0]?.spaceBefore ? 1 : 0) + 2 * d.index) * lattice.classes);
    // The likeliest of the cell's character, the recogniser's and the fused glyph's, the cell's on a tie.
    const best = [d.rec, ...(d.fused ?? [])].reduce((b, ch) => (dict.indexOf(ch) > 0 && row[dict.indexOf(ch)]! > row[dict.indexOf(b)]! ? ch : b), d.cell);
    return best === d.cell ? c : best;
  }).join('');
  return { lattice, text };
}
