// A status name misread as one word of a letter and digits, its value after it: FREQ 31.1 on a fourteen-segment LCD
// with ghost segments read as the one line F850 311 (R, E and Q taken for 8, 5 and 0, the point lost). A catalog that
// knows F\d{3} finds F850 in it; without a catalog a code followed by a separate number is already taken for a name
// and its value (alarm-codes.ts valueFollows), but a catalog's code is trusted in any text. It is not trusted here:
// the code is the line's first word, one run of letters then digits with no space or dash inside, as long as a status
// name it starts like (F850 and FREQ: same first letter, four characters each), and a number of two digits or more
// follows it after a space, as a value follows its name. A code written with a space or dash (E-042, ALM 12), one
// followed by a lone digit (a blank cell's ghost 8 beside A05), or one no status name is spelled like stands.

/** Shortest status name a code may stand for: two-letter names (HZ, SV, PV) are too like short codes. */
const MIN_NAME = 3;

/**
 * The status name (among `statusNames`) whose misreading the code `code`, found at the start of `text`, is; or null.
 */
export function nameReadAsCode(text: string, code: string, statusNames: Iterable<string>): string | null {
  const t = text.replace(/\s+/g, ' ').trim().toUpperCase(), c = code.trim().toUpperCase();
  const m = /^([A-Z]+)\d+$/.exec(c);
  if (!m || !t.startsWith(c) || !/^ \d[\d.,:]*\d(?![\d.,:]*[A-Z])/.test(t.slice(c.length))) return null;
  for (const name of statusNames) {
    const n = name.toUpperCase();
    if (n.length >= MIN_NAME && n.length === c.length && n.startsWith(m[1]!) && /^[A-Z]+$/.test(n)) return n;
  }
  return null;
}
