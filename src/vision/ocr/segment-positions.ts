// Display positions in a segment-display line (segment-cells.ts): a display
// shows its text in a fixed field of cells at one pitch. Positions it leaves
// unlit still show their ghost segments, and are dropped by their own light;
// a space is a gap wider than the line's usual gap between cells.
import { percentile, type SegmentCell } from './segment-cell.js';
import { selectInPlace, typedUnordered } from './order-statistics.js';

/** A cell at the line's end whose stroke light is under this share of the line's usual cell's is a blank position. */
const GHOST_LIGHT = 0.33;

/**
 * Drops blank positions at the line's ends. A display that shows a short text in a longer field leaves its other
 * positions unlit, and their ghost segments (or the glow of an unlit cell's outline) make cells of their own: far from
 * the lit ones, they are measured against their own faint light and look like an 8 or a 1. What tells them apart is
 * the light itself, before it is scaled to the ink around: glare is already divided out (the gain map), so a lit
 * segment anywhere on the line is about as bright as the others, and an unlit one is a fraction of that.
 */
export function dropBlankEnds(cells: SegmentCell[], light: Float32Array, w: number, top: number, bottom: number, shear: number, yc: number, bar: number): void {
  const own = cells.map((c) => cellLight(light, w, top, bottom, c.x0, c.x1, shear, yc, c.shape === '.' ? pointBar(c) : bar));
  const usual = percentile(own.filter((_, i) => cells[i]!.shape !== '.'), 0.5);
  if (!(usual > 0)) return;
  dropUnlitPoints(cells, own, usual);
  const blank = (i: number): boolean => cells[i]!.shape !== '.' && own[i]! < GHOST_LIGHT * usual;
  let a = 0, b = cells.length - 1;
  // A decimal point beside a blank position goes with it.
  while (a <= b && (blank(a) || (cells[a]!.shape === '.' && a < b && blank(a + 1)))) a++;
  while (b >= a && (blank(b) || (cells[b]!.shape === '.' && b > a && blank(b - 1)))) b--;
  // A point left at an end once blank positions past it are gone stood before one of them (a ghost digit's point on
  // an LCD, or one found between a glyph and a ghost): a decimal point stands between two digits, so it goes too.
  while (a <= b && a > 0 && cells[a]!.shape === '.') a++;
  while (b >= a && b < cells.length - 1 && cells[b]!.shape === '.') b--;
  // Inside the line a blank position is the space between two words (its decimal point goes with it).
  const keep = cells.map((c, i) => i >= a && i <= b && !blank(i) && !(c.shape === '.' && i > a && blank(i - 1)));
  if (keep.every(Boolean)) return;
  const kept: SegmentCell[] = [];
  let gap = false;
  cells.forEach((c, i) => {
    if (!keep[i]) { gap = kept.length > 0; return; }
    if (gap) c.spaceBefore = true;
    gap = false;
    kept.push(c);
  });
  if (kept.length) { kept[0]!.spaceBefore = false; delete kept[0]!.glareBefore; }
  cells.splice(0, cells.length, ...kept);
}

/**
 * Drops the decimal points whose light is an unlit segment's (under GHOST_LIGHT of the line's usual cell): every
 * position of a glowing LED or an LCD shows its point faintly too, and measured against the dark around it such a
 * point passes for ink (the blank fourth position after H04 left its ghost point, read H04 . and no code). A lit point
 * is as bright as the lit segments (its brightest pixels are counted, as a bar's are), so the light tells the two
 * apart. A ghost point that stood after a space leaves that space to the cell after it.
 */
function dropUnlitPoints(cells: SegmentCell[], own: number[], usual: number): void {
  let dropped = false;
  for (let i = cells.length - 1; i >= 0; i--) {
    if (cells[i]!.shape !== '.' || own[i]! >= GHOST_LIGHT * usual) continue;
    if (cells[i]!.spaceBefore && cells[i + 1]) cells[i + 1]!.spaceBefore = true;
    cells.splice(i, 1);
    own.splice(i, 1);
    dropped = true;
  }
  if (dropped && cells.length) cells[0]!.spaceBefore = false;
}

/**
 * The pixels a point's light is read at (less one, as cellLight counts): a quarter of its cell's square. A point is a
 * stroke-wide dot, and its cell is often narrower than the `bar` a segment's light is read over (995.3's point, a cell
 * two pixels wide, measured at the band's dark pixels below it); the brightest of its own pixels are its light.
 */
