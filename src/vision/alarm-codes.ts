// Alarm codes in the text read from a panel. Patterns come from the fault
// catalog: a literal ("E-042", "ERR 503") matches with any spacing (OCR often
// drops or adds spaces) and yields the literal as written in the catalog; a
// "/regex/flags" string matches as a regular expression and yields what it
// matched. Without patterns a generic one finds codes such as E-042, A17, F101.
// A display cannot be trusted with letter case (seven segments draw b, d, r, u
// in lower case), so every pattern matches case-insensitively and the code is
// reported as the catalog spells it. A regex match never cuts a word or a
// number in two: E\d{2,3} finds nothing in 5EE2087 (a misread SET 2087).
import { BadInputError } from '../system/errors.js';

/** Letters, an optional dash or space, digits — not inside a longer word or number. */
export const DEFAULT_ALARM_PATTERN = '/(?<![A-Za-z0-9])[A-Z]{1,3} ?-? ?\\d{2,4}(?![0-9])/';

interface CompiledPattern {
  source: string;
  /** Case-insensitive, global. */
  regex: RegExp;
  /** The pattern as written, whole-text and case-sensitive (for the catalog's spelling). */
  exact?: RegExp;
  /** For literals: the canonical text reported. */
  literal?: string;
}

export class AlarmPatternError extends BadInputError {}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `fold` (catalog patterns): match regexes case-insensitively (the generic pattern keeps its case). */
export function compileAlarmPattern(pattern: string, fold = true): CompiledPattern {
  const p = pattern.trim();
  if (!p) throw new AlarmPatternError('an alarm-code pattern is empty; give a literal like E-042 or a /regex/');
  const m = /^\/(.+)\/([a-z]*)$/s.exec(p);
  if (m) {
    const flags = fold ? `${m[2]!.replace(/[gi]/g, '')}gi` : m[2]!.includes('g') ? m[2]! : `${m[2]!}g`;
    try {
      return { source: p, regex: new RegExp(m[1]!, flags), exact: new RegExp(`^(?:${m[1]!})$`, m[2]!.replace('g', '')) };
    } catch (err) {
      throw new AlarmPatternError(`alarm-code pattern ${p} is not a valid regular expression: ${(err as Error).message}`);
    }
  }
  const chars = [...p.replace(/\s+/g, '')].map(escapeRegex).join('\\s*');
  return { source: p, regex: new RegExp(`(?<![A-Za-z0-9]|\\d[.,])${chars}(?![A-Za-z0-9]|[.,]\\d)`, 'gi'), literal: p };
}

// Latin letters and digits only: a code glued to Chinese text (电机故障E-042) is still a code.
const kindOf = (c: string | undefined): 'letter' | 'digit' | null => (c === undefined ? null : /[A-Za-z]/.test(c) ? 'letter' : /[0-9]/.test(c) ? 'digit' : null);

/**
 * True when text[start, end) would cut a word or a number: it starts with a
 * letter right after a letter (or a digit after a digit), or ends likewise, or
 * its digits run on past a decimal point or comma into more digits (E588 in
 * P2E588.6, a misread PRES 7.6: the digits are a value's, not a code's).
 */
export function cutsToken(text: string, start: number, end: number): boolean {
  if (end <= start) return false;
  const first = kindOf(text[start]), last = kindOf(text[end - 1]);
  const decimalAfter = last === 'digit' && /^[.,]\d/.test(text.slice(end, end + 2));
  const decimalBefore = first === 'digit' && start >= 2 && /^\d[.,]$/.test(text.slice(start - 2, start));
  return (!!first && first === kindOf(text[start - 1])) || (!!last && last === kindOf(text[end])) || decimalAfter || decimalBefore;
}

/**
 * True when the characters before text[start] back to the start of its word are all digits, and text[start] is a
 * letter: a code glued behind a number and nothing else is no code standing on its own but the misread end of a word
 * whose letters the recogniser took for digits (SPEED read 58E62, E62 a catalog code; a code glued to a word, as in
 * Motor2OVERLOAD or 电机故障E-042, still counts).
 */
function digitsGlued(text: string, start: number): boolean {
  if (kindOf(text[start]) !== 'letter') return false;
  let i = start;
  while (i > 0 && /[\p{L}\p{N}]/u.test(text[i - 1]!)) i--;
  return i < start && /^\d+$/.test(text.slice(i, start));
}

/**
 * A code matched case-insensitively, spelled as the pattern writes it: as read
 * when `exact` (the pattern, whole-text, case-sensitive) takes it, else in
 * upper, lower or title case, whichever it takes; upper case when none does.
 */
export function catalogSpelling(exact: RegExp, code: string): string {
  const title = code.toLowerCase().replace(/(^|[^\p{L}])(\p{L})/gu, (_, a: string, b: string) => a + b.toUpperCase());
  for (const c of [code, code.toUpperCase(), code.toLowerCase(), title]) {
    exact.lastIndex = 0;
    if (exact.test(c)) return c;
  }
  return code.toUpperCase();
}

/** "F- 101" → "F-101", "ERR  503" → "ERR 503". */
function tidyCode(s: string): string {
  return s.replace(/\s*-\s*/g, '-').replace(/\s+/g, ' ').trim();
}

/**
 * True when a separate number follows the code in the line: a name and its value (a status line whose name was
 * misread as a code: LOAD 60% read L083 604), not a code standing alone or among words (ALARM E-042 OVERLOAD).
 */
export function valueFollows(text: string, code: string): boolean {
  const t = tidyCode(text).toUpperCase();
  const at = t.indexOf(code.toUpperCase());
  return at >= 0 && /^ \d/.test(t.slice(at + code.length));
}

/**
 * True when letters follow the code in the line with no space between and a separate number follows them: the code is
 * the start of a name run together with its digits, and the number its value (LOAD 82% read L08R 828 holds L08 only
 * as the start of L08R). A code run on to a word alone (a box over a code and a label beside it: E861LOCKOUT) is
 * left to stand.
 */
export function letterFollows(text: string, code: string): boolean {
  const t = tidyCode(text).toUpperCase();
  const at = t.indexOf(code.toUpperCase());
  return at >= 0 && /^\p{L}+ \d/u.test(t.slice(at + code.length));
}

/** Finds alarm codes in lines of panel text. */
export class AlarmCodeExtractor {
  private readonly patterns: CompiledPattern[];

  /** `patterns`: literals or /regex/ strings; empty or omitted means the generic pattern. */
  constructor(patterns: readonly string[] = []) {
    this.patterns = patterns.length ? patterns.map((p) => compileAlarmPattern(p)) : [compileAlarmPattern(DEFAULT_ALARM_PATTERN, false)];
  }

  /** Codes found, each once, in the order they first appear. */
  extract(lines: readonly string[]): string[] {
    const found: Array<{ code: string; line: number; at: number }> = [];
    lines.forEach((line, li) => {
      for (const p of this.patterns) {
        p.regex.lastIndex = 0;
        for (const m of line.matchAll(p.regex)) {
          const at = m.index ?? 0;
          if (!p.literal && (cutsToken(line, at, at + m[0].length) || digitsGlued(line, at))) continue;
          found.push({ code: p.literal ?? catalogSpelling(p.exact!, tidyCode(m[0])), line: li, at });
        }
      }
    });
    found.sort((a, b) => a.line - b.line || a.at - b.at);
    return [...new Set(found.map((f) => f.code))];
  }

  /** The literal patterns (useful as an OCR vocabulary). */
  literals(): string[] {
    return this.patterns.filter((p) => p.literal).map((p) => p.literal!);
  }
}
