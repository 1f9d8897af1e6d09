// With a fault catalog the grammar fits every line to the catalog's codes. A code whose box ends inside it fits none
// of them as read: the piece is made into another code or a number (H97 boxed over H9 is read 49, E-154 boxed over
// E-15 is read F-15), and the box-end checks (box-ends.ts) then judge the wrong line — a bare number is widened for
// letters it already has, and the wider reading does not complete the first. Such a line's ends are judged, and its
// wider reading compared, on the line as a reader without the catalog reads it; the wider crop is still read with the
// catalog, so what is taken is a catalog's code or nothing, and no more than a reader without a catalog would take.
// Likewise a dot line's taller crop (cut-dot-rows.ts) that reads a code the catalog does not take, cut short again
// (C-21 read c-2 there), replaces a first reading no grammar takes as it would without the catalog: the taller box's
// end is then read again and completes it, or the line stays no code.
import type { RgbImage } from '../image.js';
import type { CharacterDictionary, DecodedLine } from './ctc.js';
import { joinedDotsReplace } from './doubtful-dots.js';
import { interpretLine, type InterpretOptions, type Recognised } from './line-arbitration.js';
import { LineGrammar } from './line-grammar.js';
import type { OcrLine } from './ocr-line.js';

type ReadLine = Omit<OcrLine, 'box'>;

const generic = new WeakMap<LineGrammar, LineGrammar>();

/** The grammar `g` is, without its catalog: the default code grammar with the same status vocabulary. */
export function withoutCatalog(g: LineGrammar): LineGrammar {
  let d = generic.get(g);
  if (!d) generic.set(g, (d = new LineGrammar({ ...g.opts, alarmPatterns: [] })));
  return d;
}

const compact = (s: string): string => s.replace(/[\s-]/g, '').toUpperCase();

/**
 * The line as read without the catalog, where the catalog's grammar made another code or a number of what the
 * recogniser read as letters and digits and the reading without it is a code; otherwise null (the line is judged as
 * read). Only lines the recogniser read with a letter and a digit are read again, so most lines cost nothing more.
 */
export function readWithoutCatalog(line: ReadLine, crop: RgbImage, recognised: Recognised, dict: CharacterDictionary, read: InterpretOptions): ReadLine | null {
  const g = read.grammar;
  const greedy = recognised.greedy.text;
  if (!g?.usesCatalog || !/\p{L}/u.test(greedy) || !/\d/.test(greedy)) return null;
  if (line.reading?.kind === 'alarm' && compact(line.text) === compact(greedy)) return null;
  const plain = interpretLine(crop, recognised, dict, { ...read, grammar: withoutCatalog(g), dotMatrix: line.dotMatrix !== undefined });
  if (plain.reading?.kind !== 'alarm' || compact(plain.text) === compact(line.text)) return null;
  // (An interpretation carries no view or dot-matrix score: the line's stay.)
  return { ...line, ...plain };
}

/**
 * With a catalog: true when `other`, a reading of the line on a taller crop, replaces `current` as it would without the
 * catalog (doubtful-dots.ts joinedDotsReplace), `current` being no code of the catalog's either.
 */
export function cutCodeReplaces(other: DecodedLine, current: DecodedLine, grammar: LineGrammar): boolean {
  return grammar.usesCatalog && grammar.classifyText(current.text, current.confidence).kind !== 'alarm'
    && joinedDotsReplace(other, current, withoutCatalog(grammar));
}
