// Clean-up of what the recogniser read from a machine display. Segment
// displays draw several characters with nearly the same segments (8/B/A/R,
// 5/S, 0/O/D, 1/I/L/7), and a fourteen-segment minus is two half-segments that
// read as "--". These rules undo the common slips; snapping to a vocabulary
// (alarm codes and keywords from the fault catalog) resolves the rest only
// when a known word explains the reading through such slips alone.

/** Pairs of characters whose segment shapes differ by one or two segments. */
const CONFUSABLE: ReadonlyArray<string> = [
  '8B', '8A', 'BA', 'AR', '8R', 'BR',
  '5S', '0O', '0D', 'OD', '0Q', '0U', 'OU',
  '1I', '1L', '1T', '17', '7T', 'IL', 'IT', '1J',
  '2Z', '6G', '9G', '79', '4H', 'EF', 'CG',
];
const confusablePairs = new Set<string>();
for (const [a, b] of CONFUSABLE) {
  confusablePairs.add(a! + b!);
  confusablePairs.add(b! + a!);
}

export function confusable(a: string, b: string): boolean {
  const A = a.toUpperCase(), B = b.toUpperCase();
  return A === B || confusablePairs.has(A + B);
}

const DIGIT_TO_LETTER: Record<string, string> = { '5': 'S', '0': 'O', '1': 'I', '8': 'B', '2': 'Z', '6': 'G' };
const LETTER_TO_DIGIT: Record<string, string> = { O: '0', S: '5', I: '1', B: '8', Z: '2', G: '6', D: '0', l: '1', o: '0' };

/**
 * Within a token of three or more characters, one digit among letters becomes
 * the letter it resembles ("5TOP" → "STOP"), and one letter among digits the
 * digit ("2O48" → "2048"). Tokens with a real mix (E-042, A17, 85C) are kept.
 */
export function fixMixedToken(token: string): string {
  const chars = [...token];
  const alnum = chars.filter((c) => /[\p{L}\p{N}]/u.test(c));
  if (alnum.length < 3) return token;
  const digits = alnum.filter((c) => /\d/.test(c));
  const letters = alnum.filter((c) => /[A-Za-z]/.test(c));
  if (letters.length + digits.length !== alnum.length) return token;
  if (digits.length === 1 && DIGIT_TO_LETTER[digits[0]!] && letters.every((c) => c === c.toUpperCase()) && !prefixedNumber(alnum)) {
    return chars.map((c) => (c === digits[0] ? DIGIT_TO_LETTER[c]! : c)).join('');
  }
  if (letters.length === 1 && LETTER_TO_DIGIT[letters[0]!]) {
    return chars.map((c) => (c === letters[0] ? LETTER_TO_DIGIT[c]! : c)).join('');
  }
  return token;
}

/** Most letters a code's prefix has before its number (FLT, ERR, ALM). */
const PREFIX_LETTERS = 3;

/**
 * True when a token with one digit reads as a code's letter prefix and a number whose other characters the recogniser
 * took for the letters a segment display draws alike (H65 read H6S: the 5 and the S are the same five bars; E56 read
 * ES6). After one to PREFIX_LETTERS leading letters, everything up to the token's end is the digit or such a letter, two
 * characters at least: the digit is one of the number's, not a slip inside a word, and turning it into a letter too
 * (HGS, ESG) would leave no digit for the grammar to read the code by (glyph-twins.ts), nor a code within its one
 * change of the reading (ESG is two from E56, ES6 one). A word with its one digit first (5TOP), or last with no such
 * letter before it (AUT0), or with a letter after the prefix that no digit is drawn as (M0DE), or more letters before
 * its digit than a prefix has (HOLD0S), is still mended.
 */
function prefixedNumber(alnum: readonly string[]): boolean {
  const twinOrDigit = (c: string): boolean => /\d/.test(c) || (LETTER_TO_DIGIT[c] !== undefined && c === c.toUpperCase());
  // The digit stands within a prefix's reach of the start (HOLD0S is a word); the letters before it are all letters.
  const at = alnum.findIndex((c) => /\d/.test(c));
  if (at < 1 || at > PREFIX_LETTERS) return false;
  for (let k = 1; k <= at && alnum.length - k >= 2; k++) if (alnum.slice(k).every(twinOrDigit)) return true;
  return false;
}

/** Whitespace tidied, runs of dashes merged, mixed tokens fixed. */
export function cleanDisplayText(text: string): string {
  return text
    .replace(/[-－—–]{2,}/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .split(' ')
    .map(fixMixedToken)
    .join(' ');
}

/**
 * Replaces a stretch of `text` that a vocabulary word explains through
 * confusable characters only (at most half of the word's characters, the rest
 * equal; spaces in the reading are ignored). Words shorter than 3 characters
 * are not used. When several words fit the same stretch, the one needing the
 * fewest substitutions wins; a tie leaves the text alone.
 */
export function snapToVocabulary(text: string, vocabulary: readonly string[]): { text: string; snapped: string[] } {
  const words = [...new Set(vocabulary.map((w) => w.trim()).filter((w) => w.replace(/[^\p{L}\p{N}]/gu, '').length >= 3))];
  if (words.length === 0) return { text, snapped: [] };
  // Work on the reading without spaces, remembering where each kept char came from.
  const kept: number[] = [];
  const chars = [...text];
  chars.forEach((c, i) => {
    if (!/\s/.test(c)) kept.push(i);
  });
  const compact = kept.map((i) => chars[i]!);
  const out = [...chars];
  const snapped: string[] = [];
  const used = new Uint8Array(compact.length);
  // Longer words first, so "ERR 503" wins over a shorter word inside it.
  const byLength = [...words].sort((a, b) => b.length - a.length);
  for (const word of byLength) {
    const w = [...word.replace(/\s+/g, '')];
    let best = -1, bestSubs = Infinity, tie = false;
    for (let s = 0; s + w.length <= compact.length; s++) {
      let subs = 0, ok = true;
      for (let k = 0; k < w.length && ok; k++) {
        const c = compact[s + k]!;
        if (used[s + k]) ok = false;
        else if (c.toUpperCase() === w[k]!.toUpperCase()) continue;
        else if (confusable(c, w[k]!)) subs++;
        else ok = false;
      }
      if (!ok || subs === 0 || subs > Math.floor(w.length / 2)) continue;
      if (subs < bestSubs) {
        best = s;
        bestSubs = subs;
        tie = false;
      } else if (subs === bestSubs) tie = true;
    }
    if (best < 0 || tie) continue;
    for (let k = 0; k < w.length; k++) {
      out[kept[best + k]!] = w[k]!;
      used[best + k] = 1;
    }
    snapped.push(word);
  }
  return { text: out.join(''), snapped };
}