const pointBar = (c: SegmentCell): number => Math.max(0, Math.round(((c.x1 - c.x0 + 1) ** 2) / 4) - 1);

/** A cell's stroke light: the light its brightest `bar` pixels reach (half a stroke-wide square: a thin dash is as lit as an 8). */
function cellLight(light: Float32Array, w: number, top: number, bottom: number, x0: number, x1: number, shear: number, yc: number, bar: number): number {
  const from = Math.round(x0), to = Math.round(x1);
  const v = new Float32Array(Math.max(0, (bottom - top + 1) * (to - from + 1)));
  let n = 0;
  for (let y = top; y <= bottom; y++) {
    const dx = shear * (yc - y);
    for (let x = from; x <= to; x++) {
      const xs = Math.round(x + dx);
      if (xs >= 0 && xs < w) v[n++] = light[y * w + xs]!;
    }
  }
  if (!n) return 0;
  // The (bar+1)-th largest: picked by selection (order-statistics.ts), not by sorting the cell's pixels.
  const k = Math.min(n - 1, bar);
  const seen = v.subarray(0, n);
  if (typedUnordered(seen)) return Array.from(seen).sort((p, q) => q - p)[k]!;
  return selectInPlace(seen, n - 1 - k);
}

/**
 * A display draws its characters at one pitch, and a space is more room than the line's usual gap between cells: a
 * position left empty (a whole cell), or a font's narrower space. Where the gaps between a display's cells are wide
 * (a sparse font, a wide field), a gap judged against the cell width alone reads a space between every character
 * (F L T 7 3). So with three cells or more a space also needs its gap to exceed the line's usual gap (its lower
 * quartile) by SPACE_EXTRA of a cell.
 */
export function spacesByPitch(cells: SegmentCell[], cw: number): void {
  const idx = cells.map((c, i) => (c.shape === '.' ? -1 : i)).filter((i) => i >= 0);
  if (idx.length < 3) return;
  const half = (c: SegmentCell): number => Math.max(c.x1 - c.x0, cw) / 2;
  const mid = (c: SegmentCell): number => (c.x0 + c.x1) / 2;
  const gaps = idx.slice(1).map((i, k) => mid(cells[i]!) - half(cells[i]!) - mid(cells[idx[k]!]!) - half(cells[idx[k]!]!));
  const usual = percentile(gaps, 0.25);
  idx.slice(1).forEach((i, k) => {
    const c = cells[i]!;
    if (c.spaceBefore && gaps[k]! < usual + SPACE_EXTRA * cw) { c.spaceBefore = false; delete c.glareBefore; }
  });
}

/** How much wider than the line's usual gap a space is, as a share of the cell width. */
const SPACE_EXTRA = 0.25;

/** An upright at least this lit is drawn; one (or a middle bar) under UPRIGHT_DARK is not. */
const UPRIGHT_LIT = 0.6, UPRIGHT_DARK = 0.3;

/**
 * True for a glyph drawn with its right uprights only and no middle bar (a 7, or a 1 with a top bar), as sampled over
 * its own ink: every glyph's uprights stand at its cell's sides, so such a glyph's cell runs a whole cell's width left
 * from them. Cut to its ink alone, the cell is too narrow: on a font whose bars are short blocks set in from the
 * corners (heavy strokes, wide gaps) a 7's top bar then falls off the middle of its sampled region and reads half lit
 * (E778 read E 118 by a heavy slanted LCD's cells and the recogniser). Not a glyph with a middle bar: a 3 may draw
 * only its right half (fourteen segments), which the seven-segment middle's region takes in only while the cell is
 * cut to the ink (F530 read FS30); nor one with left uprights only, whose half middle bar the same way (F977 read R977).
 */
export function rightUprightsOnly(lit: Partial<Record<'b' | 'c' | 'e' | 'f' | 'g', number>>): boolean {
  const [b, c, e, f, g] = [lit.b, lit.c, lit.e, lit.f, lit.g].map((x) => x ?? NaN);
  if ([b, c, e, f, g].some((x) => Number.isNaN(x))) return false;
  return Math.max(b!, c!) >= UPRIGHT_LIT && Math.max(e!, f!) < UPRIGHT_DARK && g! < UPRIGHT_DARK;
}
