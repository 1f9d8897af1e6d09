// What a machine display line can say, and which kind of thing it is. A line
// is an alarm code (the catalog's literals and /regex/ patterns, or without a
// catalog a default code grammar), a status or parameter (a known name with a
// value: RUN 1450, TEMP 72C, MODE AUTO, or a bare value), or free text. Each
// line's lattice is decoded under the alarm and the status grammars; the
// cheaper constrained reading wins when the constraint cost (nats against the
// unconstrained best path) stays under maxCost, otherwise the line stays as
// read. The unconstrained text is always kept.
import { compileCharPattern, unionNfa, type Nfa } from './char-pattern.js';
import { CompiledGrammar, decodeConstrained, type ConstrainedResult, type Lattice } from './constrained-ctc.js';
import type { CharacterDictionary } from './ctc.js';
import { DEFAULT_ALARM_PREFIXES, DEFAULT_STATUS_NAMES, DEFAULT_STATUS_WORDS, DEFAULT_UNITS } from '../../config/sections/ocr-vocabulary.js';
import { cleanDisplayText } from './display-text.js';
import { catalogSpelling } from '../alarm-codes.js';
import { twinCode } from './glyph-twins.js';
import { remainsOfStatus, statusHead, statusTail } from './status-remains.js';
import { ghostEights, valueMark } from './number-marks.js';
import { changedChars, keepsDecimalPoints, lettersInDigitRun } from './reading-edits.js';

export interface GrammarOptions {
  /** Alarm codes from the fault catalog: literals (E-042) or /regex/. Empty: the default code grammar. */
  alarmPatterns?: readonly string[];
  /** Names of statuses and parameters shown with a value (RUN, SPEED, TEMP...). */
  statusNames?: readonly string[];
  /** Words a display shows as a state or a value (AUTO, READY...). */
  statusWords?: readonly string[];
  /** Units that may follow a value (C, %, RPM...). */
  units?: readonly string[];
  /** Nats a constraint may cost before a line is left as read (default 7). */
  maxCost?: number;
  /** Without a catalog: the usual letter prefixes of alarm codes, preferred over look-alikes (AL over RL). */
  alarmPrefixes?: readonly string[];
}

// The default vocabulary lives with the configuration's defaults (analysis.ocr.grammar), which vision reads.
export { DEFAULT_ALARM_PREFIXES, DEFAULT_STATUS_NAMES, DEFAULT_STATUS_WORDS, DEFAULT_UNITS } from '../../config/sections/ocr-vocabulary.js';
/** Without a catalog: one to three letters (or a spelled-out alarm word), an optional dash or space, one to four digits. */
export const DEFAULT_ALARM_GRAMMAR = '/(?:[A-Z]{1,3}|ALARM|FAULT|ERROR|WARN)[- ]?\\d{1,4}/i';

export interface LineReading {
  kind: 'alarm' | 'status' | 'text';
  /** The reading reported (constrained when a grammar was accepted). */
  text: string;
  /** What the recogniser read without any constraint (cleaned). */
  raw: string;
  /** The recogniser's own confidence in `raw`, where the segment cells decided the reading instead. */
  rawConfidence?: number;
  /** Alarm code as the catalog writes it (kind alarm). */
  code?: string;
  /** Status name and value (kind status); name '' for a bare value. */
  name?: string;
  value?: string;
  /**
   * Mean character probability of the reading; for a reading a grammar changed, halved at every maxCost nats of
   * constraint cost (constrained-ctc.ts): a reading the grammar had to change is less sure than one read as it is.
   */
  confidence: number;
  /** Nats the grammar cost against the unconstrained reading (0: unchanged). */
  constraintCost?: number;
  /** Which grammar decided the reading. */
  grammar?: 'catalog' | 'default-alarm' | 'status';
  /** Characters the constraint changed. */
  changed?: number;
}

/** A time of day or a duration as a display shows it (04:43, 12:05:30): a status value, never a code. */
const CLOCK = '\\d{1,2}:\\d{2}(?::\\d{2})?';

/**
 * True when a status value carries a mark no alarm code has: a clock's colon between digits, a unit or percent sign
 * after the number (60%, 72C, 7.8 bar). Such a bare value is a status as surely as a named one. A colon before
 * minutes no clock shows (60 to 99) is no clock's: it is a code's dash, or its letter and dash, misread (C-90 read
 * 0:90 on a dim LCD), and the line is left to the other evidence (the grammar, the cells) like any bare number.
 */
