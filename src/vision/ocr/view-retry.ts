// Reading lines again on other views of their crops, once the first recognition
// of a frame's lines is in. Two views, read together in one recognition batch:
// - the display-enhanced crop (enhance.ts) for every line read unsurely;
// - the lit strokes only (lit-view.ts) for lines in doubt that the segment reader
//   does not read itself;
// and, in a batch of their own (a crop in a batch changes how much the others
// are padded, and so their readings), the dots joined (doubtful-dots.ts) for
// lines in doubt that keep some of a dot lattice's rhythm without passing the
// dot-matrix test.
// Which reading a line keeps is view-choice.ts's rule. Where the enhanced view
// reads the same characters as the first, the characters are not in question,
// only what each view's lattice lends them: the grammar's and segment reader's
// interpretation of each decides, and is kept so it is not worked out twice.
// Kept apart from panel-reader.ts, which owns the sessions: this module only
// needs a way to recognise crops.
import { getLogger } from '../../system/logger.js';
import type { RgbImage } from '../image.js';
import type { CharacterDictionary } from './ctc.js';
import type { DotMatrixLine } from './dot-matrix.js';
import { joinedDotsReplace, joinedDoubtfulDots, joinedDropsCellGlyphs, joinedMayReplace, joinsDoubtfulDots } from './doubtful-dots.js';
import { fillsCells, unreadCells } from './dot-cells.js';
import { joinedRomDigits } from './joined-rom-digits.js';
import { dashedOverEight, litShowsDash } from './ghost-dash.js';
import { litShowsLetters, numberOverGhosts } from './ghost-letters.js';
import { enhanceForDisplay } from './enhance.js';
import { segmentsRead, type LineInterpretation, type Recognised } from './line-arbitration.js';
import type { LineGrammar } from './line-grammar.js';
import { litView } from './lit-view.js';
import { cellsRefuteNumber } from './refuted-digits.js';
import { scrapLines } from './scrap-lines.js';
import { readSegmentCells } from './segment-cells.js';
import { aboutAsSureCodes, inDoubt, litReplaces, replacesInterpretation, replacesReading, sameCharacters, type LineView } from './view-choice.js';
import { codeLettersShort, codeOf, otherCodeVerdict, withoutCode } from './view-codes.js';
import { thirdViews, thirdViewsSide, type TwoCodes } from './view-third.js';

const log = getLogger('vision.ocr');

export interface ViewRetryLine {
  crop: RgbImage;
  /** The first recognition of the line; replaced in place when another view's reading wins. */
  first: Recognised;
  /** Which view `first` came from; updated with it. */
  view: LineView;
  dotMatrix: boolean;
  /** The line's dot-matrix measure (dot-matrix.ts), also when it is no dot-matrix line (doubtful-dots.ts). */
  dots?: DotMatrixLine | null;
}

export interface ViewRetryOptions {
  dict: CharacterDictionary;
  grammar?: LineGrammar;
  /** Lines read below this confidence are read again on the enhanced view. */
  retryBelow: number;
  /** Whether the segment reader reads segment lines cell by cell (it then keeps lit-view away from them). */
  segmentCells: boolean;
  recognise: (crops: RgbImage[]) => Promise<Recognised[]>;
  /** What the grammar and segment reader make of a line's recognition. */
  interpret: (k: number, r: Recognised) => LineInterpretation;
  /** Only the codes whose 8 may be a dash over ghost segments are read again (a frame a line reads surely: sure-display.ts). */
  ghostDashOnly?: boolean;
}

/**
 * Reads the unsure lines and the lines in doubt again on their other views and keeps, per line, the reading that
 * wins. Returns the interpretations already worked out on the way (by line index), for the caller to reuse.
 */
