// A segment display read cell by cell, as a lattice the line grammar can
// decode. Each cell becomes one step whose probabilities are the characters
// its lit segments can show (segment-glyphs.ts), each weighted by what the
// recogniser saw at that place: the segments decide between characters that
// differ in a segment (E and 6 differ in the lower right one, A and 8 in the
// bottom one), the recogniser (leaning) and the grammar (catalog codes, status
// names, digit positions) between those a display draws alike (5 and S, 0 and O). Between cells a step says whether there is a space.
import type { Lattice } from './constrained-ctc.js';
import type { CharacterDictionary } from './ctc.js';
import { REC_HEIGHT } from './line-batch.js';
import type { SegmentCell, SegmentLine } from './segment-cells.js';
import { cellLikelihoods } from './segment16.js';
import { drawnAlike, glyphLikelihoods, type SegmentName } from './segment-glyphs.js';
import { readsGlow, seenThroughGlow } from './fuller-glyphs.js';
import { seenAsLookAlike } from './digit-look-alikes.js';
import { middleBarsOfLine } from './split-middle.js';

export interface SegmentReading {
  lattice: Lattice;
  /** The most likely character of each cell. */
  text: string;
  /** Mean probability of the chosen characters. */
  confidence: number;
  /** Cells no glyph explains (two or more segments off); a reading with any is not used. */
  unexplained: number;
  /** Wide gaps between cells (spaces): where a cell lost to glare could hide. 0: the cells abut, their count is the line's. */
  gaps: number;
  /** Spaces that lie under glare too strong to judge: each may hide a cell the glare put out. */
  hidden?: number;
  /** Geometric mean over the cells of the best glyph's likelihood (1: every segment clearly lit or dark). */
  fit: number;
}

/** Weight of the recogniser inside a cell (a floor, so it cannot outvote a segment that is clearly lit or dark). */
const RECOGNISER_FLOOR = 0.1;
/** Share of the recogniser's evidence for a character that a character drawn identically gets. */
const ALIKE_SHARE = 0.5;
/** Exponent on the segments' likelihoods of a cell known only by its narrow shape (an upright): their evidence is weaker. */
const SHAPED_WEIGHT = 0.5;
/** A glyph explains a cell when its likelihood is at least this (about one doubtful segment). */
const EXPLAINED = 0.01;

/** Recogniser steps (of a line of crop width w, height h) whose centre falls within [x0, x1] of the crop. */
export function stepsOver(x0: number, x1: number, w: number, h: number, steps: number): number[] {
  const resized = Math.min(1280, Math.max(8, Math.ceil((REC_HEIGHT * w) / Math.max(1, h))));
  const out: number[] = [];
  for (let t = 0; t < steps; t++) {
    const x = ((8 * t + 4) * w) / resized;
    if (x >= x0 && x <= x1) out.push(t);
  }
  return out;
}

/**
 * A cell known from its shape: mostly what the shape is (1 or I, a dash), but also,
 * much less likely, the glyphs one segment away (glare that put out the lower left
 * segment of an r leaves a dash; a 7 without its top bar is a 1), for the grammar.
 * A lone upright is an I only on seven segments: a fourteen-segment I has its top
 * and bottom bars (a cell as wide as the others), so there it is a 1 (ERR 11, not ERR II).
 */
function shapeLikelihoods(shape: '1' | '-', kind: 7 | 14, beside?: SegmentCell['beside'], cellWide?: SegmentCell['cellWide']): Map<string, number> {
  const lit: Partial<Record<SegmentName, number>> = shape === '1' ? { b: 1, c: 1 } : kind === 7 ? { g: 1 } : { g1: 1, g2: 1 };
  const out = glyphLikelihoods(lit, kind);
  const best = Math.max(...out.values());
  const open = shape === '1' ? [kind === 7 ? ['1', 'I'] : ['1'], fourBeside(beside) || fourBeside(cellWide) ? ['4'] : []].flat() : ['-'];
  for (const c of open) out.set(c, Math.max(best, out.get(c) ?? 0));
  return out;
}

/** Least light of a segment counted as lit (and most of one counted dark) beside a narrow upright. */
const BESIDE_LIT = 0.5;

/**
 * True when the segment positions beside a narrow upright hold the rest of a 4: its upper left upright and the left
 * half of its middle bar lit, the top bar, bottom bar and lower left upright dark. A 4 whose left piece stands apart
 * from its right upright (a sixteen-segment 4 drawn with a gap at the middle bar's centre) leaves that piece too short
 * for a cell, and the upright alone is read as a 1 (F743 read F713): such a cell is a 1 or a 4 alike to its segments,
 * and the recogniser decides. A 1 beside the previous glyph's upright (lit at both left uprights) or a 7's top bar
 * stays a 1. Asked of both samples beside an upright (SegmentCell.beside, cellWide): a 4 as wide as a cell shows its
 * upper left upright only in the one a cell wide.
 */
export function fourBeside(beside: SegmentCell['beside']): boolean {
  if (!beside) return false;
  const v = (s: SegmentName): number => beside[s] ?? NaN;
  const lit = (x: number): boolean => x >= BESIDE_LIT, dark = (x: number): boolean => x < BESIDE_LIT;
  return lit(v('f')) && lit(Math.max(v('g'), v('g1'))) && dark(v('a')) && dark(v('d')) && dark(v('e'));
}

/** Most light of a segment position beside a narrow upright for it to count as clearly dark (a ghost segment samples lower). */
const BESIDE_DARK = 0.3;
/** The positions a 1 leaves dark in its cell: the three bars and both left uprights (g1, a split middle bar's left half). */
const NOT_A_ONE: readonly SegmentName[] = ['a', 'd', 'e', 'f', 'g', 'g1'];