export function markedValue(value: string | undefined): boolean {
  const v = (value ?? '').replace(/\s+/g, '');
  return (/\d:\d/.test(v) && !IMPOSSIBLE_MINUTES.test(v)) || /\d[.,]?\d*(?:%|°|[A-Z])/i.test(v);
}

/** A colon followed by two digits no clock's minutes or seconds can be (60 to 99), not part of a longer number. */
const IMPOSSIBLE_MINUTES = /:[6-9]\d(?!\d)/;

/**
 * A reading that is a status by what it says, not only by the absence of a code: a named status or a marked value
 * whose mark the recogniser read (a 3 the look-alikes made an S, for seconds, is no unit).
 */
export function statusByItself(r: Pick<LineReading, 'kind' | 'name' | 'value'> & { raw?: string }): boolean {
  return r.kind === 'status' && (!!r.name || (markedValue(r.value) && (r.raw === undefined || markedValue(r.raw))));
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

interface AlarmAlternative { nfa: Nfa; literal?: string; regex?: RegExp; exact?: RegExp }
interface Candidate { kind: 'alarm' | 'status'; r: ConstrainedResult; changed: number; twin?: boolean }
/** Nats a default-grammar code must beat a status reading by (status names are known words, code prefixes are not). */
const STATUS_PREFERENCE = 3;
/**
 * Nats the letters of a code may cost in the recogniser's own lattice over the digits it read there for a bare number to
 * be read as that code (A02 for 802): about one tenth of the digit's probability for a one-letter prefix.
 */
const LETTER_COST = 2.3;
/** Segment likelihood a display needs before letters read there are taken for the digits drawn alike (glyph-twins.ts). */
const TWIN_SEGMENT = 0.9;
/** Nats a usual alarm prefix may cost over an unusual one and still be preferred. */
const PREFIX_PREFERENCE = 2.5;

export class LineGrammar {
  readonly statusNames: Set<string>;
  readonly maxCost: number;
  readonly usesCatalog: boolean;
  private readonly alarmAlts: AlarmAlternative[];
  private readonly alarmNfa: Nfa;
  private readonly statusNfa: Nfa;
  private readonly statusRegex: RegExp;
  private readonly alarmPrefixes: Set<string>;
  private readonly prefixedNfa: Nfa | null;
  /** The usual prefixes as one alternation, for the grammars of codes with them. */
  private readonly prefixSource: string;
  /** The usual prefixes with a number of at most N digits, by dictionary and N (1 to 3; 4 is prefixedNfa), compiled when first asked. */
  private readonly compiledUpTo = new WeakMap<CharacterDictionary, Map<number, CompiledGrammar>>();
  private readonly compiled = new WeakMap<CharacterDictionary, { alarm: CompiledGrammar; status: CompiledGrammar; prefixed: CompiledGrammar | null }>();

  constructor(readonly opts: GrammarOptions = {}) {
    const patterns = (opts.alarmPatterns ?? []).map((p) => p.trim()).filter(Boolean);
    this.usesCatalog = patterns.length > 0;
    this.maxCost = opts.maxCost ?? 7;
    this.alarmAlts = (this.usesCatalog ? patterns : [DEFAULT_ALARM_GRAMMAR]).map((p) => {
      const m = /^\/(.+)\/([a-z]*)$/s.exec(p);
      // Regexes match in any case (a seven-segment display draws b, d, r, u in lower case; the recogniser reads what it
      // sees); the code is reported as the pattern spells it (catalogSpelling).
      if (m) {
        const flags = m[2]!.replace(/[gy]/g, '');
        return { nfa: compileCharPattern(m[1]!, `${flags}i`), regex: new RegExp(`^(?:${m[1]!})$`, flags.includes('i') ? flags : `${flags}i`),
          exact: new RegExp(`^(?:${m[1]!})$`, flags) };
      }
      // Literals: any spacing, any case, reported as written.
      return { nfa: compileCharPattern([...p.replace(/\s+/g, '')].map(escape).join(' '), 'i'), literal: p };
    });
    this.alarmNfa = unionNfa(this.alarmAlts.map((a) => a.nfa));
    const prefixes = [...new Set((opts.alarmPrefixes ?? DEFAULT_ALARM_PREFIXES).map((p) => p.toUpperCase()))];
    this.alarmPrefixes = new Set(prefixes);
    this.prefixSource = `(?:${prefixes.map(escape).join('|')})`;
    this.prefixedNfa = !this.usesCatalog && prefixes.length ? compileCharPattern(`${this.prefixSource}[- ]?\\d{1,4}`, 'i') : null;
    const names = [...new Set((opts.statusNames ?? DEFAULT_STATUS_NAMES).map((n) => n.toUpperCase()))];
    const words = [...new Set((opts.statusWords ?? DEFAULT_STATUS_WORDS).map((n) => n.toUpperCase()))];
    const units = [...new Set((opts.units ?? DEFAULT_UNITS).map((n) => n.toUpperCase()))];
    this.statusNames = new Set(names);
    const number = '-?\\d{1,6}(?:[.,]\\d{1,2})?';
    const unit = units.length ? `(?: ?(?:${units.map(escape).join('|')}))?` : '';
    const value = `(?:${CLOCK}|${number}${unit}${words.length ? `|${words.map(escape).join('|')}` : ''})`;
    const source = `(?:${names.map(escape).join('|')})(?: ?[:=]? ?${value})?|${value}`;
    this.statusNfa = compileCharPattern(source, 'i');
    this.statusRegex = new RegExp(`^(?:(${names.map(escape).join('|')})\\s*[:=]?\\s*)?(${CLOCK}|${number}\\s*(?:${units.map(escape).join('|') || 'x^'})?|${words.map(escape).join('|') || 'x^'})?$`, 'i');
  }

  private compile(dict: CharacterDictionary): { alarm: CompiledGrammar; status: CompiledGrammar; prefixed: CompiledGrammar | null } {
    let c = this.compiled.get(dict);
    if (!c) {
      c = { alarm: new CompiledGrammar(this.alarmNfa, dict), status: new CompiledGrammar(this.statusNfa, dict),
        prefixed: this.prefixedNfa ? new CompiledGrammar(this.prefixedNfa, dict) : null };
      this.compiled.set(dict, c);
    }
    return c;
  }

  /** The usual-prefix grammar with a number of at most `digits` digits (the whole grammar from four on). */
  private upTo(dict: CharacterDictionary, prefixed: CompiledGrammar, digits: number): CompiledGrammar {
    const n = Math.max(1, digits);
    if (n >= 4) return prefixed;
    let byDigits = this.compiledUpTo.get(dict);
    if (!byDigits) this.compiledUpTo.set(dict, (byDigits = new Map()));
    let g = byDigits.get(n);
    if (!g) byDigits.set(n, (g = new CompiledGrammar(compileCharPattern(`${this.prefixSource}[- ]?\\d{1,${n}}`, 'i'), dict)));
    return g;
  }

  /** Classifies a line already read as text (no lattice): alarm, status or text. */
  classifyText(text: string, confidence = 1): LineReading {
    const raw = cleanDisplayText(text);
    // A known name with a value (RUN 1450, PRES 7.8 bar) is a status even where a loose catalog pattern would take it.
    const named = this.status(raw);
    if (named?.name) return { kind: 'status', text: raw, raw, ...named, confidence, constraintCost: 0, grammar: 'status', changed: 0 };
    const asAlarm = this.alarmCode(raw);
    if (asAlarm) return { kind: 'alarm', text: raw, raw, code: asAlarm, confidence, constraintCost: 0, grammar: this.usesCatalog ? 'catalog' : 'default-alarm', changed: 0 };
    const st = this.status(raw);
    if (st) return { kind: 'status', text: raw, raw, ...st, confidence, constraintCost: 0, grammar: 'status', changed: 0 };
    return { kind: 'text', text: raw, raw, confidence };
  }

  /**
   * Reads one line from its lattice. `greedy` is the unconstrained reading;
   * `confusion` the weight of the segment-confusion model (high on segment displays).
   */
  readLine(lattice: Lattice, dict: CharacterDictionary, greedy: { text: string; confidence: number }, display: { confusion: number; segment: number; cells?: boolean }): LineReading {
    const plain = this.classifyText(greedy.text, greedy.confidence);
    if (plain.kind === 'alarm' && this.usesCatalog) return plain;
    // A line read as a named status (name + value), or a value a code cannot be (a clock, a unit), stays one: it is never
    // re-decoded into a code.
    if (statusByItself(plain)) return plain;
    // A code read with letters the segment display draws as its digits (F05 read FOS: glyph-twins.ts) is the code as read.
    const twin = display.segment >= TWIN_SEGMENT && plain.kind !== 'alarm' ? twinCode(plain.raw, (t) => !!this.alarmCode(t), display.cells) : null;
    if (twin && this.usesCatalog) return { ...this.classifyText(twin.text, plain.confidence), raw: plain.raw, changed: twin.twins };
    const confusion = display.confusion;
    const { alarm, status, prefixed } = this.compile(dict);
    const raw = plain.raw;
    const options: Candidate[] = [];
    const add = (kind: Candidate['kind'], r: ConstrainedResult | null): void => {
      if (r) options.push({ kind, r, changed: changedChars(raw, r.text) });
    };
    if (plain.kind === 'alarm') options.push({ kind: 'alarm', r: { text: raw, cost: 0, logProb: 0, confidence: plain.confidence }, changed: 0 });
    // Without a catalog only codes with a usual prefix are alarms: decode under those directly (8L8495 → AL8495), with
    // no more digits than the filter below lets a code have: the likeliest such code otherwise turns a letter into a
    // digit (FLE25, a seven-segment t read E, decoded FL625, two digits read and three made) and, filtered out, leaves
    // the line no code at all where one a little less likely keeps its letters (FLt25).
    else add('alarm', decodeConstrained(lattice, dict, !this.usesCatalog && prefixed ? this.upTo(dict, prefixed, digitCount(raw) + (display.segment >= 0.5 ? 1 : 0)) : alarm, { confusion, halfCost: this.maxCost }));
    add('status', decodeConstrained(lattice, dict, status, { confusion, halfCost: this.maxCost }));
    const accepted = options
      .filter((o) => o.r.cost <= this.maxCost && o.changed <= Math.max(1, Math.floor(compactLen(o.r.text) / 3)))
      // A constraint substitutes look-alikes; it does not drop characters the recogniser saw.
      .filter((o) => alnum(o.r.text) >= alnum(raw))
      // Nor the dash it read before the line's first letter or digit: no code begins with a dash, so a code without it
      // left out a glyph of a longer line (a seven-segment rEAdy read -E889 is no code E889: the dash is its r). A code
      // that keeps the dash, a letter before it the recogniser could not name, is another matter (-64 for C-64).
      .filter((o) => o.kind !== 'alarm' || !/^\s*-/.test(raw) || dashes(o.r.text) >= dashes(raw))
      // A clock's colon must be one the recogniser read, not a dash or a dot the look-alikes turned into one (C-00 is
      // not the time 2:00).
      .filter((o) => !/\d\s*:\s*\d/.test(o.r.text) || raw.includes(':'))
      // A decimal point the recogniser read between two digits makes the line a value (P.550.8 is no code P-5508).
      .filter((o) => o.kind !== 'alarm' || keepsDecimalPoints(raw, o.r.text))
      // A percent or degree sign the recogniser read after a number makes the line a value (LOAD 8% read L081 8%): the
      // alarm grammar has no such mark, and a code made by dropping it is a name and its value run together (L0818).
      .filter((o) => o.kind !== 'alarm' || !valueMark(raw))
      // Without a catalog, a code needs digits the recogniser read (not letters turned into digits on printed text).
      .filter((o) => o.kind !== 'alarm' || this.usesCatalog || (digitCount(raw) >= 1 && digitCount(o.r.text) <= digitCount(raw) + (display.segment >= 0.5 ? 1 : 0)))
      // Without a catalog, letters on a line the recogniser read as digits only need the recogniser's own lattice to give
      // them real probability (6-79 with F second-best); letters the confusion model alone lends do not make an alarm of
      // a bare number (a status value split from its name, a word read as digits), on a segment display neither: there
      // a digit is one or two segments from several letters (2 from E and C, 8 from A, E and F), and which letter the
      // model picks is a guess the segment cells settle where they read the line (their lattice is decoded with no
      // confusion model, so this filter never applies to it). Measured on 13 generated sets (1,420 frames): the only
      // codes this rule took away were wrong ones (8-608 as A-608 for E-608, 2-09 as E-09 for C-09).
      .filter((o) => o.kind !== 'alarm' || this.usesCatalog || !display.confusion || /[A-Z]/i.test(raw)
        || this.lettersInLattice(lattice, dict, o.r.text, prefixed ?? alarm))
      .filter((o) => o.kind === 'status' ? !!this.status(o.r.text) : !!this.alarmCode(o.r.text));
    if (twin) accepted.push({ kind: 'alarm', r: { text: twin.text, cost: 0, logProb: 0, confidence: plain.confidence }, changed: twin.twins, twin: true });
    // Without a catalog, a known status name explains a line better than an arbitrary code prefix
    // (SEt 493 read as SEE493 is SET 493): the status wins unless it costs much more.
    // A name the grammar spells only by turning a digit the recogniser read inside a run of digits into a letter (H24
    // made HZ 4, the 2 read as a Z) explains no better than a code the recogniser read as it is: such a status gets no
    // preference over it.
    const named = accepted.some((o) => o.kind === 'status' && !!this.status(o.r.text)?.name && !(plain.kind === 'alarm' && lettersInDigitRun(raw, o.r.text)));
    // A code read through glyph twins changed no character the display shows; a name the grammar made by changing one did.
    const bias = (o: Candidate): number => o.r.cost + (!this.usesCatalog && named && o.kind === 'alarm' && !o.twin ? STATUS_PREFERENCE : 0);
    accepted.sort((x, y) => bias(x) - bias(y) || (x.kind === y.kind ? 0 : (x.kind === 'status') === !this.usesCatalog ? -1 : 1));
    let best = accepted[0];
    if (best?.kind === 'status' && !display.cells && !this.status(best.r.text)?.name && !markedValue(this.status(best.r.text)?.value)) {
      // A bare number whose leading digits the recogniser itself gave a letter real probability (802 with A
      // second-best): a code's letter prefix read as digits (A02) explains the line as well and says more.
      // Not on the segment cells' own lattice: its runner-up letters are the look-alikes of the lit segments (an 8
      // lends E and A), which is no sign of a letter; a cell that shows one names it itself (prefix-letter.ts).
      const letters = this.letteredNumber(lattice, dict, best.r.text, !this.usesCatalog && prefixed ? prefixed : alarm);
      if (letters) best = letters;
    }
    if (!best) return plain;
    if (best.kind === 'alarm' && !this.usesCatalog && prefixed && !this.knownPrefix(best.r.text)) {
      // An unknown prefix (RL6287): a usual alarm prefix a little less likely in the lattice (AL6287) is the better reading.
      const p = decodeConstrained(lattice, dict, prefixed, { confusion, halfCost: this.maxCost });
      if (p && p.cost <= best.r.cost + PREFIX_PREFERENCE && alnum(p.text) >= alnum(raw) && keepsDecimalPoints(raw, p.text)) best = { kind: 'alarm', r: p, changed: changedChars(raw, p.text) };
    }
    if (best.r.cost === 0 && best.kind === plain.kind) return plain;
    const base = { text: best.r.text, raw, confidence: best.r.confidence, constraintCost: round(best.r.cost), changed: best.changed };
    if (best.kind === 'alarm') {
      return { kind: 'alarm', ...base, text: tidy(best.r.text), code: this.alarmCode(best.r.text)!, grammar: this.usesCatalog ? 'catalog' : 'default-alarm' };
    }
    const st = this.status(best.r.text)!;
    return { kind: 'status', ...base, text: [st.name, st.value].filter(Boolean).join(' '), ...st, grammar: 'status' };
  }

  /**
   * The code a bare number spells when only its leading characters turn into letters, each letter having real
   * probability in the recogniser's own lattice (no confusion model: look-alikes lent by the model are no evidence):
   * the whole change costs at most LETTER_COST nats. Null when there is no such code, and for a run of 8s (at most
   * one other digit): a display with ghost segments shows every cell, lit or not, as an 8 (READY read 88889), and a
   * letter the recogniser half saw in such a cell says nothing about a code.
   */
  private letteredNumber(lattice: Lattice, dict: CharacterDictionary, number: string, grammar: CompiledGrammar): Candidate | null {
    if (ghostEights(number)) return null;
    const r = decodeConstrained(lattice, dict, grammar, { confusion: 0, halfCost: this.maxCost });
    if (!r || r.cost > LETTER_COST || !this.alarmCode(r.text) || !keepsDecimalPoints(number, r.text)) return null;
    const digits = compactUpper(number), code = compactUpper(r.text).replace(/-/g, '');
    const lead = /^[A-Z]+/.exec(code)?.[0].length ?? 0;
    // The same characters, the leading ones now letters, the digits after them as read.
    if (!lead || code.length !== digits.length || code.slice(lead) !== digits.slice(lead) || !/^\d+$/.test(digits.slice(0, lead))) return null;
    return { kind: 'alarm', r, changed: lead };
  }

  /** True when the recogniser's own lattice, without the confusion model, spells `text` for at most LETTER_COST nats. */
  private lettersInLattice(lattice: Lattice, dict: CharacterDictionary, text: string, grammar: CompiledGrammar): boolean {
    const r = decodeConstrained(lattice, dict, grammar, { confusion: 0 });
    return !!r && r.cost <= LETTER_COST && compactUpper(r.text) === compactUpper(text);
  }

  /** True when the letters a code starts with are a usual alarm prefix (grammar.alarmPrefixes). */
  knownPrefix(code: string): boolean {
    const letters = /^[A-Za-z]+/.exec(code.trim())?.[0]?.toUpperCase();
    return !!letters && this.alarmPrefixes.has(letters);
  }

  /** The alarm code a whole line spells (catalog spelling for literals), or null. */
  alarmCode(text: string): string | null {
    const t = tidy(text);
    for (const alt of this.alarmAlts) {
      if (alt.literal !== undefined) {
        if (compactUpper(t) === compactUpper(alt.literal)) return alt.literal;
        continue;
      }
      const variants = [t, ...spacings(t)];
      const hit = variants.find((v) => alt.regex!.test(v));
      if (!hit) continue;
      const code = this.usesCatalog ? catalogSpelling(alt.exact!, hit) : hit.toUpperCase();
      // Without a catalog a code starts with a usual alarm prefix (E, AL, ERR...): SEE 493 is a misread SET 493, not an alarm.
      if (!this.usesCatalog && (this.isStatusName(code) || !this.knownPrefix(code))) return null;
      return code;
    }
    return null;
  }

  /** A status reading's name and value, or null. */
  status(text: string): { name: string; value: string } | null {
    const m = this.statusRegex.exec(tidy(text));
    if (!m || (!m[1] && !m[2])) return null;
    return { name: (m[1] ?? '').toUpperCase(), value: (m[2] ?? '').replace(/\s+/g, '').toUpperCase() };
  }

  /**
   * The status name a code read from this line is the remains of (U1125 read from "un 125": RUN), or null
   * (status-remains.ts); `spaced`, the line's text as the reader spaced it, where blank cells it took out count.
   */
  statusRemains(reading: Pick<LineReading, 'raw'>, code: string, cells?: string, spaced?: string): string | null {
    return remainsOfStatus(reading, code, this.statusNames, this.alarmPrefixes, cells, this.usesCatalog, spaced);
  }

  /** The status name the letters start (RU: RUN), or null where they are a usual alarm prefix or a name themselves. */
  nameStart(letters: string): string | null {
    return statusHead(letters, this.statusNames, this.alarmPrefixes);
  }

  /** The status name the letters end (UN: RUN), or null where they are a usual alarm prefix or a name themselves. */
  nameEnd(letters: string): string | null {
    return statusTail(letters, this.statusNames, this.alarmPrefixes);
  }

  /** True when the letters a code starts with are a status or parameter name (RUN 1450 is not an alarm). */
  isStatusName(code: string): boolean {
    const letters = /^[A-Za-z]+/.exec(code.trim())?.[0]?.toUpperCase();
    return !!letters && this.statusNames.has(letters);
  }
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
const compactUpper = (s: string): string => s.replace(/\s+/g, '').toUpperCase();
const compactLen = (s: string): number => s.replace(/\s+/g, '').length;
const alnum = (s: string): number => s.replace(/[^\p{L}\p{N}]/gu, '').length;
const digitCount = (s: string): number => s.replace(/\D/g, '').length;
const dashes = (s: string): number => s.replace(/[^-]/g, '').length;

/** "E - 317" → "E-317", runs of spaces → one. */
function tidy(s: string): string {
  return s.replace(/\s*-\s*/g, '-').replace(/\s+/g, ' ').trim();
}

/** The text without spaces and with one space at each letter/digit boundary: how a pattern may want it spaced. */
function spacings(t: string): string[] {
  const c = t.replace(/\s+/g, '');
  const out = [c];
  for (let i = 1; i < c.length; i++) out.push(`${c.slice(0, i)} ${c.slice(i)}`);
  return out;
}