export async function retryOnOtherViews(lines: ViewRetryLine[], o: ViewRetryOptions): Promise<Map<number, LineInterpretation>> {
  const interpreted = new Map<number, LineInterpretation>();
  if (o.ghostDashOnly) {
    await readGhostDashes(lines, lines.map(() => false), [], o);
    return interpreted;
  }
  // Scraps (a box read as nothing or one character) are not read again once another line reads the display (scrap-lines.ts).
  const scrap = o.grammar ? scrapLines(lines.map((l, k) => ({ greedy: l.first.greedy.text, line: o.interpret(k, l.first), dotMatrix: l.dotMatrix }))) : [];
  const retry = lines.flatMap((l, k) => (l.first.greedy.confidence < o.retryBelow && !scrap[k] ? [k] : []));
  // A sure line whose lit dots fill more character cells than it read (dot-cells.ts) is in doubt too.
  const unread = lines.map((l, k) => (scrap[k] || inDoubt(l.first.greedy, o.retryBelow, o.grammar) ? null : unreadCells(l.crop, l.dots, l.first.greedy.text)));
  const lit = lines.flatMap((l, k) => {
    if (scrap[k] || (!inDoubt(l.first.greedy, o.retryBelow, o.grammar) && unread[k] === null)) return [];
    // Lines the segment reader reads itself are left to it and the recogniser; not a line whose lit dots fill more
    // cells than it read: a dot lattice's cells say the segment reading is short too (a dot-matrix dash dropped).
    if (o.grammar && o.segmentCells && unread[k] === null && segmentsRead(l.crop, l.first.lattice, o.dict, l.dotMatrix)) return [];
    const v = litView(l.crop);
    return v ? [{ k, v }] : [];
  });
  const dotted = lines.flatMap((l, k) => (!scrap[k] && !l.dotMatrix && joinsDoubtfulDots(l.dots) && inDoubt(l.first.greedy, o.retryBelow, o.grammar) ? [k] : []));
  await readGhostDashes(lines, scrap, lit.map((x) => x.k), o);
  if (!retry.length && !lit.length && !dotted.length) return interpreted;
  const second = retry.length || lit.length ? await o.recognise([...retry.map((k) => enhanceForDisplay(lines[k]!.crop)), ...lit.map((l) => l.v)]) : [];
  const rules = { lit: litReplaces, 'dots-joined': joinedDotsReplace, enhanced: replacesReading, original: replacesReading };
  const take = (k: number, r: Recognised, view: LineView): void => {
    const line = lines[k]!;
    // A bare number's digits its own cells refute are the other view's characters however unsure (refuted-digits.ts).
    const refuted = (): boolean => !!o.grammar && !line.dotMatrix && cellsRefuteNumber(line.first.greedy.text, r.greedy.text, r.greedy.confidence, readSegmentCells(line.crop), o.grammar);
    const wins = rules[view](r.greedy, line.first.greedy, o.grammar);
    if (!wins && !refuted()) return;
    if (!wins) log.debug('digits refuted by their cells', { first: line.first.greedy.text, other: r.greedy.text, view });
    if (view === 'dots-joined') log.debug('doubtful dots joined', { first: line.first.greedy.text, joined: r.greedy.text, confidence: r.greedy.confidence });
    line.first = r;
    line.view = view;
    // A joined reading taken has its digits checked by the ROM's cells, as a dot line's are (joined-rom-digits.ts).
    const rom = view === 'dots-joined' ? joinedRomDigits(line.crop, r, o.grammar) : null;
    if (!rom) return void interpreted.delete(k);
    log.debug('joined digits checked by their dots', { joined: r.greedy.text, code: rom.text });
    interpreted.set(k, rom);
  };
  // Another view that read the line's very characters: only what each view's lattice lends them is in question, so the
  // grammar's and the cells' interpretations of the two decide. A line whose code two views left in doubt stays so.
  const weighAlike = (k: number, r: Recognised, view: LineView): void => {
    const line = lines[k]!;
    const before = interpreted.get(k) ?? o.interpret(k, line.first), after = o.interpret(k, r);
    // Two codes made of the same characters are two codes still: a code the cells decided on the first view stays
    // against another view's, not clearly surer, as for other characters (E708 on a grey LCD: F108 read on both views,
    // the first surer, the 8 merged over the cells' 3; the enhanced view's lattice lent the 8 less, made E703).
    const a = codeOf(after), b = codeOf(before);
    const kept = a !== null && b !== null && otherCodeVerdict(after, before, r.greedy.confidence, line.first.greedy.confidence) === 'keep';
    const takes = before.codeInDoubt === undefined && !kept && replacesInterpretation(after, before);
    interpreted.set(k, takes ? after : before);
    if (takes) {
      line.first = r;
      line.view = view;
    }
  };
  const twoCodes: Array<TwoCodes & { k: number }> = [];
  retry.forEach((k, j) => {
    const r = second[j]!, line = lines[k]!;
    if (!o.grammar) return take(k, r, 'enhanced');
    if (!sameCharacters(r.greedy, line.first.greedy)) {
      const replaces = replacesReading(r.greedy, line.first.greedy, o.grammar);
      if (!replaces && !aboutAsSureCodes(r.greedy, line.first.greedy, o.grammar, () => [o.interpret(k, r).reading, o.interpret(k, line.first).reading])) {
        // A code the first view made of fewer letters than the other view, which makes no code of them, is in doubt (view-codes.ts).
        const digits = (t: string): string => /\d+$/.exec(t.replace(/[\s-]+/g, ''))?.[0] ?? '';
        const mayBe = /^\p{L}{2,}\d+$/u.test(r.greedy.text.replace(/[\s-]+/g, '')) && digits(r.greedy.text) === digits(line.first.greedy.text);
        const before = mayBe ? interpreted.get(k) ?? o.interpret(k, line.first) : null, after = before ? o.interpret(k, r) : null;
        if (before && after && codeLettersShort(after, before)) {
          log.debug('code letters short', { first: before.text, other: after.text });
          interpreted.set(k, withoutCode(before, after));
        }
        return;
      }
      // Another code from the enhanced view: weighed against what the cells and the recogniser made of the first.
      const before = o.interpret(k, line.first), after = o.interpret(k, r);
      const verdict = otherCodeVerdict(after, before, r.greedy.confidence, line.first.greedy.confidence);
      // A code about as sure as the first, not surer, is never taken on its own: only two codes neither of which the
      // cells decided go to the third views (ERR 98 read ERR8981 at 0.782, made ERR 981, and ERR898 at 0.781 on the
      // enhanced view, made ERR 98 by the cells; the lit and joined views read ERR 98).
      if (!replaces && verdict !== 'neither') return;
      if (verdict !== 'take') {
        log.debug('view code kept', { first: before.text, other: after.text, verdict, firstConf: line.first.greedy.confidence, otherConf: r.greedy.confidence, cells: before.cells });
        interpreted.set(k, verdict === 'keep' ? before : withoutCode(before, after));
        if (verdict === 'neither') twoCodes.push({ k, crop: line.crop, dots: line.dots, first: before, other: { rec: r, read: after } });
        return;
      }
      if (codeOf(after) !== codeOf(before)) log.debug('view changes code', { first: before.text, other: after.text, firstConf: line.first.greedy.confidence, otherConf: r.greedy.confidence, cells: before.cells });
      line.first = r;
      line.view = 'enhanced';
      interpreted.set(k, after);
      return;
    }
    weighAlike(k, r, 'enhanced');
  });
  // Two codes on two views, neither clearly better: third views of the line decide, or neither is reported (view-third.ts).
  const views = twoCodes.map(thirdViews);
  if (views.some((v) => v.length)) {
    const read = await o.recognise(views.flat());
    let at = 0;
    twoCodes.forEach((t, i) => {
      const thirds = read.slice(at, (at += views[i]!.length)).map((r) => o.interpret(t.k, r));
      const side = thirdViewsSide(t, thirds);
      log.debug('third views on two codes', { first: t.first.text, other: t.other.read.text, thirds: thirds.map((x) => x.text), side });
      if (side === 'first') interpreted.set(t.k, t.first);
      if (side !== 'other') return;
      lines[t.k]!.first = t.other.rec;
      lines[t.k]!.view = 'enhanced';
      interpreted.set(t.k, t.other.read);
    });
  }
  lit.forEach(({ k }, j) => {
    const r = second[retry.length + j]!, cells = unread[k];
    if (cells !== null && cells !== undefined && fillsCells(r.greedy, lines[k]!.first.greedy, cells, o.grammar)) {
      lines[k]!.first = r;
      lines[k]!.view = 'lit';
      interpreted.delete(k);
    } else if (o.grammar && sameCharacters(r.greedy, lines[k]!.first.greedy)) {
      // The same characters on the lit strokes: as for the enhanced view, the interpretations decide (8L673 read alike
      // on both made AL673 on the plain crop, and the bare number 81673 from the lit one's lattice, a little surer of
      // its greedy path).
      weighAlike(k, r, 'lit');
    } else take(k, r, 'lit');
  });
  // Last: the joined reading must beat what the other views made of the line. It replaces only a reading the grammar
  // does not take (joinedDotsReplace), so where every doubtful line reads as the grammar takes it after the other
  // views, the joined crops are neither made nor read (readings as before, a recogniser run saved). Otherwise all of
  // them are read, in a batch of their own as before: in the other views' batch they changed how much the others
  // were padded, and so their readings (ERR-997's lit view, read Er--997 alone, read E228997 beside a joined crop);
  // a batch without the lines the rule would refuse would pad the rest otherwise too.
  if (!dotted.some((k) => joinedMayReplace(lines[k]!.first.greedy, o.grammar))) return interpreted;
  const joined = await o.recognise(dotted.map((k) => joinedDoubtfulDots(lines[k]!.crop, lines[k]!.dots!)));
  dotted.forEach((k, j) => {
    const r = joined[j]!;
    // Not over a code the cells decided with more glyphs than the joined reading (doubtful-dots.ts joinedDropsCellGlyphs).
    if (o.grammar && joinedDropsCellGlyphs(r.greedy, interpreted.get(k) ?? o.interpret(k, lines[k]!.first))) {
      log.debug('joined dots drop cell glyphs', { first: lines[k]!.first.greedy.text, joined: r.greedy.text });
      return;
    }
    take(k, r, 'dots-joined');
  });
  return interpreted;
}

