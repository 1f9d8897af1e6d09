// The rules by which the two readers of a segment display are weighed
// against each other (line-arbitration.ts asks them): whether the segment
// cells speak for a line (segmentsSpeak), whether the recogniser's reading
// stands against them (recogniserStands), and the tests both lean on — a
// reading the grammar guessed, cells that cut a glyph in two, a reading that
// shows segments the cells see dark. Pure functions of the two readings and
// the cells; no pixels and no models here.
import { statusByItself, type LineReading } from './line-grammar.js';
import { changedChars } from './reading-edits.js';
import type { SegmentLine } from './segment-cells.js';
import type { SegmentReading } from './segment-lattice.js';
import { GLYPHS_14, GLYPHS_7, glyphShapes, onlyAlikeChanged } from './segment-glyphs.js';
import { cellsRefuteStatus } from './refuted-status.js';
import { getLogger } from '../../system/logger.js';

const log = getLogger('vision.ocr');

/** Least mean glyph fit for the segment reader's reading to be used (printed text fits worse than 0.35). */
export const SEGMENT_FIT = 0.35;
/** Least glyph fit of a segment reading that may still speak for a line the recogniser read no code in. */
export const WEAK_SEGMENT_FIT = 0.2;
/**
 * Greedy confidence at which the recogniser's own grammatical reading outweighs the segment reader's. Its slips on
 * segment displays that still parse (Er-08 for ERR 08, A88 96 for ERR 96) come at 0.7-0.9; on dot-matrix and
 * printed fonts it reads codes at 0.99 and more.
 */
const SURE_RECOGNISER = 0.95;
/** Greedy confidence at which the recogniser's grammatical reading outweighs cells the grammar had to change. */
const FAIRLY_SURE_RECOGNISER = 0.85;

/**
 * Whether the segment reader's reading speaks for the line. It does when it is clear and the recogniser's reading
 * does not stand against it (recogniserStands). It is clear when its glyphs fit well and it finds at least as many
 * characters as the recogniser (a cell lost to glare is not a reading), or its cells abut, leaving no room for a lost
 * one (the recogniser may read one glyph as two). A less clear reading (glare, ghost segments) still speaks when its
 * cells spell a code as they are and the recogniser read no code or named status there at all (a bare number, an 8
 * for every cell). Cells with a space under glare that show fewer characters than the recogniser read never speak:
 * the glare may have put a cell out; nor do fewer cells that spell only a bare number.
 */
