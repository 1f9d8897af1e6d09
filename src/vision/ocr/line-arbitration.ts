// Choosing a line's reading. Two readers see each line: PP-OCR's recogniser
// (its greedy text and its lattice) and, on segment displays, the segment
// reader (segment-cells.ts: which segments of each cell are lit). This file
// decides which one speaks for the line, and decodes the chosen lattice under
// the line grammar (alarm codes, statuses) with the segment-confusion model
// weighted by how much the crop looks like a segment display.
import type { RgbImage } from '../image.js';
import { greedyReading, type Lattice } from './constrained-ctc.js';
import type { CharacterDictionary, DecodedLine } from './ctc.js';
import { cleanDisplayText, snapToVocabulary } from './display-text.js';
import { statusByItself, type LineGrammar, type LineReading } from './line-grammar.js';
import { changedChars } from './reading-edits.js';
import { segmentLikelihood } from './segment-confusion.js';
import { readSegmentCells, type SegmentLine } from './segment-cells.js';
import { cellsNameOtherLetter } from './split-lines.js';
import { onlyUprightLit, segmentReading, stepsOver } from './segment-lattice.js';
import { codeOfUnreadCells } from './unread-cells.js';
import { darkSegmentDigits, statusDigitsMoved } from './dark-segment-digits.js';
import { lineGhosts, type InnerGhost, type LineGhosts } from './ghost-characters.js';
import { ghostsPastCells } from './unlit-ends.js';
import { prefixLetterCode } from './prefix-letter.js';
import { withSkippedDash } from './skipped-dash.js';
import { digitOnStem, lettersOnDigitCells, withStemLetter } from './digit-cell-letters.js';
import { withDoubledLetter } from './doubled-letter.js';
import { cellsWithRecognisedDigits } from './char-merge.js';
import { withRecognisedDashes } from './recognised-dash.js';
import { romCheckedDigits } from './dot-rom-checked.js';
import { romDigitCode } from './dot-rom-digits.js';
import { romLetterCode } from './dot-rom-letters.js';
import { withMissedCell } from './missed-cell.js';
import { withRecognisedPoint } from './recognised-point.js';
import { withCellLetterDoubt } from './cell-letter-doubt.js';
import { refutedCodeAsText } from './refuted-code.js';
import { alnumCount, characters, glyphCount, glyphCutInTwo, SEGMENT_FIT, segmentsSpeak, WEAK_SEGMENT_FIT } from './arbitration-rules.js';
import { getLogger } from '../../system/logger.js';

const log = getLogger('vision.ocr');

// The arbitration rules, for the callers and tests that weigh the readers themselves.
export { cellsNameGuessedLetters, glyphCutInTwo, guessedReading, readsDarkSegments, recogniserStands, segmentsSpeak } from './arbitration-rules.js';

export interface Recognised { greedy: DecodedLine; lattice: Lattice }

/** What a line says, before its box is attached (panel-reader.ts adds the box and the view). */
export interface LineInterpretation {
  text: string;
  confidence: number;
  /** The recogniser's raw output when clean-up, a grammar or vocabulary snapping changed it. */
  raw?: string;
  reading?: LineReading;
  /** How much the crop looks like a segment display, 0..1. */
  segment: number;
  /** What the segment reader saw cell by cell, when it decided the reading. */
  cells?: string;
  /** The display the cells were read as, seven or fourteen segments, where they decided the reading. */
  cellsKind?: 7 | 14;
  /**
   * The letters clear segment cells spell on a line of letters only whose reading the recogniser kept (RLM, cells
   * ALM): a code's prefix split from its number is joined with it by these too (split-lines.ts).
   */
  cellLetters?: { text: string; confidence: number };
  /** Another view read this code, neither clearly better (view-codes.ts), or unweighed cells refute it (refuted-code.ts): no code is reported. */
  codeInDoubt?: string;
}

export interface InterpretOptions {
  vocabulary?: readonly string[];
  grammar?: LineGrammar;
  /** Let the segment reader read segment displays (default true; needs a grammar). */
  segmentCells?: boolean;
  /** The line is a dot-matrix display (dot-matrix.ts): no segment reader, no segment look-alikes. */
  dotMatrix?: boolean;
}