/**
 * Lines whose 8s may be ghost segments, read again on their lit strokes in a batch of their own (so that the other
 * views' batch is padded as before): a code whose letters are followed by an 8 that may be a dash takes the lit
 * reading where that is its dashed code (ghost-dash.ts); a bare number with an 8 takes it where it is a code whose
 * characters are drawn inside the digits read (ghost-letters.ts). Not a scrap, nor a line the lit view is read for
 * anyway (`litLines`).
 */
async function readGhostDashes(lines: ViewRetryLine[], scrap: readonly boolean[], litLines: readonly number[], o: ViewRetryOptions): Promise<void> {
  const ghostDash = lines.flatMap((l, k) => {
    const text = l.first.greedy.text;
    if (scrap[k] || litLines.includes(k) || !(dashedOverEight(text, o.grammar) || (!!o.grammar && !l.dotMatrix && numberOverGhosts(text)))) return [];
    const v = litView(l.crop);
    return v ? [{ k, v }] : [];
  });
  if (!ghostDash.length) return;
  const read = await o.recognise(ghostDash.map((g) => g.v));
  ghostDash.forEach(({ k }, j) => {
    const r = read[j]!, line = lines[k]!;
    const dash = litShowsDash(r.greedy, line.first.greedy, o.grammar);
    // The letters' reading must stay a code once the grammar and cells read it (H21 read 820, which the cells already
    // made H21, was read H2 1 on its lit strokes and then HZ 1, a status).
    if (!dash && !(litShowsLetters(r.greedy, line.first.greedy, o.grammar, o.retryBelow) && o.interpret(k, r).reading?.kind === 'alarm')) return;
    log.debug(dash ? 'dash over ghost segments' : 'letters over ghost segments', { first: line.first.greedy.text, lit: r.greedy.text });
    line.first = r;
    line.view = 'lit';
  });
}
