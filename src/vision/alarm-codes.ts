// Alarm codes in the text read from a panel. Patterns come from the fault
// catalog: a literal ("E-042", "ERR 503") matches with any spacing (OCR often
// drops or adds spaces) and yields the literal as written in the catalog; a
// "/regex/flags" string matches as a regular expression and yields what it
// matched. Without patterns a generic one finds codes such as E-042, A17, F101.
import { BadInputError } from '../system/errors.js';

/** Letters, an optional dash or space, digits — not inside a longer word or number. */
export const DEFAULT_ALARM_PATTERN = '/(?<![A-Za-z0-9])[A-Z]{1,3} ?-? ?\\d{2,4}(?![0-9])/';

interface CompiledPattern {
  source: string;
  regex: RegExp;
  /** For literals: the canonical text reported. */
  literal?: string;
}

export class AlarmPatternError extends BadInputError {}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function compileAlarmPattern(pattern: string): CompiledPattern {
  const p = pattern.trim();
  if (!p) throw new AlarmPatternError('an alarm-code pattern is empty; give a literal like E-042 or a /regex/');
  const m = /^\/(.+)\/([a-z]*)$/s.exec(p);
  if (m) {
    const flags = m[2]!.includes('g') ? m[2]! : m[2]! + 'g';
    try {
      return { source: p, regex: new RegExp(m[1]!, flags) };
    } catch (err) {
      throw new AlarmPatternError(`alarm-code pattern ${p} is not a valid regular expression: ${(err as Error).message}`);
    }
  }
  const chars = [...p.replace(/\s+/g, '')].map(escapeRegex).join('\\s*');
  return { source: p, regex: new RegExp(`(?<![A-Za-z0-9])${chars}(?![A-Za-z0-9])`, 'gi'), literal: p };
}

/** "F- 101" → "F-101", "ERR  503" → "ERR 503". */
function tidyCode(s: string): string {
  return s.replace(/\s*-\s*/g, '-').replace(/\s+/g, ' ').trim();
}

/** Finds alarm codes in lines of panel text. */
export class AlarmCodeExtractor {
  private readonly patterns: CompiledPattern[];

  /** `patterns`: literals or /regex/ strings; empty or omitted means the generic pattern. */
  constructor(patterns: readonly string[] = []) {
    this.patterns = (patterns.length ? patterns : [DEFAULT_ALARM_PATTERN]).map(compileAlarmPattern);
  }

  /** Codes found, each once, in the order they first appear. */
  extract(lines: readonly string[]): string[] {
    const found: Array<{ code: string; line: number; at: number }> = [];
    lines.forEach((line, li) => {
      for (const p of this.patterns) {
        p.regex.lastIndex = 0;
        for (const m of line.matchAll(p.regex)) {
          found.push({ code: p.literal ?? tidyCode(m[0]), line: li, at: m.index ?? 0 });
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