/** A line whose code a dot-matrix line's dots spell (`code`), the recogniser's reading kept as its raw text. */
export function readByDots(code: string, recognised: Recognised, grammar: LineGrammar): LineInterpretation {
  const reading = grammar.classifyText(code, recognised.greedy.confidence);
  const raw = recognised.greedy.text.trim();
  return { text: reading.text, confidence: reading.confidence, segment: 0, reading: { ...reading, raw: cleanDisplayText(raw), changed: changedChars(raw, code) }, raw };
}

/** Confusion-model weight on printed text and on a clear segment display. */
const CONFUSION_TEXT = 0.04, CONFUSION_SEGMENT = 0.3;
/** One recognised line → text and, under a grammar, what it is. */
export function interpretLine(crop: RgbImage, recognised: Recognised, dict: CharacterDictionary, options: InterpretOptions): LineInterpretation {
  // Letters read on a dot-matrix character ROM's digits (a slashed zero read D or G) are the digits the dots spell, where
  // that makes the line a code (dot-rom-digits.ts).
  const rom = options.grammar ? romDigitCode(crop, recognised.greedy.text, options.grammar) : null;
  // A bare number whose leading cells are a letter's dots (A36 read 836) is the code those dots spell (dot-rom-letters.ts):
  // the dots decide, the lattice that read the digits does not get to make a status value of it again.
  // Not on a line whose every cell a segment glyph table explains clearly: its strokes are segments, and a segment A with
  // its ghost inner segments sampled as 5×7 dots passes for the ROM's A (ALM 85 read 88088 was reported A8088).
  // The segment cells, read once for that check and for the reading below.
  let cells: SegmentLine | null | undefined;
  const cellsOf = (): SegmentLine | null => (cells === undefined ? (cells = readSegmentCells(crop)) : cells);
  const letters = options.grammar && !rom ? romLetterCode(crop, recognised.greedy.text, options.grammar) : null;
  if (letters && !(!options.dotMatrix && (options.segmentCells ?? true) && cellsExplain(cellsOf(), recognised.lattice, dict, crop, SEGMENT_FIT))) {
    return readByDots(letters, recognised, options.grammar!);
  }
  // A dot-matrix line's digit read as another digit (a slashed zero read 8) is the digit its dots spell (dot-rom-checked.ts).
  const checked = options.grammar && options.dotMatrix && !rom ? romCheckedDigits(crop, recognised.greedy.text) : recognised.greedy.text;
  if (checked !== recognised.greedy.text && options.grammar!.alarmCode(checked)) return readByDots(checked, recognised, options.grammar!);
  const rec = rom ? { ...recognised, greedy: { ...recognised.greedy, text: rom } } : recognised;
  const rawText = rec.greedy.text.trim();
  const chars = alnumCount(rawText);
  const grammar = options.grammar;
  // A dot-matrix line is drawn with dots, not segments: its dots would pass for many broken segments, and the cells
  // a segment glyph table happens to fit (a dot-matrix RPM read as C7) are no reading of it.
  const cellsRead = !!grammar && !!rawText && (options.segmentCells ?? true) && !options.dotMatrix;
  const read = cellsRead ? cellsOf() : null;
  // A dash the cells saw too faint for a cell where the recogniser read a mark is a dash cell (recognised-dash.ts).
  const line = read ? withRecognisedDashes(withoutEdgeUprights(read, rec.lattice, crop.width, crop.height, rawText), rec.lattice, dict, crop.width, crop.height) : null;
  const segment = options.dotMatrix ? 0 : Math.round(segmentLikelihood(crop, chars, line) * 100) / 100;
  // The spaces the segment reader found between two words, where an unlit cell may lie.
  const spaces = (line?.cells ?? []).flatMap((c, i) => (i > 0 && c.spaceBefore ? [[line!.cells[i - 1]!.x1, c.x0] as const] : []));
  // Found only where a reading needs them (withoutGhosts, the cells' count below).
  const ghosts: LineGhosts | null = grammar && rawText ? lineGhosts(crop, rec.lattice, dict, spaces) : null;
  // A bare number whose first cell shows a code's letter (prefix-letter.ts); a code's dash the recogniser skipped (skipped-dash.ts).
  const lettered = (r: LineReading): LineReading => withSkippedDash((grammar ? prefixLetterCode(r, line, rec.lattice, dict, grammar, crop.width, crop.height, segment) : null) ?? r, line, grammar);
  if (grammar && cellsRead) {
    // A segment display whose every cell a glyph explains is read from its lit segments, the recogniser
    // deciding only between characters drawn alike (segment-lattice.ts).
    const seg = line && line.cells.length >= 2 ? segmentReading(line, rec.lattice, dict, crop.width, crop.height) : null;
    if (seg && seg.unexplained === 0 && seg.fit >= WEAK_SEGMENT_FIT) {
      let bySegments = grammar.readLine(seg.lattice, dict, { text: seg.text, confidence: seg.confidence }, { confusion: 0, segment: 1, cells: true });
      const byRecogniser = withoutGhosts(recogniserReading(grammar, rec, dict, rawText, segment), rec, dict, grammar, segment, ghosts!);
      // Unlit cells the recogniser read between the line's words are no characters the cells could have missed.
      const glyphCells = line!.cells.filter((c) => c.shape !== '.');
      const shaped = glyphCells.map((c) => c.shape === '1');
      // Uprights whose whole cell shows every other segment dark: 1s their segments tell (segment-lattice.ts onlyUprightLit).
      const darkBeside = glyphCells.map((c) => c.shape === '1' && onlyUprightLit(c.beside));
      // Nor are unlit cells it read past the cells' ends (unlit-ends.ts), looked for only where the cells count fewer.
      let own = chars - ghosts!.inner().length;
      if (alnumCount(seg.text) < own) own -= ghostsPastCells(ghosts!.ends(), line, crop.width, crop.height, rec.lattice.steps);
      // Nor do the cells speak for a digit they read where the recogniser read a letter over a centre stem (digit-cell-letters.ts).
      if (segmentsSpeak({ ...seg, split: glyphCutInTwo(line!), segments: line!.segments, shaped, darkBeside, likely: segment }, own, bySegments, byRecogniser, rec.greedy.confidence)
        && !digitOnStem(bySegments, rawText, line)) {
        // A digit the recogniser read surely where a cell, its telling segments unclear, shows another (char-merge.ts).
        const merged = cellsWithRecognisedDigits(seg, line!, rec.lattice, dict, crop.width, crop.height);
        const remade = merged ? grammar.readLine(merged.lattice, dict, { text: merged.text, confidence: seg.confidence }, { confusion: 0, segment: 1, cells: true }) : null;
        if (remade && remade.kind === bySegments.kind && characters(remade.text) === characters(bySegments.text)) {
          log.debug('recognised digits over cells', { cells: bySegments.text, merged: remade.text });
          bySegments = remade;
        }
        // A glyph the recogniser read where the cells saw a space, glare having put out the cell (missed-cell.ts).
        const filled = withMissedCell(seg, line!, bySegments, ghosts!.spaceGlyphs(), own, dict, grammar);
        if (filled) {
          log.debug('missed cell', { cells: bySegments.text, filled: filled.text });
          bySegments = filled;
        }
        // A decimal point the recogniser read between the very digits the cells read without it (recognised-point.ts).
        const pointed = withRecognisedPoint(bySegments, rawText, grammar);
        if (pointed) {
          log.debug('recognised point', { cells: bySegments.text, pointed: pointed.text });
          bySegments = pointed;
        }
        // A letter the cells read over another the recogniser read, the cell showing it by nothing clear: no code (cell-letter-doubt.ts).
        bySegments = withCellLetterDoubt(bySegments, rawText, line!, seg.text);
        return { text: bySegments.text, confidence: bySegments.confidence, segment: Math.max(segment, 0.5), reading: { ...bySegments, raw: cleanDisplayText(rawText), rawConfidence: rec.greedy.confidence },
          cells: seg.text, cellsKind: line!.segments, ...(bySegments.text !== rawText ? { raw: rawText } : {}) };
      }
      // A letter the cells read twice in a row that the recogniser read once (doubled-letter.ts).
      // A T's stem the recogniser read as a 1 after the code's letters (digit-cell-letters.ts withStemLetter).
      const kept = fromRecogniser(withStemLetter(withDoubledLetter(lettered(withDarkSegmentDigits(lettersOnDigitCells(byRecogniser, rawText, line, grammar), line, rec, dict, grammar, segment, ghosts!, crop)), seg.text, grammar), rawText, line, grammar), rawText, segment, options.vocabulary, null);
      const letters = seg.text.trim();
      return seg.fit >= SEGMENT_FIT && cellsNameOtherLetter(letters, rawText) ? { ...kept, cellLetters: { text: letters, confidence: seg.confidence } } : kept;
    }
  }
  // A display the recogniser read nothing on: its cells, where they clearly spell a code (unread-cells.ts).
  if (grammar && !rawText && (options.segmentCells ?? true) && !options.dotMatrix) {
    const code = codeOfUnreadCells(crop, rec.lattice, dict, grammar);
    if (code) return { text: code.reading.text, confidence: code.reading.confidence, segment: 1, reading: { ...code.reading, raw: '' }, cells: code.cells };
  }
  if (grammar && rawText) {
    const byRecogniser = withoutGhosts(recogniserReading(grammar, rec, dict, rawText, segment), rec, dict, grammar, segment, ghosts!);
    return fromRecogniser(lettered(withDarkSegmentDigits(lettersOnDigitCells(byRecogniser, rawText, line, grammar), line, rec, dict, grammar, segment, ghosts!, crop)), rawText, segment, options.vocabulary, line);
  }
  const cleaned = cleanDisplayText(rawText);
  const { text } = options.vocabulary?.length ? snapToVocabulary(cleaned, options.vocabulary) : { text: cleaned };
  return { text, confidence: rec.greedy.confidence, segment, ...(text !== rawText ? { raw: rawText } : {}) };
}

