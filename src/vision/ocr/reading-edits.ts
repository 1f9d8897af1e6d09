// How the grammar's reading of a line differs from what the recogniser read: characters changed (edit distance), and
// the two rules line-grammar.ts asks of a reading through the alignment of the two: a decimal point between digits is
// kept, and no digit read inside a run of digits is turned into a letter.

/** Characters that differ between two readings (spaces ignored; length difference counts). */
export function changedChars(a: string, b: string): number {
  const x = [...a.replace(/\s+/g, '').toUpperCase()], y = [...b.replace(/\s+/g, '').toUpperCase()];
  // Edit distance: the constraint may drop or add a character (a dash read as two).
  return editTable(x, y)[x.length]![y.length]!;
}

/** The edit-distance table between x and y: d[i][j] edits turn x's first i characters into y's first j. */
function editTable(x: readonly string[], y: readonly string[]): number[][] {
  const d = Array.from({ length: x.length + 1 }, (_, i) => [i, ...new Array<number>(y.length).fill(0)]);
  for (let j = 1; j <= y.length; j++) d[0]![j] = j;
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
  }
  return d;
}

/**
 * False when a reading drops or replaces a decimal point that `raw` shows between two digits which stay digits in the
 * reading (P.550.8 → P-5508: a value's point deleted to make a code). A point whose neighbour the reading turns into
 * a letter (6.317 → E-317: the E's middle bar read as a point) is a look-alike, not a decimal point, and may go.
 */
export function keepsDecimalPoints(raw: string, reading: string): boolean {
  const x = [...raw.replace(/\s+/g, '').toUpperCase()], y = [...reading.replace(/\s+/g, '').toUpperCase()];
  if (!x.some((c, i) => c === '.' && /\d/.test(x[i - 1] ?? '') && /\d/.test(x[i + 1] ?? ''))) return true;
  const at = alignment(x, y);
  return x.every((c, i) => {
    if (c !== '.' || !/\d/.test(x[i - 1] ?? '') || !/\d/.test(x[i + 1] ?? '')) return true;
    if (at[i] !== undefined && y[at[i]!] === '.') return true;
    const before = at[i - 1], after = at[i + 1];
    // Both neighbours still digits in the reading: the point between them was dropped or changed.
    return before === undefined || after === undefined || !/\d/.test(y[before]!) || !/\d/.test(y[after]!);
  });
}

/**
 * True when `reading` turns into a letter a digit of `raw` that the recogniser read next to another digit with no space
 * between them (H24 → HZ 4: the 2 of the run 24). A status name ends where its value begins, so a display that shows
 * one keeps its last letter apart from the number or reads it as a letter; a digit inside a run is part of the number.
 */
export function lettersInDigitRun(raw: string, reading: string): boolean {
  const chars = [...raw.toUpperCase()];
  const x: string[] = [], joined: boolean[] = [];
  chars.forEach((c, i) => {
    if (/\s/.test(c)) return;
    x.push(c);
    joined.push(/\d/.test(c) && (/\d/.test(chars[i + 1] ?? '') || /\d/.test(chars[i - 1] ?? '')));
  });
  const y = [...reading.replace(/\s+/g, '').toUpperCase()];
  const at = alignment(x, y);
  return x.some((c, i) => joined[i] && at[i] !== undefined && /[A-Z]/.test(y[at[i]!]!));
}

/** For each character of x, the position of the character of y it is aligned with (undefined where deleted). */
function alignment(x: string[], y: string[]): Array<number | undefined> {
  const d = editTable(x, y);
  const out = new Array<number | undefined>(x.length);
  for (let i = x.length, j = y.length; i > 0 && j >= 0;) {
    if (j > 0 && d[i]![j] === d[i - 1]![j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1)) { out[i - 1] = j - 1; i--; j--; }
    else if (d[i]![j] === d[i - 1]![j]! + 1) i--;
    else j--;
  }
  return out;
}
