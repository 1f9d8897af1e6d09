// Two views of one line that read different alarm codes. The enhanced view of a
// crop is read by the same recogniser as the plain one, so their confidences
// differ by noise: a few hundredths decide nothing. Where the plain view's code
// was decided by the segment cells (every cell a glyph explains: line-arbitration.ts),
// a code only a little surer on the enhanced view does not replace it (FLT 05,
// read so by the cells, lost to the enhanced view's f11 05 at 0.743 against 0.710
// and reported F1105). Where two views read two codes, neither decided by the
// cells nor clearly surer, neither is reported: a wrong code is worse than none
// for a technician.
import type { LineInterpretation } from './line-arbitration.js';

/** Confidence by which another view's code must beat a code the cells decided to replace it. */
export const CLEARLY_SURER_CODE = 0.1;

/** The alarm code a line's interpretation reports (characters only), or null when it reports none. */
export function codeOf(i: LineInterpretation): string | null {
  const r = i.reading;
  return r?.kind === 'alarm' ? (r.code ?? r.text).replace(/[\s-]+/g, '').toUpperCase() : null;
}

/**
 * What to do with another view's reading (`other`, recognised at `otherConf`) of a line whose first interpretation is
 * `first` (recognised at `firstConf`), once the view rules would take it: 'take' it; 'keep' the first, a code the
 * cells decided that the other view, only a little surer, would change; or 'neither', two codes, neither clearly
 * better.
 */
export function otherCodeVerdict(other: LineInterpretation, first: LineInterpretation, otherConf: number, firstConf: number): 'take' | 'keep' | 'neither' {
  const a = codeOf(other), b = codeOf(first);
  if (b === null || a === b) return 'take';
  if (otherConf >= firstConf + CLEARLY_SURER_CODE) return 'take';
  if (first.cells !== undefined) return 'keep';
  // Two codes, neither decided by the cells nor clearly surer than the other (FLT 00 under glare: L100 on the plain
  // view, A1 00 on the enhanced one): neither is reported.
  return a !== null ? 'neither' : 'take';
}

/** The first interpretation, reported as text with `other`'s code in doubt against it: no code is reported from it. */
export function withoutCode(i: LineInterpretation, other: LineInterpretation): LineInterpretation {
  return { ...i, ...(i.reading ? { reading: { ...i.reading, kind: 'text' as const } } : {}), codeInDoubt: codeOf(other) ?? '' };
}
