// Alarm codes that are the remains of a status line. A status line whose first
// letter is lost (glare over it, a text box that starts after it, a segment cell
// too dim to read) leaves the tail of its name before the value: RUN 125 read
// "un 125", SPEED 1450 read "PEED 1450", TEMP 72 read "EMP 72". The code grammar
// then makes a code of it by turning the tail's letters into digits, keeping
// only the first as a prefix (un 125 → U1125). Such a reading is no alarm: the
// letters the recogniser read spell the end of a status name, which no usual
// alarm prefix does, and the code keeps fewer letters than were read there.
// The same holds for the segment reader's cells (UN 1065 made OH 1065), and for
// a clock whose colon the recogniser read (08:5 1 made U851), and, without a
// catalog, for a bare value whose point was read as a space, given a letter and
// joined into one number (201.9 read "20 19" made E019). With a catalog the
// same value stands only where the letter could have been read as the digit it
// replaced (62 14 is E214: a segment E lacks one bar of a 6; a 2 is no E, so
// 20 19 stays a value under a catalog that knows E\d{3}). The analyzer leaves
// these codes out of the frame's alarms (the line itself is kept, as read); a
// code that keeps a letter of what was read in its place (FL 12 read EL 12,
// decoded FL12) is not touched, unless it changed another of those letters into
// one that no display shows alike (SET 2566 read ET 2566, decoded ER2566).

import { glyphTwins } from './glyph-twins.js';
import { confusionsInto } from './segment-confusion.js';

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
 * The status name whose start the letters are (FR → FREQ), or null: at least two letters, a proper start of a known
 * name, and not themselves a usual alarm prefix or a name.
 */
export function statusHead(letters: string, statusNames: ReadonlySet<string>, alarmPrefixes: ReadonlySet<string>): string | null {
  const l = letters.toUpperCase();
  if (l.length < 2 || alarmPrefixes.has(l) || statusNames.has(l)) return null;
  for (const name of statusNames) if (name.length > l.length && name.startsWith(l)) return name;
  return null;
}

/**
 * A clock as the recogniser reads one: hours (one or two digits), a colon, minutes (two digits, or one and a space and
 * one: 08:5 1), seconds after a second colon; no digit follows. A colon read inside a longer run of digits (a code's
 * letter read as a colon: 8:6008 for AL6006) is no clock, nor are minutes no clock shows (60 to 99: C-90 read 0:90 is
 * a code's letter and dash misread).
 */
const CLOCK = /(?:^|\D)\d{1,2}\s*:\s*(?:[0-5](?:\s?\d)?|[6-9])(?:\s*:\s*\d\d)?(?!\s*\d)/;

/**
 * The status a code reading is the remains of, or null when the code stands. `reading.raw` is what the recogniser
 * read; `cells`, where the segment reader read the line, what its cells showed. A status name (RUN for U1125 read from
 * "un 125"): either reader saw a status name's tail before the number, and the code keeps fewer of those letters, or
 * none of them in its place (cells UN 1065 made OH 1065). A clock: the recogniser read hours, a colon and minutes
 * (08:5 1), which no code the grammar made has. A value: see below.
 */