export function segmentsSpeak(seg: Pick<SegmentReading, 'fit' | 'gaps' | 'text' | 'unexplained' | 'hidden'> & { split?: boolean; segments?: 7 | 14; shaped?: readonly boolean[];
  darkBeside?: readonly boolean[]; likely?: number },
  recognisedChars: number,
  bySegments: LineReading, byRecogniser: LineReading, recogniserConfidence: number): boolean {
  if (seg.unexplained > 0 || seg.fit < WEAK_SEGMENT_FIT) return false;
  // What the recogniser read as a status by itself (a named one, a clock, a value with a unit) is not turned into an
  // alarm by the cells: a status line misread cell by cell (LOAD 60% as L083, 04:43 as C443) is a false alarm, where a
  // code the recogniser misread as a status would need a whole status word it did not see.
  // A status the grammar made only by changing two or more of the recogniser's characters, less sure than the cells'
  // code read as it is, is no status the recogniser read (FLE851 bent into FEED 51 on a display whose cells read FLT 57).
  // Nor is a status whose changed letters clear cells show as other letters, the code's (refuted-status.ts: A05 read
  // ROS, made POS, its first cell lighting an A): that status is the grammar's guess, and no count of agreeing
  // characters below weighs it against the cells.
  const refuted = seg.fit >= SEGMENT_FIT && cellsRefuteStatus(byRecogniser, bySegments, seg.text);
  if (statusByItself(byRecogniser) && bySegments.kind === 'alarm' && !guessedReading(byRecogniser, bySegments) && !refuted) return false;
  const clear = seg.fit >= SEGMENT_FIT && (seg.gaps === 0 || seg.text.replace(/[\s.]/g, '').length >= recognisedChars);
  // Cells closer than the display's pitch are one glyph cut in two (the two uprights of an H read as 1 1): the cells
  // miscount the line, and a code or named status the recogniser read there stands.
  if (seg.split && grammatical(byRecogniser)) return false;
  // Cells that are all lone uprights, more of them than the characters the recogniser read, are the uprights of its
  // glyphs, their bars lost (a slanted A18 under motion blur, its bars faint, read as five uprights 1111I): they count
  // strokes, not glyphs, and a code or named status the recogniser read there stands.
  if (seg.shaped?.length && seg.shaped.every(Boolean) && seg.shaped.length > recognisedChars && grammatical(byRecogniser)) {
    log.debug('cells count uprights', { cells: seg.text, read: byRecogniser.text });
    return false;
  }
  // A space under glare may hide a cell the glare put out (F458 read F 58): cells that show fewer characters than the
  // recogniser saw there do not speak for the line.
  if ((seg.hidden ?? 0) > 0 && alnumCount(seg.text) < recognisedChars) return false;
  // Fewer cells than the recogniser's characters are a glyph it read as two only when they spell something: cells
  // that spell a bare number (the uprights of 8982 split off as 111) do not outvote a longer reading.
  if (alnumCount(seg.text) < recognisedChars && !grammatical(bySegments)) return false;
  // A lone character set apart by a space ahead of exactly what the recogniser read, which read nothing there: an
  // edge or clutter beside the line, not a code's prefix (a status 7 beside a panel's corner is no code C 7).
  const words = seg.text.trim().split(/\s+/);
  if (words.length >= 2 && alnumCount(words[0]!) === 1 && !grammatical(byRecogniser) && compact(words.slice(1).join('')) === compact(byRecogniser.raw)) return false;
  // Both readers' texts are evidence: where each side's grammatical reading differs, the one closer to what the two
  // readers saw (fewer characters changed against both) wins (RLM 44 and cells ALH 44: ALM 44, not AL444).
  if (clear && !refuted && grammatical(byRecogniser) && grammatical(bySegments) && compact(byRecogniser.text) !== compact(bySegments.text)
    && agreement(byRecogniser, bySegments, byRecogniser) < agreement(bySegments, bySegments, byRecogniser)) return false;
  // Cells that count more glyphs than the recogniser read do not speak on a crop that looks like no segment display at
  // all (segment-confusion.ts segmentLikelihood 0): a cable's curve beside a display, read Z by the recogniser, was cut
  // into an L and a lone upright that fit a glyph table just well enough, and reported as the alarm L1. (A short code's
  // crop may score 0 too, its one full cell too few to judge: H1 read 8.81148, 71 read 68, where the cells are right.)
  if (seg.likely === 0 && alnumCount(seg.text) > recognisedChars) return false;
  // Cells that count fewer glyphs than the recogniser read and are not its characters with some left out lost a glyph
  // and misread another: a code the recogniser read as it is, fairly surely, stands (fourteen-segment ALM 34 on an LCD
  // whose ghost segments show, its A faint under glare: the cells, taking the display for seven segments, missed the A
  // and read the M's uprights as a 1, L134; the enhanced view read ALM34 at 0.87).
  if (alnumCount(seg.text) < recognisedChars && lostAndMisread(bySegments, byRecogniser, recogniserConfidence)) return false;
  if (clear) return !recogniserStands(byRecogniser, bySegments, recogniserConfidence, seg.segments, knownByShape(seg, byRecogniser.text));
  return bySegments.kind === 'alarm' && (!bySegments.constraintCost || onlyAlikeChanged(seg.text, bySegments.text, seg.segments ?? 7))
    && (!grammatical(byRecogniser) || cellsNameGuessedLetters(bySegments, byRecogniser) || guessedReading(byRecogniser, bySegments));
}

/**
 * True when the recogniser read a code as it is (nothing changed by the grammar), fairly surely, and the cells' reading
 * is not its characters with some left out (see segmentsSpeak).
 */
function lostAndMisread(bySegments: LineReading, byRecogniser: LineReading, recogniserConfidence: number): boolean {
  if (byRecogniser.kind !== 'alarm' || byRecogniser.constraintCost || byRecogniser.changed || recogniserConfidence < FAIRLY_SURE_RECOGNISER) return false;
  const read = compact(byRecogniser.text).replace(/-/g, ''), cells = compact(bySegments.text).replace(/-/g, '');
  // The cells' characters are the recogniser's with some left out exactly when leaving those out is every edit needed.
  return changedChars(cells, read) > read.length - cells.length;
}

/** Characters of the recogniser's reading the grammar (with the ghost characters it left out) changed, at which its reading is a guess. */
const GUESSED_CHANGES = 2;

/**
 * True when the cells spell a code as they are (no character changed) and the recogniser's reading exists only because
 * the grammar changed two or more of the characters it read (ghost characters left out, digits turned into letters):
 * unlit segments read as lit make a row of 8s (88888988 for ERR 19) that a grammar can still bend into some code
 * (A88 89), or a misread code it bends into a status name (FLE851 into FEED 51). Such a reading is the grammar's
 * guess, and lit segments the cells tell apart outweigh it: a guessed code always, a guessed status when it is less
 * sure than the cells' code (a status read as it is, or changed in one character, keeps its line).
 */
