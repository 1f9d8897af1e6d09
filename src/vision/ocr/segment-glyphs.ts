// Which segments each character lights on a seven- and a fourteen-segment
// display, and how well a cell's sampled segments fit each character.
// Segment names: a top, b upper right, c lower right, d bottom, e lower left,
// f upper left, g middle (seven-segment); on fourteen-segment displays the
// middle is two halves g1 (left) and g2 (right), plus the centre verticals i
// (upper) and l (lower) and the diagonals h (upper left), j (upper right),
// k (lower left), m (lower right). Displays differ in a few glyphs (a 7 with or
// without f, lower-case r/n/o/u/b/d/t/h on seven segments), so a character may
// list several patterns; characters a display cannot draw are absent. A
// fourteen-segment S is drawn as a 5, with the diagonals that join its bars
// (DSEG14 lights h and m beside them), or with the upper diagonal for f and g1.

export type SegmentName = 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'g1' | 'g2' | 'h' | 'i' | 'j' | 'k' | 'l' | 'm';

export const SEGMENTS_7: readonly SegmentName[] = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
export const SEGMENTS_14: readonly SegmentName[] = ['a', 'b', 'c', 'd', 'e', 'f', 'g1', 'g2', 'h', 'i', 'j', 'k', 'l', 'm'];

/** Seven-segment glyphs (upper case as read; lower-case shapes listed as alternatives). */
export const GLYPHS_7: Record<string, string[]> = {
  '0': ['abcdef'], '1': ['bc'], '2': ['abdeg'], '3': ['abcdg'], '4': ['bcfg'], '5': ['acdfg'], '6': ['acdefg', 'cdefg'], '7': ['abc', 'abcf'],
  '8': ['abcdefg'], '9': ['abcdfg', 'abcfg'], A: ['abcefg'], B: ['cdefg'], C: ['adef', 'deg'], D: ['bcdeg'], E: ['adefg'], F: ['aefg'],
  G: ['acdef'], H: ['bcefg', 'cefg'], I: ['bc', 'ef'], J: ['bcde'], L: ['def'], N: ['ceg', 'abcef'], O: ['abcdef', 'cdeg'], P: ['abefg'],
  Q: ['abcfg'], R: ['eg', 'aef'], S: ['acdfg', 'cdfg'], T: ['defg'], U: ['bcdef', 'cde'], Y: ['bcdfg'], Z: ['abdeg'], '-': ['g'],
};

/** Fourteen-segment glyphs (segment names separated by spaces). */
export const GLYPHS_14: Record<string, string[]> = {
  '0': ['a b c d e f', 'a b c d e f j k'], '1': ['b c', 'b c j'], '2': ['a b d e g1 g2'], '3': ['a b c d g2', 'a b c d g1 g2'],
  '4': ['b c f g1 g2'], '5': ['a c d f g1 g2', 'a d f g1 m'], '6': ['a c d e f g1 g2'], '7': ['a b c', 'a b c f', 'a j l', 'a j k'],
  '8': ['a b c d e f g1 g2'], '9': ['a b c d f g1 g2'], A: ['a b c e f g1 g2'], B: ['a b c d g2 i l'], C: ['a d e f'],
  D: ['a b c d i l'], E: ['a d e f g1', 'a d e f g1 g2'], F: ['a e f g1', 'a e f g1 g2'], G: ['a c d e f g2'], H: ['b c e f g1 g2'],
  I: ['a d i l'], J: ['b c d e'], K: ['e f g1 j m'], L: ['d e f'], M: ['b c e f h j', 'b c e f h j l'], N: ['b c e f h m'], O: ['a b c d e f'],
  P: ['a b e f g1 g2'], Q: ['a b c d e f m'], R: ['a b e f g1 g2 m'], S: ['a c d f g1 g2', 'a c d h g2', 'a c d f g1 g2 h m'], T: ['a i l'],
  U: ['b c d e f'], V: ['e f j k'], W: ['b c e f k m'], X: ['h j k m'], Y: ['h j l', 'b f g1 g2 l'], Z: ['a d j k'], '-': ['g1 g2'],
};

const pOn = (lit: number): number => Math.min(0.97, Math.max(0.03, 1 / (1 + Math.exp(-(lit - 0.5) * 12))));

const compiled = new Map<string, Array<[string, Set<string>[]]>>();
function glyphs(kind: 7 | 14): Array<[string, Set<string>[]]> {
  const key = String(kind);
  let g = compiled.get(key);
  if (!g) {
    const table = kind === 7 ? GLYPHS_7 : GLYPHS_14;
    g = Object.entries(table).map(([c, pats]) => [c, pats.map((p) => new Set(kind === 7 ? [...p] : p.split(' ')))]);
    compiled.set(key, g);
  }
  return g;
}

/** The segment sets a display of this kind draws character c with (one per pattern of its glyph table). */
export function glyphShapes(c: string, kind: 7 | 14): readonly Set<string>[] {
  return glyphs(kind).find(([g]) => g === c)?.[1] ?? [];
}

/** A relation between a character's segment set and another character's (shapesRelated). */
export type ShapeRelation = (own: ReadonlySet<string>, other: ReadonlySet<string>) => boolean;
const related = new Map<ShapeRelation, Map<string, readonly string[]>>();

/**
 * The other characters of a kind's table one of whose patterns stands in `relation` to one of c's patterns, worked
 * out once per relation, kind and character (the fuller glyphs of fuller-glyphs.ts, the look-alike digits of
 * digit-look-alikes.ts).
 */
