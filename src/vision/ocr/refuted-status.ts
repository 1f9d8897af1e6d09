// A named status the grammar made out of a letter the cells show otherwise.
// The recogniser, shown A05 on a seven-segment LCD, read ROS, and the grammar
// took it for the status POS by changing its R into a P. The cell under that
// character lights an A's segments (its lower right upright among them, which
// neither a P nor an R has): the grammar's letter is a guess the segments
// refute, and the cells' code read as it is (A05, the O and S taken for the
// digits they are drawn as) is the line. A status the recogniser read as it is,
// or one whose changed characters the cells do not clearly name as other
// letters, keeps its line (segmentsSpeak).
import type { LineReading } from './line-grammar.js';

const compact = (s: string): string[] => [...s.replace(/[\s.]/g, '').toUpperCase()];
const letter = (c: string | undefined): boolean => !!c && /\p{L}/u.test(c);

/**
 * True when the recogniser's reading is a status the grammar made by changing its characters (none added or dropped),
 * and at each changed place the cells read a letter other than the grammar's, which the code the cells spell
 * (`bySegments`, an alarm with as many characters) keeps there.
 */
export function cellsRefuteStatus(byRecogniser: LineReading, bySegments: LineReading, cellsText: string): boolean {
  if (byRecogniser.kind !== 'status' || bySegments.kind !== 'alarm' || !byRecogniser.changed) return false;
  const raw = compact(byRecogniser.raw), made = compact(byRecogniser.text), cells = compact(cellsText), code = compact(bySegments.text);
  if (raw.length !== made.length || cells.length !== made.length || code.length !== made.length) return false;
  let refuted = 0;
  for (let i = 0; i < made.length; i++) {
    if (made[i] === raw[i]) continue;
    if (!letter(cells[i]) || cells[i] === made[i] || code[i] !== cells[i]) return false;
    refuted++;
  }
  return refuted > 0;
}