export function guessedReading(byRecogniser: LineReading, bySegments: LineReading): boolean {
  if (bySegments.kind !== 'alarm' || bySegments.constraintCost || bySegments.changed || (byRecogniser.changed ?? 0) < GUESSED_CHANGES) return false;
  return byRecogniser.kind === 'alarm' || (byRecogniser.kind === 'status' && byRecogniser.confidence < bySegments.confidence);
}

/** Positions a 1 leaves dark, less the top bar: a glyph lighting one of them beside a 1's uprights is an 8, 0, 4, 9 or 3. */
const UNDER_TOP: Record<7 | 14, ReadonlySet<string>> = { 7: new Set(['d', 'e', 'f', 'g']), 14: new Set(['d', 'e', 'f', 'g1', 'g2']) };

/**
 * The cells known by their narrow shape alone (seg.shaped), less a lone upright whose whole cell shows every other
 * segment position dark (seg.darkBeside: segment-lattice.ts onlyUprightLit) where the recogniser read there a glyph
 * that lights one of them below the top bar in every shape it has: that cell's segments were sampled after all, and the
 * recogniser took its unlit ("ghost") segments for lit (E051 on an LCD with ghost segments read E058). A 7 read there
 * keeps the shape rule: its top bar, short or slanted, may stand off the place sampled for it (F977 is no F911).
 */
function knownByShape(seg: { shaped?: readonly boolean[]; darkBeside?: readonly boolean[]; segments?: 7 | 14 }, recognised: string): readonly boolean[] | undefined {
  if (!seg.shaped || !seg.darkBeside?.some(Boolean)) return seg.shaped;
  const kind = seg.segments ?? 7, r = [...compact(recognised)], under = UNDER_TOP[kind];
  const lightsUnder = (ch: string | undefined): boolean => {
    const shapes = ch ? glyphShapes(ch, kind) : [];
    return shapes.length > 0 && shapes.every((p) => [...p].some((x) => under.has(x)));
  };
  return seg.shaped.map((s, i) => s && !(seg.darkBeside![i] && r.length === seg.shaped!.length && lightsUnder(r[i])));
}

/**
 * True when the recogniser's code has letters only because the grammar put them where it read digits (8-88 made A-88),
 * and the cells, reading a code as they are, show the same characters except letters at exactly those places (F-88):
 * the letter is then the segments' to say, a lit or dark segment telling E from 6, A from 8, F from 8, not the
 * grammar's guess among the look-alikes of a digit.
 */
export function cellsNameGuessedLetters(bySegments: LineReading, byRecogniser: LineReading): boolean {
  if (byRecogniser.kind !== 'alarm' || bySegments.kind !== 'alarm') return false;
  const raw = [...compact(byRecogniser.raw)], made = [...compact(byRecogniser.text)], cells = [...compact(bySegments.text)];
  if (raw.length !== made.length || cells.length !== raw.length) return false;
  const letter = (c: string): boolean => /\p{L}/u.test(c);
  let guessed = 0;
  for (let i = 0; i < raw.length; i++) {
    const g = !letter(raw[i]!) && letter(made[i]!);
    if (g) {
      guessed++;
      if (!letter(cells[i]!)) return false;
    } else if (cells[i] !== raw[i] || made[i] !== raw[i]) return false;
  }
  return guessed > 0;
}

/**
 * Whether the recogniser's reading of a line stands against the segment reader's. The segment reader is there for the
 * recogniser's slips on segment displays (E read 6, A read 8), which leave a reading no grammar takes as a code or
 * a named status, or an unsure one. So the recogniser keeps the line when
 * - the grammar takes its reading (alarm or status) but not the segment reader's: cells that spell nothing
 *   (a glyph split in two, a dot and a dash for one letter) are the segment reader's slip, or
 * - neither reading is a code or a status and the recogniser read its words surely, or
 * - it reads, surely and unchanged by the grammar, a code or a named status (letters and digits the grammar
 *   accepts as they are) with as many characters as the cells: a dot-matrix or printed font that the segment glyphs
 *   happen to fit, read 16 as 18. Where the cells hold a character more (the dash of E-552 the recogniser dropped),
 *   or where the recogniser's character shows segments the cells found dark (readsDarkSegments), they speak.
 */