export function remainsOfStatus(reading: { raw: string }, code: string, statusNames: ReadonlySet<string>,
  alarmPrefixes: ReadonlySet<string>, cells?: string, catalog = false, spaced?: string): string | null {
  if (CLOCK.test(reading.raw) && !code.includes(':')) return 'clock';
  // A letter the grammar put on digits only, and digits it joined across a space the recogniser read (201.9 read
  // "20 19" made E019): two guesses, nothing vouching for either; the line is a value, not a code. A catalog vouches
  // for the code only where its letters are look-alikes of the digits they replace (62 14 for E214). A letter read
  // elsewhere in the line vouches for nothing where the code put a digit in its place (PRES 5.5 read "8-E5 55" made
  // P-6555: the code's P stands on a digit, its E became a 6; no letter of the code was read as one).
  // Where the segment reader's cells decided the line, they are what was read (cells F512 for the recogniser's 65 12).
  const read = cells || reading.raw;
  // The same where the reader took the gap out of what the recogniser read: an unlit cell of a display with ghost
  // segments, between a name and its value, read as an 8 and left out as a blank (PRES 7.6 read 8-65806, spaced A-65 06
  // by the reader, made A-6506: the P read as an 8 became the code's A).
  // A catalog does not vouch for a code joined across such a gap: the recogniser may drop or add a space, but the
  // reader saw a whole cell unlit between the digits, and no code's number has a blank cell inside it (PRES 8.3 behind a
  // glare spot read 65883, spaced E5 83, made E583 under a catalog of E codes).
  const gapped = !cells && spaced ? withReadLetters(spaced, reading.raw, code) : null;
  for (const r of gapped ? [read, gapped] : [read]) {
    // The gap is the reader's unlit cell only where the recogniser did not read a space there itself.
    const unlitCell = r === gapped && !joinsAcrossSpace(read, code);
    if (/\p{L}/u.test(code) && lettersOnDigitsOnly(r, code) && joinsAcrossSpace(r, code) && (!catalog || unlitCell || !lettersLookLikeDigits(r, code))) {
      return 'value';
    }
  }
  if (tailOfNumber(read, code)) return 'value';
  const kept = /^[A-Za-z]*/.exec(code.trim())![0].toUpperCase();
  for (const seen of [reading.raw, cells ?? '']) {
    const letters = lettersNotTwins(seen, code, leadingLetters(seen));
    const name = statusTail(letters, statusNames, alarmPrefixes);
    if (name && (kept.length < letters.length || ![...kept].some((c, i) => c === letters[i]) || unlikeLetter(kept, letters))) return name;
    // The start of a status name whose further letters were read as digits (FREQ 7.4 read FR8074, the E and Q as 8
    // and 0), where the code changed a letter read (ER8074): the grammar bent the name into an alarm prefix.
    // Only where a letter the code keeps differs from the letter read in its place: a code that keeps the letters it
    // read and turns a later one into a digit (C-75 read cO05 on fourteen segments, its 7 taken for an O) is not bent
    // from a name that starts CO.
    const head = statusHead(letters, statusNames, alarmPrefixes);
    if (head && [...kept].some((c, i) => letters[i] !== undefined && c !== letters[i])) return head;
  }
  return null;
}

/**
 * True when the code puts, where a status name's tail was read, a letter that is no look-alike of the letter read
 * there (ET 2566 made ER2566: a T and an R share two bars of seven; SET lost its S). The grammar took the letter for
 * an alarm prefix's, not for what the display showed; a look-alike (EL 12 made FL12: an F is an E short of its bottom
 * bar) is what a display shows as the other letter, and the code stands.
 */
function unlikeLetter(kept: string, letters: string): boolean {
  return [...kept].some((c, i) => letters[i] !== undefined && c !== letters[i] && /[A-Z]/.test(letters[i]!)
    && !confusionsInto(c).some(([x, w]) => x === letters[i] && w >= LOOK_ALIKE));
}

/**
 * The leading letters of what was read without those at their end that the code shows in their places as the digits
 * a seven-segment display draws them as (ES13 made E513: the S is a 5 drawn with the same five bars, not the tail of
 * PRES), where nothing in what was read sets them apart from the digits after them. A status name's tail stands
 * apart from its value by a space (PRES 13 cut to ES 13): those letters are kept.
 */
export function lettersNotTwins(seen: string, code: string, letters: string): string {
  const t = seen.trim();
  if (!letters || !/^\d/.test(t.slice(letters.length))) return letters;
  const c = [...code.replace(/[\s-]+/g, '')];
  let n = letters.length;
  while (n > 1 && c[n - 1] !== undefined && glyphTwins(letters[n - 1]!, c[n - 1]!)) n--;
  return letters.slice(0, n);
}

/**
 * The line as the reader spaced it (`spaced`: its text, blank cells it took out of the recogniser's reading now spaces),
 * with the code's leading letters put back as the characters the recogniser read in their places (both start alike),
 * or null where the reader's text does not start with the code's letters or the recogniser read fewer characters.
 */