/**
 * True when a narrow upright's cell sampled a whole cell wide (SegmentCell.beside) shows every other segment position a
 * 1 leaves dark judged and clearly dark: the cell shows a 1 and nothing more, its segments sampled after all. A fuller
 * glyph the recogniser read there (an 8, a 0) took the cell's unlit ("ghost") segments for lit: E051 on an LCD whose
 * unlit segments show faintly read E058 on the enhanced view. A printed 4 or a slanted 7 taken for an upright leaves ink
 * at one of those positions, and stays known by its shape alone.
 */
export function onlyUprightLit(beside: SegmentCell['beside']): boolean {
  return !!beside && NOT_A_ONE.every((s) => (beside[s] ?? NaN) <= BESIDE_DARK);
}

export function segmentReading(read: SegmentLine, rec: Lattice, dict: CharacterDictionary, cropWidth: number, cropHeight: number): SegmentReading | null {
  // Middle bars drawn in two halves are judged against one another (split-middle.ts).
  const line = middleBarsOfLine(read);
  const classes = rec.classes;
  const blank = 0, space = dict.indexOf(' ');
  const rows: Float32Array[] = [];
  let text = '', confSum = 0, unexplained = 0, logFit = 0;
  const pad = 0.15 * (line.bottom - line.top);
  // Each cell's glyph likelihoods and what the recogniser saw over it, first for the whole line: whether it read glow
  // as light (fuller-glyphs.ts) is the line's to say.
  const cells = line.cells.map((cell) => {
    let likelihood: Map<string, number>;
    if (cell.shape === '1' || cell.shape === '-') likelihood = shapeLikelihoods(cell.shape, line.segments, cell.beside, cell.cellWide);
    else if (cell.shape === '.') likelihood = new Map([['.', 1]]);
    else likelihood = cellLikelihoods(cell, line.segments);
    const steps = stepsOver(cell.x0 - pad, cell.x1 + pad, cropWidth, cropHeight, rec.steps);
    const read = (c: string): number => {
      let p = 0;
      for (const t of steps) {
        const row = rec.offset + t * classes;
        for (const v of new Set([c, c.toLowerCase()])) {
          const k = dict.indexOf(v);
          if (k > 0) p = Math.max(p, rec.probs[row + k]!);
        }
      }
      return p;
    };
    return { cell, likelihood, read };
  });
  const glowing = readsGlow(cells.filter((c) => !c.cell.shape), line.segments);
  for (const { cell, likelihood, read } of cells) {
    if (cell.spaceBefore || rows.length) {
      const r = new Float32Array(classes);
      const ps = cell.spaceBefore ? 0.9 : 0.03;
      if (space > 0) r[space] = ps;
      r[blank] = space > 0 ? 1 - ps : 1;
      rows.push(r);
    }
    const best = Math.max(...likelihood.values());
    // A cell is read from its segments when a glyph explains them and glare left most of them to judge.
    const unjudged = cell.shape ? 0 : Object.values(cell.lit).filter((v) => Number.isNaN(v)).length;
    if (best < EXPLAINED || unjudged > Object.keys(cell.lit).length / 2) unexplained++;
    // A cell known by its shape fits as well as its shape is clear (its alternatives are only there for the grammar).
    if (!cell.shape) logFit += Math.log(Math.max(1e-9, best));
    // What the recogniser saw of a character drawn exactly alike on this display (O for 0) is evidence for it too,
    // a little weaker than its own, so that the grammar decides between the two (E07 under a digits-only code).
    // An 8 the recogniser read on segments glowing unlit, which the cell's segments tell apart, is what it saw of the
    // cell's own glyph (fuller-glyphs.ts: an 8 for a ghost-lit E), on a line where it read glow as light more than
    // once; not for a cell known by its shape alone.
    // And what it saw of a digit drawn one segment from a letter the segments make clearly likelier counts for the
    // letter (digit-look-alikes.ts: an E read 6); not for a cell known by its shape alone either.
    const own = (c: string): number => (cell.shape ? read(c)
      : Math.max(glowing ? seenThroughGlow(c, line.segments, likelihood, read) : read(c), seenAsLookAlike(c, line.segments, likelihood, read)));
    const seen = (c: string): number => Math.max(own(c), ...drawnAlike(c, line.segments).map((o) => ALIKE_SHARE * read(o)));
    const r = new Float32Array(classes);
    let sum = 0, top = '', topP = 0;
    // An upright known by its narrow ink alone had no segment sampled: a glyph one segment away from it (a 7 whose top
    // bar is short or slanted into a diagonal) is told apart by no dark segment, so there the segments' evidence is
    // weighed softer and a sure recogniser's character outweighs it (F977, not F911); an unsure one does not.
    const weight = cell.shape === '1' ? SHAPED_WEIGHT : 1;
    for (const [c, l] of likelihood) {
      const k = dict.indexOf(c);
      if (k <= 0 || l < best * 1e-4) continue;
      const q = (l / best) ** weight * (seen(c) + RECOGNISER_FLOOR);
      r[k] = q;
      sum += q;
      if (q > topP) { topP = q; top = c; }
    }
    if (sum <= 0) return null;
    for (let k = 0; k < classes; k++) r[k] = r[k]! / sum;
    rows.push(r);
    text += (cell.spaceBefore ? ' ' : '') + top;
    confSum += topP / sum;
  }
  if (!rows.length) return null;
  const probs = new Float32Array(rows.length * classes);
  rows.forEach((r, i) => probs.set(r, i * classes));
  return { lattice: { probs, offset: 0, steps: rows.length, classes }, text, confidence: confSum / line.cells.length, unexplained,
    gaps: line.cells.filter((c) => c.spaceBefore).length, hidden: line.cells.filter((c) => c.glareBefore).length, fit: Math.exp(logFit / line.cells.length) };
}