export function shapesRelated(c: string, kind: 7 | 14, relation: ShapeRelation): readonly string[] {
  let table = related.get(relation);
  if (!table) related.set(relation, (table = new Map()));
  const key = `${kind}${c}`;
  let out = table.get(key);
  if (!out) {
    const own = glyphShapes(c, kind);
    out = glyphs(kind).filter(([o, shapes]) => o !== c && shapes.some((os) => own.some((cs) => relation(cs, os)))).map(([o]) => o);
    table.set(key, out);
  }
  return out;
}

const alike = new Map<string, Map<string, string[]>>();
/**
 * The other characters a display of this kind draws exactly as it draws `c` in one of its patterns (0 and O, 5 and S,
 * 1 and I on seven segments): no segment tells them apart.
 */
export function drawnAlike(c: string, kind: 7 | 14): readonly string[] {
  const key = String(kind);
  let table = alike.get(key);
  if (!table) {
    table = new Map();
    const byPattern = new Map<string, string[]>();
    for (const [ch, pats] of glyphs(kind)) for (const p of pats) {
      const k = [...p].sort().join(' ');
      byPattern.set(k, [...(byPattern.get(k) ?? []), ch]);
    }
    for (const chars of byPattern.values()) for (const ch of chars) {
      const others = chars.filter((o) => o !== ch && !table!.get(ch)?.includes(o));
      if (others.length) table.set(ch, [...(table.get(ch) ?? []), ...others]);
    }
    alike.set(key, table);
  }
  return table.get(c) ?? [];
}

/**
 * True when a reading differs from the cells' text only at characters the display draws exactly alike (O for 0, S for
 * 5): the cells spell it as they are, the grammar having only chosen between glyphs no segment tells apart (ERR O1,
 * the recogniser reading the 0 as A, is the code ERR 01 as the cells show it).
 */
export function onlyAlikeChanged(cells: string, reading: string, segments: 7 | 14): boolean {
  const compact = (s: string): string[] => [...s.replace(/[\s.]/g, '').toUpperCase()];
  const c = compact(cells), r = compact(reading);
  return c.length === r.length && c.every((ch, i) => ch === r[i] || drawnAlike(ch, segments).includes(r[i]!));
}

/** Positions a seven-segment display has nothing at: ink there speaks against it. */
const SEVEN_DARK: readonly SegmentName[] = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm'];

/** How far the two halves of a split middle bar may raise its centre's light, as a multiple of it. */
const HALVES_OVER_CENTRE = 1.5;

/**
 * A cell's middle bar read as one seven-segment bar: its centre's light, raised by the two halves where both are lit
 * (a fourteen-segment middle is drawn in two halves, and the gap where they meet dims the centre), to at most
 * HALVES_OVER_CENTRE times the centre's own light. NaN where the centre could not be judged.
 */
export function middleBar(lit: Partial<Record<SegmentName, number>>): number {
  const g = lit.g ?? 0;
  if (Number.isNaN(g)) return g;
  return Math.max(g, Math.min(lit.g1 ?? 0, lit.g2 ?? 0, HALVES_OVER_CENTRE * g) || 0);
}

/**
 * Likelihood of each character given a cell's segment scores (best of its
 * patterns; one clearly wrong segment costs about a factor 30).
 */
export function glyphLikelihoods(lit: Partial<Record<SegmentName, number>>, kind: 7 | 14): Map<string, number> {
  const segs = kind === 7 ? SEVEN_DARK : SEGMENTS_14;
  // Read as seven segments, a middle bar drawn in two halves (a fourteen-segment display showing digits) is lit
  // when both halves are, though the gap where they meet dims its centre. The halves count for at most one and a
  // half times the centre's own light: a dark centre between two lit halves is no split bar but the glow of the
  // uprights' ends beside it (a 7 drawn with its upper left upright, blurred, read 9: E171 read E191, FLT 77 FLT 97).
  if (kind === 7 && !Number.isNaN(lit.g ?? 0)) lit = { ...lit, g: middleBar(lit) };
  // Each judged segment's probability of being lit, worked out once for all patterns, in the order of segs.
  // A segment that could not be judged (glare) speaks for no glyph.
  const judged: number[] = [], on: number[] = [];
  segs.forEach((s, i) => {
    const v = lit[s] ?? 0;
    if (!Number.isNaN(v)) { judged.push(i); on.push(pOn(v)); }
  });
  const out = new Map<string, number>();
  for (const [c, pats] of glyphMasks(kind)) {
    let best = 0;
    for (const p of pats) {
      let l = 1;
      for (let k = 0; k < judged.length; k++) l *= p[judged[k]!] ? on[k]! : 1 - on[k]!;
      if (l > best) best = l;
    }
    out.set(c, best);
  }
  return out;
}

/** Per kind: each character's patterns as flags over the segments glyphLikelihoods weighs (1: the pattern lights it). */
const masks = new Map<7 | 14, Array<[string, Uint8Array[]]>>();
function glyphMasks(kind: 7 | 14): Array<[string, Uint8Array[]]> {
  let m = masks.get(kind);
  if (!m) {
    const segs = kind === 7 ? SEVEN_DARK : SEGMENTS_14;
    m = glyphs(kind).map(([c, pats]) => [c, pats.map((p) => Uint8Array.from(segs, (s) => (p.has(s) ? 1 : 0)))]);
    masks.set(kind, m);
  }
  return m;
}