/** True when a glyph table explains every segment cell of `line` and fits them at least `least`. */
function cellsExplain(line: SegmentLine | null, lattice: Lattice, dict: CharacterDictionary, crop: RgbImage, least: number): boolean {
  const seg = line && line.cells.length >= 2 ? segmentReading(line, lattice, dict, crop.width, crop.height) : null;
  return !!seg && seg.unexplained === 0 && seg.fit >= least;
}

/**
 * True when the segment reader reads the line itself: every cell a glyph explains and fits at least weakly, as
 * interpretLine requires before it weighs the cells. Such a line is the cells' and the recogniser's to decide; a
 * second view's reading (lit-view.ts) would only take it from the cells (FLT 77 read FLT99 on its lit strokes).
 */
export function segmentsRead(crop: RgbImage, lattice: Lattice, dict: CharacterDictionary, dotMatrix: boolean): boolean {
  return !dotMatrix && cellsExplain(readSegmentCells(crop), lattice, dict, crop, WEAK_SEGMENT_FIT);
}

/** The recogniser's lattice decoded under the grammar, the confusion model weighted by how segmented the crop looks. */
function recogniserReading(grammar: LineGrammar, rec: Recognised, dict: CharacterDictionary, rawText: string, segment: number): LineReading {
  const confusion = CONFUSION_TEXT + (CONFUSION_SEGMENT - CONFUSION_TEXT) * segment;
  return grammar.readLine(rec.lattice, dict, { text: rawText, confidence: rec.greedy.confidence }, { confusion, segment });
}

