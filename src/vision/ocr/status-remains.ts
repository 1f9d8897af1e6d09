// Alarm codes that are the remains of a status line. A status line whose first
// letter is lost (glare over it, a text box that starts after it, a segment cell
// too dim to read) leaves the tail of its name before the value: RUN 125 read
// "un 125", SPEED 1450 read "PEED 1450", TEMP 72 read "EMP 72". The code grammar
// then makes a code of it by turning the tail's letters into digits, keeping
// only the first as a prefix (un 125 → U1125). Such a reading is no alarm: the
// letters the recogniser read spell the end of a status name, which no usual
// alarm prefix does, and the code keeps fewer letters than were read there.
// The analyzer leaves these codes out of the frame's alarms (the line itself is
// kept, as read); a code whose prefix is the letters as read (FL 12 read EL 12,
// decoded FL12) is not touched.
import type { LineReading } from './line-grammar.js';

/** The letters a reading starts with, before its first digit (spaces, a dash or a colon may come between). */
function leadingLetters(text: string): string {
  const m = /^\s*([A-Za-z]+)[\s:=.-]*\d/.exec(text);
  return m ? m[1]!.toUpperCase() : '';
}

/**
 * The status name whose end the letters are (UN → RUN), or null: at least two letters, a proper tail of a known
 * name, and not themselves a usual alarm prefix (the prefix list wins where both could be meant).
 */
export function statusTail(letters: string, statusNames: ReadonlySet<string>, alarmPrefixes: ReadonlySet<string>): string | null {
  const l = letters.toUpperCase();
  if (l.length < 2 || alarmPrefixes.has(l) || statusNames.has(l)) return null;
  for (const name of statusNames) if (name.length > l.length && name.endsWith(l)) return name;
  return null;
}

/**
 * The status name a code reading is the remains of (RUN for U1125 read from "un 125"), or null when the code stands:
 * the raw reading starts with a status name's tail and the code keeps fewer of those letters than were read.
 */
export function remainsOfStatus(reading: Pick<LineReading, 'raw'>, code: string, statusNames: ReadonlySet<string>,
  alarmPrefixes: ReadonlySet<string>): string | null {
  const read = leadingLetters(reading.raw);
  const name = statusTail(read, statusNames, alarmPrefixes);
  if (!name) return null;
  const kept = /^[A-Za-z]*/.exec(code.trim())![0].toUpperCase();
  return kept.length < read.length ? name : null;
}