export function withReadLetters(spaced: string, raw: string, code: string): string | null {
  const letters = /^[A-Za-z]+/.exec(code.trim())?.[0] ?? '';
  const t = spaced.trim(), r = raw.replace(/[\s-]+/g, '');
  if (!letters || t === raw.trim() || r.length < letters.length || t.slice(0, letters.length).toUpperCase() !== letters.toUpperCase()) return null;
  return r.slice(0, letters.length) + t.slice(letters.length);
}

/**
 * True when `code` is the end of a longer number read (`read`): digits read before it are left out (taken for unlit
 * cells), and each of its letters stands on a digit read there that no display draws like it (5423 behind two unlit
 * cells read 805 423, made E423 under a catalog of E codes: an E is no 5). A code's letter read as a look-alike digit
 * (E read 6), or a code spanning all that was read (C-01 read 2-01; C-76 read 0876, its dash read as an 8), is left to
 * stand.
 */
export function tailOfNumber(read: string, code: string): boolean {
  // A code whose dash stands where a character was read spans all of it too: a dash among ghost segments is read as an
  // 8 (C-76 read 0876), so the code is as long as the reading once its dash counts.
  if (code.replace(/\s+/g, '').length >= read.replace(/\s+/g, '').length) return false;
  const r = read.replace(/[\s-]+/g, ''), c = code.replace(/[\s-]+/g, '');
  if (r.length <= c.length || !/^\d+$/.test(r.slice(0, r.length - c.length))) return false;
  const tail = r.slice(r.length - c.length), letters = /^\p{L}*/u.exec(c)![0].length;
  return letters > 0 && tail.slice(letters) === c.slice(letters) && lettersOnDigitsOnly(tail, c) && !lettersLookLikeDigits(tail, c);
}

/** Weight from which a letter put where a digit was read counts as that digit's look-alike (E for 6: 0.8; E for 2: 0.15). */
const LOOK_ALIKE = 0.5;

/**
 * True when every letter `code` has where `read` (the same characters, some substituted) shows a digit is a look-alike
 * of that digit on a display (segment-confusion.ts): the catalog's code then explains the misreading.
 */
export function lettersLookLikeDigits(read: string, code: string): boolean {
  const r = [...read.replace(/[\s-]+/g, '')], c = [...code.replace(/[\s-]+/g, '')];
  if (r.length !== c.length) return false;
  return c.every((ch, i) => !(/\p{L}/u.test(ch) && /\d/.test(r[i]!))
    || confusionsInto(ch.toUpperCase()).some(([x, w]) => x === r[i] && w >= LOOK_ALIKE));
}

/**
 * True when every letter of `code` stands where `read` (the same characters, some substituted) shows a digit: none of
 * the code's letters was read as a letter (20 19 made E019; 8-E5 55 made P-6555, the E read there now a 6).
 */
export function lettersOnDigitsOnly(read: string, code: string): boolean {
  const r = [...read.replace(/[\s-]+/g, '')], c = [...code.replace(/[\s-]+/g, '')];
  if (r.length !== c.length) return false;
  return c.every((ch, i) => !/\p{L}/u.test(ch) || /\d/.test(r[i]!));
}

/**
 * True when `code` (the same characters as `raw`, some substituted) has two digits side by side where `raw` shows a
 * space between two digits: the code joined two numbers the recogniser read apart ("20 19" made E019; not "622 96"
 * made ERR 96, where the space falls after the letters).
 */
export function joinsAcrossSpace(raw: string, code: string): boolean {
  const r = raw.trim(), c = [...code.replace(/[\s-]+/g, '')];
  const compact = r.replace(/[\s-]+/g, '');
  if (compact.length !== c.length) return false;
  let k = 0;
  for (let i = 0; i < r.length; i++) {
    if (/[\s-]/.test(r[i]!)) {
      if (/\s/.test(r[i]!) && /\d/.test(r[i - 1] ?? '') && /\d/.test(r[i + 1] ?? '') && /\d/.test(c[k - 1] ?? '') && /\d/.test(c[k] ?? '')) return true;
    } else k++;
  }
  return false;
}