/**
 * The reading of the lattice without the characters the recogniser read on no glyph of the line: at either end (a
 * ghost cell, an edge) or between two of its words (an unlit cell read 8: ghost-characters.ts), where that is an alarm
 * code; the same reading otherwise. Only a reading that may be a code is looked at (a status by itself is read whole).
 */
function withoutGhosts(reading: LineReading, rec: Recognised, dict: CharacterDictionary, grammar: LineGrammar, segment: number, ghosts: LineGhosts): LineReading {
  if (statusByItself(reading) || !/\d/.test(reading.text)) return reading;
  const ends = ghosts.ends(), inner = ghosts.inner();
  if (!ends && !inner.length) return reading;
  const own = withoutInnerGhosts(rec.lattice, dict, inner, ends?.from ?? 0, ends?.to ?? rec.lattice.steps);
  const greedy = greedyReading(own, dict);
  const trimmed = recogniserReading(grammar, { greedy, lattice: own }, dict, greedy.text.trim(), segment);
  log.debug('ghost characters', { read: reading.text, without: trimmed.text, kind: trimmed.kind, lead: ends?.lead, trail: ends?.trail, inner: inner.length });
  if (trimmed.kind === 'alarm') return { ...trimmed, raw: reading.raw, changed: (trimmed.changed ?? 0) + (ends?.lead ?? 0) + (ends?.trail ?? 0) + inner.length };
  // A code only with the ghosts is the status the line's own characters make (226 read A8226 over unlit dot cells).
  return reading.kind === 'alarm' && trimmed.kind === 'status' ? { ...trimmed, raw: reading.raw } : reading;
}

