// A dash the cells lost and the recogniser saw. Where the segment reader reads
// a line it replaces the recogniser's characters with its cells', and a dash
// too faint to be a cell (gap-dash.ts: a fourteen-segment middle bar thinned by
// blur) leaves only a space between the code's letters and digits (E-911 read
// E 911, ERR-177 read ERR 177). The recogniser, reading the glyphs as a whole,
// often still emits a mark there, a dash or, blurred, a dot (ERR.199). A space
// whose gap shows a faint flat stroke at middle height where the recogniser
// read a mark is that dash: it becomes a dash cell, so the line's reading keeps
// it, whatever the recogniser made of the glyphs around it.
import type { Lattice } from './constrained-ctc.js';
import type { CharacterDictionary } from './ctc.js';
import type { SegmentCell } from './segment-cell.js';
import type { SegmentLine } from './segment-cells.js';
import { stepsOver } from './segment-lattice.js';

/** Marks the recogniser emits for a dash it saw (a blurred one passes for a dot, a thin one for an underscore). */
const MARKS = ['-', '.', '_', '~', '·', '—', '–', '－'];
/** Least probability of the marks together at one recogniser step over the gap for the recogniser to have read one. */
const MARK_READ = 0.5;

/** True when the recogniser read a mark at some step whose centre falls in [x0, x1] of the crop. */
export function markReadIn(l: Lattice, dict: CharacterDictionary, x0: number, x1: number, w: number, h: number): boolean {
  const ks = MARKS.map((m) => dict.indexOf(m)).filter((k) => k > 0);
  return stepsOver(x0, x1, w, h, l.steps).some((t) => {
    const row = l.offset + t * l.classes;
    let p = 0;
    for (const k of ks) p += l.probs[row + k]!;
    return p >= MARK_READ;
  });
}

/**
 * The line with a dash cell in each space that shows a faint dash (SegmentCell.dashBefore) where the recogniser read
 * a mark; the line itself when there is none. The cached line is not written into.
 */
export function withRecognisedDashes(line: SegmentLine, l: Lattice, dict: CharacterDictionary, w: number, h: number): SegmentLine {
  const widths = line.cells.filter((c) => !c.shape).map((c) => c.x1 - c.x0 + 1).sort((a, b) => a - b);
  const cw = widths.length ? widths[widths.length >> 1]! : line.bottom - line.top;
  const cells: SegmentCell[] = [];
  for (const c of line.cells) {
    const prev = cells[cells.length - 1];
    // A narrow upright's cell reaches a cell's width left of its ink, over part of the gap.
    const end = c.shape === '1' ? (c.x0 + c.x1) / 2 : c.x0;
    if (prev && c.dashBefore && c.spaceBefore && markReadIn(l, dict, prev.x1, end, w, h)) {
      const mid = (prev.x1 + end) / 2;
      cells.push({ x0: Math.round(mid - cw / 2), x1: Math.round(mid + cw / 2), lit: {}, shape: '-', spaceBefore: false });
      const { dashBefore: _d, glareBefore: _g, ...rest } = c;
      cells.push({ ...rest, spaceBefore: false });
    } else cells.push(c);
  }
  return cells.length === line.cells.length ? line : { ...line, cells };
}
