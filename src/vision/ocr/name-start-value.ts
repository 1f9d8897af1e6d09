// A code made of a status value whose name was boxed apart and misread. A display line such as RUN 2272 may be boxed
// in two: the name alone and the value alone. Where the name's box reads a word that is not quite a status name (RUN
// read ruI on an inverted, glaring LCD), nothing marks the row as a status, and the value's box, read from another view
// as a number the grammar dressed as a code (5.2292 made U-2292), is reported as an alarm. The name's box still reads
// part of a status name: a word of letters only, no longer than that name, whose first two letters start it (RU for
// RUN), or the name's end where its first letter was lost (UN for RUN, as status-remains.ts reads it before digits).
// A code whose box comes right after such a word on the same row, and whose letters the recogniser did not read (its
// raw text holds digits and marks only), is that status's value. A code whose letters were read stands, as does one
// after a word that is no part of a status name, or one the word's box is far from or on another row.
// A whole status name read by itself on the row (RPM, a status with no value) is missing its value as surely: the code
// boxed next to it is that value even where its letters were read (RPM 1899 on a thin fourteen-segment LCD, its value
// boxed apart across the wide blank cells and read H44), within a few of the name's own character widths, at a like
// height (a legend printed beside a display is smaller than the display's characters).
import { sameRow } from './status-pieces.js';

type Bounds = { x: number; y: number; width: number; height: number };

export interface NamedLine {
  text: string;
  raw?: string;
  box: Bounds;
  reading?: { kind: string; raw?: string };
}

/** Share of the word's box, from its right end, that the value's box may start inside (as status-pieces.ts). */
const NAME_OVERLAP = 0.5;
/** Widest gap between the word and the value's box, in the lower box height. */
const NEXT_GAP = 1.2;
/** Widest gap between a whole status name and its value's box, in the name's character widths (its box over its letters). */
const WHOLE_NAME_GAP = 3;
/** Least and most ratio of the value's box height to the whole name's. */
const LIKE_HEIGHT: readonly [number, number] = [0.5, 2];

/** The status names a run of letters starts and ends, or null, and whether it is one (LineGrammar's). */
export interface NameParts {
  nameStart(letters: string): string | null;
  nameEnd(letters: string): string | null;
  isStatusName(code: string): boolean;
}

/** The status name the word is the start or the end of, or null. */
function nameOfPart(word: string, names: NameParts): string | null {
  const head = names.nameStart(word.slice(0, 2));
  return head && word.length <= head.length ? head : names.nameEnd(word);
}

/**
 * The line (among `lines`) whose word is part of a status name and whose value the code `code`, read from `line`, is;
 * or null.
 */
export function namePartBefore<L extends NamedLine>(line: L, code: string, lines: readonly L[], names: NameParts): L | null {
  const raw = line.reading?.raw ?? line.raw ?? line.text;
  if (!/\p{L}/u.test(code)) return null;
  const lettersRead = /\p{L}/u.test(raw);
  for (const s of lines) {
    if (s === line || s.reading?.kind === 'alarm') continue;
    const word = s.text.replace(/\s+/g, '').toUpperCase();
    if (!/^\p{L}{2,5}$/u.test(word)) continue;
    // A whole name is the grammar's own (SPD, HZ), not a word some longer name starts with (SPD starts no SPEED).
    const whole = names.isStatusName(word);
    if ((!whole && !nameOfPart(word, names)) || !sameRow(line.box, s.box)) continue;
    const gap = line.box.x - (s.box.x + s.box.width);
    if (gap <= -NAME_OVERLAP * s.box.width) continue;
    const h = Math.min(line.box.height, s.box.height);
    if (!lettersRead && gap <= NEXT_GAP * h) return s;
    const ratio = line.box.height / s.box.height;
    const alone = whole && s.reading?.kind === 'status' && ratio >= LIKE_HEIGHT[0] && ratio <= LIKE_HEIGHT[1];
    if (alone && gap <= (WHOLE_NAME_GAP * s.box.width) / word.length) return s;
  }
  return null;
}