/**
 * The lattice's steps [from, to) with each inner ghost's steps read as a space (the dark cell between two words) and
 * blanks around it; a view into the lattice where there is no inner ghost.
 */
function withoutInnerGhosts(l: Lattice, dict: CharacterDictionary, inner: InnerGhost[], from: number, to: number): Lattice {
  if (!inner.length) return { ...l, offset: l.offset + from * l.classes, steps: to - from };
  const probs = l.probs.slice(l.offset + from * l.classes, l.offset + to * l.classes);
  const space = dict.indexOf(' ');
  for (const g of inner) {
    for (let t = Math.max(from, g.from); t < Math.min(to, g.to); t++) {
      const row = probs.subarray((t - from) * l.classes, (t - from + 1) * l.classes);
      row.fill(0);
      row[t === g.t && space > 0 ? space : 0] = 1;
    }
  }
  return { probs, offset: 0, steps: to - from, classes: l.classes };
}

/**
 * The recogniser's code or status with each digit it read over a cell that clearly shows another digit (the
 * recogniser's extra segments dark there: ghosts or a variant glyph taken for lit; or segments it missed lit there: a
 * bar blurred away), one the recogniser gave some probability too (dark-segment-digits.ts), read as the cell's digit,
 * where a code is still a code of as many characters and a status the same status, only its value's digits other
 * (statusDigitsMoved); the same reading otherwise. A status never becomes a code.
 */
function withDarkSegmentDigits(reading: LineReading, line: SegmentLine | null, rec: Recognised, dict: CharacterDictionary, grammar: LineGrammar,
  segment: number, ghosts: LineGhosts, crop: RgbImage): LineReading {
  if ((reading.kind !== 'alarm' && reading.kind !== 'status') || !line) return reading;
  const lattice = darkSegmentDigits(line, rec.lattice, dict, crop.width, crop.height);
  if (!lattice) return reading;
  const greedy = greedyReading(lattice, dict);
  const swapped = { greedy, lattice };
  const read = withoutGhosts(recogniserReading(grammar, swapped, dict, greedy.text.trim(), segment), swapped, dict, grammar, segment, ghosts);
  if ((reading.kind === 'alarm' ? read.kind !== 'alarm' : !statusDigitsMoved(reading, read)) || characters(read.text) !== characters(reading.text)) return reading;
  const moved = changedChars(read.text, reading.text);
  log.debug('dark-segment digits', { read: reading.text, cells: read.text, moved });
  return { ...read, raw: reading.raw, changed: (read.changed ?? 0) + moved };
}

function fromRecogniser(reading: LineReading, rawText: string, segment: number, vocabulary: readonly string[] | undefined, line: SegmentLine | null): LineInterpretation {
  const text = reading.kind === 'text' && vocabulary?.length ? snapToVocabulary(reading.text, vocabulary).text : reading.text;
  return refutedCodeAsText(reading, rawText, segment, line) ?? { text, confidence: reading.confidence, segment, reading, ...(text !== rawText ? { raw: rawText } : {}) };
}

