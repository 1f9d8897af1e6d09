// A code the recogniser read on a seven-segment line whose own cells clearly show other characters. The recogniser
// reads a status word drawn in segments as a code when its letters resemble a code's marks: PrES 3.8 under a glare
// read P-65 38, the r (its lower left upright and middle bar) taken for a dash and the E (no right uprights) for a 6,
// and the line, its glared 3 left unexplained by the cells, was reported as the code P-6538 from a status frame. A
// code is reported only where the line's cells do not refute it: where two or more different characters of it stand
// over cells that each split clearly into lit and dark positions (cell-letters.ts clearSplit) in a pattern that
// contradicts every drawing of that character, the reading is no code. One such character is not enough (a font may
// draw a character in a way the tables do not list, and a glare wash can take one bar); a cell whose positions do not
// split clearly (ghost segments glowing, glare) says nothing either way, and neither does a position dark in every
// cell of the line (a bar the box cut off). Asked only of a line whose cells the segment reader could not weigh
// against the recogniser (a cell no glyph explains: line-arbitration.ts): where every cell is explained and the
// arbitration kept the recogniser's reading, the cells were heard (a printed ERR 06 whose R's sample as a segment A
// and whose dotted 0 as an 8 stays ERR 06).
import { clearSplit, LIT_ELSEWHERE, sevenOf } from './cell-letters.js';
import { getLogger } from '../../system/logger.js';
import type { LineReading } from './line-grammar.js';
import type { SegmentLine } from './segment-cells.js';
import { GLYPHS_7, SEGMENTS_7, type SegmentName } from './segment-glyphs.js';

/** How many different characters of a code its cells must refute before the line is no code. */
const LEAST_REFUTED = 2;
/** Least segment likelihood of a line whose cells may refute its code. */
const SURE_SEGMENT = 0.9;

/** Every seven-segment drawing the tables know, once. */
const PATTERNS = [...new Set(Object.values(GLYPHS_7).flat())];

/** A reading's characters as they stand in the line's cells: no spaces, no decimal points (no cell of their own). */
const codeCharacters = (reading: LineReading): string[] => [...reading.text.replace(/[\s.]+/g, '').toUpperCase()];

/** The drawing a cell clearly shows, where exactly one pattern splits its positions clearly; null otherwise. */
function clearPattern(v: NonNullable<ReturnType<typeof sevenOf>>): string | null {
  const fits = PATTERNS.filter((p) => clearSplit(v, p) !== null);
  return fits.length === 1 ? fits[0]! : null;
}

/**
 * The characters of an alarm reading, one for one with the line's glyph cells (decimal points are no cells), that
 * stand over a cell clearly showing a drawing the character never has, every drawing of it contradicted by what the
 * line shows: the cell lights a position the drawing leaves dark, or leaves dark one the drawing needs where another
 * cell of the line shows that position lit. A position dark in every cell says nothing: a box that cut the top bar off
 * every glyph leaves an E a t and a 0 a U (E092 stays a code). Empty when the reading is no alarm, the line is not
 * seven segments, or the counts differ (no one-for-one reading is possible).
 */
export function refutedCodeCharacters(reading: LineReading, line: SegmentLine | null): number[] {
  if (reading.kind !== 'alarm' || !line || line.segments !== 7) return [];
  const chars = codeCharacters(reading);
  const cells = line.cells.filter((c) => c.shape !== '.');
  if (chars.length !== cells.length) return [];
  const seven = cells.map((c) => (c.shape ? null : sevenOf(c)));
  return chars.flatMap((ch, i) => {
    const v = seven[i], drawings = GLYPHS_7[ch];
    const p = v && drawings ? clearPattern(v) : null;
    if (p === null || drawings!.includes(p)) return [];
    const litElsewhere = (s: SegmentName): boolean => seven.some((o, j) => j !== i && !!o && o[s] >= LIT_ELSEWHERE);
    const contradicted = (d: string): boolean => SEGMENTS_7.some((s) => (p.includes(s) && !d.includes(s)) || (d.includes(s) && !p.includes(s) && litElsewhere(s)));
    return drawings!.every(contradicted) ? [i] : [];
  });
}

/**
 * True when the line's cells refute at least LEAST_REFUTED different characters of the code (a letter repeated, the RR
 * of ERR, counts once: a font may draw it in a way the tables do not list) on a line that surely looks like a segment
 * display (`segment`, segment-confusion.ts: a dot-matrix line the segment test half takes has its dots sampled as
 * segments, and its R and 4 split clearly into drawings they never have).
 */
export function cellsRefuteCode(reading: LineReading, line: SegmentLine | null, segment: number): boolean {
  return refutedLetters(reading, line, segment).size >= LEAST_REFUTED;
}

/** The different characters of the code its cells refute, on a line sure to be a segment display. */
function refutedLetters(reading: LineReading, line: SegmentLine | null, segment: number): Set<string> {
  if (segment < SURE_SEGMENT) return new Set();
  const chars = codeCharacters(reading);
  return new Set(refutedCodeCharacters(reading, line).map((i) => chars[i]!));
}

/**
 * The interpretation of a line whose code its cells refute: the recogniser's reading kept as text, the code in doubt,
 * so that no code is reported from the line; null where the cells do not refute it.
 */
export function refutedCodeAsText(reading: LineReading, rawText: string, segment: number, line: SegmentLine | null):
  { text: string; confidence: number; segment: number; reading: LineReading; codeInDoubt: string; raw?: string } | null {
  const refuted = refutedLetters(reading, line, segment);
  if (refuted.size < LEAST_REFUTED) return null;
  getLogger('vision.ocr').debug('cells refute the code', { read: reading.text, refuted: [...refuted].join('') });
  return { text: reading.text, confidence: reading.confidence, segment, reading: { ...reading, kind: 'text' }, codeInDoubt: reading.code ?? '',
    ...(reading.text !== rawText ? { raw: rawText } : {}) };
}