export function recogniserStands(byRecogniser: LineReading, bySegments: LineReading, recogniserConfidence: number, segments: 7 | 14 = 7,
  shaped: readonly boolean[] = []): boolean {
  if (bySegments.kind === 'text' && byRecogniser.kind !== 'text') return true;
  // Cells that spell neither a code nor a status are no better words than a sure recogniser's: a bold printed legend
  // the cells happen to fit (HOT SURFACE read TIRRR S U AIR G6) keeps the recogniser's text.
  if (bySegments.kind === 'text' && recogniserConfidence >= SURE_RECOGNISER) return true;
  const unchanged = !byRecogniser.constraintCost && !byRecogniser.changed;
  const sameCount = characters(byRecogniser.text) === characters(bySegments.text);
  if (!grammatical(byRecogniser) || !unchanged || !sameCount || !/\p{L}/u.test(byRecogniser.text)) return false;
  // The evidence of each side: the grammar had to change the cells' reading to take it (ALH 39 made AL4 39) but takes
  // the recogniser's as it is (ALM 39): a fairly sure recogniser then outweighs the cells.
  const cellsChanged = !!bySegments.constraintCost || !!bySegments.changed;
  const sure = recogniserConfidence >= SURE_RECOGNISER || (cellsChanged && recogniserConfidence >= FAIRLY_SURE_RECOGNISER);
  // Cells the grammar could take only by changing a character into one drawn otherwise (a cell read I made F) misread
  // at least one cell: the segments they found dark are then no evidence against a fairly sure recogniser's code (F-70,
  // its 7's top bar lost under a glare streak, is no F-10).
  const misreadCells = cellsChanged && !onlyAlikeChanged(bySegments.raw, bySegments.text, segments);
  return sure && (misreadCells || !readsDarkSegments(byRecogniser.text, bySegments.text, segments, shaped));
}

/**
 * True when, at some character where the two readings differ, the recogniser's character is drawn with every
 * segment of the cells' character and more (9 for the cells' 7, 8 for their E): it took segments the cells found
 * dark for lit, the slip unlit ("ghost") segments cause on a real segment display. The opposite (the cells' 8 for
 * the recogniser's 3 or 6) is how a dot-matrix or printed font's strokes, crossing segment positions, fool the cells.
 * A cell the reader knew by its shape alone (`shaped`: a narrow upright read 1, its segments never sampled) found no
 * segment dark: narrow ink is also a printed 4 or a diagonal 7 whose other strokes blur or slant away from the
 * segment places (E-694 and F977 read E-691 and F911), so the recogniser's character there is not overruled.
 */
export function readsDarkSegments(recognised: string, cells: string, segments: 7 | 14, shaped: readonly boolean[] = []): boolean {
  const r = [...compact(recognised)], c = [...compact(cells)];
  if (r.length !== c.length) return false;
  const table = segments === 7 ? GLYPHS_7 : GLYPHS_14;
  const shapes = (ch: string): Array<Set<string>> => (table[ch] ?? []).map((p) => new Set(segments === 7 ? [...p] : p.split(' ')));
  return r.some((rc, i) => rc !== c[i] && !shaped[i] && shapes(c[i]!).some((cs) => shapes(rc).some((rs) => rs.size > cs.size && [...cs].every((x) => rs.has(x)))));
}

const compact = (s: string): string => s.replace(/[\s.]/g, '').toUpperCase();

/** Characters a reading changes against what the two readers saw (the cells' text and the recogniser's). */
function agreement(r: LineReading, bySegments: LineReading, byRecogniser: LineReading): number {
  return changedChars(r.text, bySegments.raw) + changedChars(r.text, byRecogniser.raw);
}

/** Characters a reading shows, spaces and decimal points aside. */
export const characters = (s: string): number => s.replace(/[\s.]/g, '').length;

/** Share of the display's cell pitch under which two cells' starts are one glyph cut in two. */
const SPLIT_PITCH = 0.6;

/**
 * True when two neighbouring cells (no space between) start much closer together than the line's usual pitch: a
 * display draws its cells side by side at one pitch, so such a pair is one glyph the cell split cut in two.
 * Decimal points, which sit between cells, are left out; at least three cells are needed to know the pitch.
 */
export function glyphCutInTwo(line: Pick<SegmentLine, 'cells'>): boolean {
  const cells = line.cells.filter((c) => c.shape !== '.');
  if (cells.length < 3) return false;
  const steps = cells.slice(1).map((c, i) => c.x0 - cells[i]!.x0);
  const pitch = [...steps].sort((a, b) => a - b)[Math.floor(steps.length / 2)]!;
  return pitch > 0 && cells.slice(1).some((c, i) => !c.spaceBefore && steps[i]! < SPLIT_PITCH * pitch);
}

/** A code or a status by itself (a named one, a clock, a value with a unit; not a bare number, not free text). */
const grammatical = (r: LineReading): boolean => r.kind === 'alarm' || statusByItself(r);

export const alnumCount = (s: string): number => s.replace(/[^\p{L}\p{N}]/gu, '').length;

/** Glyphs a reading shows as a segment display draws them: letters, digits and dashes (a dash is a cell of its own, a point not). */
export const glyphCount = (s: string): number => s.replace(/[^\p{L}\p{N}-]/gu, '').length;