/** Columns from the crop's end within which an upright's ink runs to that end. */
const EDGE_MARGIN = 2;
/** Share of an upright's cell, at its right end, that its own ink (a stroke, blur around it) takes at most. */
const UPRIGHT_SHARE = 0.3;

/** Columns around a few columns of ink that reach the recogniser's nearest steps (a step is about h / 6 columns wide). */
function around(c: { x0: number; x1: number }, h: number): { x0: number; x1: number } {
  return { x0: c.x0 - h / 12, x1: c.x1 + h / 12 };
}

/** The columns of an upright's cell (shape '1', placed a whole cell wide ending at its ink) that its ink stands in. */
function edgeUpright(c: { x0: number; x1: number }): { x0: number; x1: number } {
  return { x0: Math.round(c.x1 - UPRIGHT_SHARE * (c.x1 - c.x0 + 1)), x1: c.x1 };
}

/**
 * The line's cells without a lone upright at either end set apart by a space (or, at the last, reaching the crop's
 * end), where the recogniser emitted nothing: a bezel's or window's edge beside the display, not a 1 of the line
 * (1 AL9374 for AL9374).
 */
export function withoutEdgeUprights(line: SegmentLine, l: Lattice, w: number, h: number, recognised = ''): SegmentLine {
  const cells = line.cells.slice();
  const silent = (c: { x0: number; x1: number }): boolean => stepsOver(c.x0, c.x1, w, h, l.steps).every((t) => {
    const row = l.offset + t * l.classes;
    let best = 0;
    for (let k = 1; k < l.classes; k++) if (l.probs[row + k]! > l.probs[row + best]!) best = k;
    return best === 0;
  });
  if (cells.length >= 3 && cells[0]!.shape === '1' && cells[1]!.spaceBefore && silent(cells[0]!)) cells.splice(0, 2, { ...cells[1]!, spaceBefore: false });
  const last = cells[cells.length - 1]!;
  // Or, with no space before it, one whose ink runs to the crop's end: the window's edge the box took in (H19 read H191),
  // or what the box's end left of a glyph it cut through (a T's stem: HOT read HO1, H01). An upright's cell reaches a
  // whole cell left of its ink, over the glyph before it; its own ink is the cell's right end (edgeUpright), and that is
  // where it must stand apart and where the recogniser must have read nothing.
  // (Not when it overlaps an upright before it: two uprights overlapping are one glyph cut in two, not an edge.)
  const prev = cells[cells.length - 2];
  const ink = edgeUpright(last);
  const apart = !!prev && prev.x1 < (prev.shape === '1' ? last.x0 : ink.x0);
  // Not where the recogniser's reading ends in a 1 and holds as many glyphs as the cells with it: it read that 1, its
  // emission only fell a step or two left of the upright's ink (ERR-991 on an over-exposed LED read ERR-99 so).
  // (A dash is a cell of its own, a point not.)
  // Nor where it read another digit there, as many glyphs as the cells, and the upright's whole cell shows every other
  // segment a 1 leaves dark: a 1 whose unlit ("ghost") segments the recogniser took for lit (AL8561 on a red LED read
  // 888568, its last 8 a step left of the 1's ink). A glyph the box cut through, or an edge beside the last glyph,
  // leaves that glyph's segments lit in the cell's reach.
  const sameCount = glyphCount(recognised) === cells.filter((c) => c.shape !== '.').length;
  const readIt = sameCount && (/[1Il|]$/.test(recognised) || (/\d$/.test(recognised) && onlyUprightLit(last.beside)));
  if (cells.length >= 3 && last.shape === '1' && !readIt && (last.spaceBefore || (apart && last.x1 >= w - EDGE_MARGIN)) && silent(last.spaceBefore ? last : around(ink, h))) cells.pop();
  return cells.length === line.cells.length ? line : { ...line, cells };
}
