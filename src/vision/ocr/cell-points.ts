// Decimal points a segment line's column runs did not give a cell of their own. A segment display's point is a
// small lit dot on the baseline at the bottom right of a digit's cell, between it and the next cell. segment-cells.ts
// finds a point only where the dot is a column run by itself, narrower than a third of a cell, or where it widens a
// lone glyph's run at its right; a point that blur, slant or a close next glyph join to a neighbour's columns (9.6,
// 1.3, 0.0 read as one run) or a round dot a stroke and a half wide (2.6 on a heavy font) was dropped, and the value
// read without it (PRES 2.6 reported as PRES 26). Here the low part of the text band is searched for separate blobs
// of ink shaped like a point: about a stroke wide and high (not much taller than wide: a fourteen-segment leg's foot
// is), solid, sitting on the baseline, cut off from anything above (a segment's bar reaches up: a c upright, an e,
// and a bottom bar is wide) or joined only to the foot of an upright right before it and lying past that glyph's
// cell, and before the next cell. Each such blob becomes a '.' cell between the two. A dash (middle height) or a
// colon's upper dot is never a point; a speck too small or too thin to be a lit dot is left alone.

/** The ink and geometry of a line as segment-cells.ts measured it (sheared coordinates for the cells' x). */
export interface PointSearch {
  on: Uint8Array;
  w: number;
  top: number;
  bottom: number;
  shear: number;
  yc: number;
  stroke: number;
  /** The display's cell width. */
  cw: number;
}

interface Blob { x0: number; x1: number; y0: number; y1: number; n: number; cut: boolean; cx: number; sx0: number; joined?: true }

/** A blob's pixels (x, y in the crop), kept to look at the right end of blobs that go on upward. */
type Pixels = Array<[number, number]>;

/** Share of the band above which the searched low part starts: a point's top lies below it, a segment's ink crosses it. */
const LOW_PART = 0.55;

/**
 * The point-shaped blobs in the low part of the band, with their centre x in the cells' sheared coordinates. A blob
 * touching the low part's upper edge (ink that goes on upward) is marked cut and is no point.
 */
function lowBlobs(s: PointSearch): Blob[] {
  const blobs: Blob[] = [];
  for (const px of lowComponents(s)) {
    const whole = blobOf(px, s, true);
    blobs.push(whole.cut ? rightEnd(px, s) ?? whole : whole);
  }
  return blobs;
}

/** Bounds, size and sheared centre x of a set of pixels; cut when `cut` and some pixel lies on the low part's upper edge. */
function blobOf(px: Pixels, s: PointSearch, cut: boolean): Blob {
  const y0 = lowTop(s);
  const b: Blob = { x0: Infinity, x1: -Infinity, y0: Infinity, y1: -Infinity, n: px.length, cut: false, cx: 0, sx0: Infinity };
  let sx = 0;
  for (const [x, y] of px) {
    const xs = x - s.shear * (s.yc - y);
    sx += xs;
    b.sx0 = Math.min(b.sx0, xs);
    b.x0 = Math.min(b.x0, x); b.x1 = Math.max(b.x1, x); b.y0 = Math.min(b.y0, y); b.y1 = Math.max(b.y1, y);
    if (cut && y === y0) b.cut = true;
  }
  b.cx = sx / px.length;
  return b;
}

/**
 * The part of a blob that goes on upward (an upright's foot) lying right of the upright and low only: a point that
 * blur or a tight font joined to the foot of the upright before it (a 1's, an 8's c bar). Columns (sheared like the
 * cells) whose ink starts below a point's height, at the blob's right end, right after a column whose ink reaches up
 * out of the low part; null when there are none.
 */
function rightEnd(px: Pixels, s: PointSearch): Blob | null {
  const band = s.bottom - s.top + 1;
  const col = (x: number, y: number): number => Math.round(x - s.shear * (s.yc - y));
  const highest = new Map<number, number>();
  for (const [x, y] of px) { const c = col(x, y); highest.set(c, Math.min(highest.get(c) ?? Infinity, y)); }
  const cols = [...highest.keys()].sort((a, b) => a - b);
  let k = cols.length;
  while (k > 0 && highest.get(cols[k - 1]!)! > s.bottom - 0.3 * band) k--;
  if (k === cols.length || k === 0) return null;
  // The ink just before it is an upright that reaches up out of the low part: a diagonal's foot (a fourteen-segment
  // R's or K's leg) climbs gradually and is no upright with a point beside it.
  if (highest.get(cols[k - 1]!)! > lowTop(s)) return null;
  const from = cols[k]!;
  const part = px.filter(([x, y]) => col(x, y) >= from);
  return { ...blobOf(part, s, false), joined: true };
}

/** First row of the searched low part of the band. */
const lowTop = (s: PointSearch): number => Math.round(s.top + LOW_PART * (s.bottom - s.top + 1));

/** The 4-connected components of ink in the low part of the band, as pixel lists. */
function lowComponents(s: PointSearch): Pixels[] {
  const { on, w, bottom } = s;
  const y0 = lowTop(s);
  const h = bottom - y0 + 1;
  if (h < 2) return [];
  const seen = new Uint8Array(w * h);
  const out: Pixels[] = [];
  const stack: number[] = [];
  for (let y = y0; y <= bottom; y++) {
    for (let x = 0; x < w; x++) {
      const k = (y - y0) * w + x;
      if (seen[k] || !on[y * w + x]) continue;
      const px: Pixels = [];
      seen[k] = 1;
      stack.push(k);
      while (stack.length) {
        const q = stack.pop()!;
        const qy = y0 + Math.floor(q / w), qx = q % w;
        px.push([qx, qy]);
        for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]] as const) {
          const nx = qx + dx, ny = qy + dy;
          if (nx < 0 || nx >= w || ny < y0 || ny > bottom) continue;
          const nk = (ny - y0) * w + nx;
          if (seen[nk] || !on[ny * w + nx]) continue;
          seen[nk] = 1;
          stack.push(nk);
        }
      }
      out.push(px);
    }
  }
  return out;
}

/** True when a blob is shaped like a lit decimal point: about a stroke each way, solid, low, on the baseline. */
function pointShaped(b: Blob, s: PointSearch): boolean {
  const band = s.bottom - s.top + 1;
  const bw = b.x1 - b.x0 + 1 - Math.abs(s.shear) * (b.y1 - b.y0), bh = b.y1 - b.y0 + 1;
  const least = Math.max(2, 0.5 * s.stroke), most = 2 * s.stroke + 2;
  return !b.cut && bh >= least && bw >= least && bh <= most && bw <= most && bh < 0.3 * band && bw < 0.5 * s.cw
    && bw <= 2.2 * bh && bh <= 1.6 * bw && b.n >= 0.5 * bw * bh
    && (b.y0 + b.y1) / 2 - s.top > 0.75 * band && b.y1 >= s.bottom - 0.15 * band;
}

/** A cell a point may follow or precede: a glyph's (not a dash, not a point). */
interface PointCell { x0: number; x1: number; shape?: '1' | '-' | '.' }

/**
 * Indices i (ascending) of the cells a point-shaped blob lies after, between cell i's right edge and cell i+1's left
 * edge, where the cells show no point between them yet; `cells` are in order along the line.
 */
export function missedPoints(cells: readonly PointCell[], s: PointSearch): Array<{ after: number; x0: number; x1: number }> {
  if (cells.length < 2) return [];
  const slack = 0.15 * s.cw;
  const found: Array<{ after: number; x0: number; x1: number }> = [];
  for (const b of lowBlobs(s)) {
    if (!pointShaped(b, s)) continue;
    const i = cells.findIndex((c, j) => j + 1 < cells.length && b.cx > c.x1 - slack && b.cx < cells[j + 1]!.x0);
    if (i < 0) continue;
    // (Its centre lies before the next cell: a sixteen-segment glyph's bottom bar is two halves, and the left half of
    // the next glyph's, cut off by the segment gap, sits where a point would: ALM 03 read ALM0.3.)
    const [prev, next] = [cells[i]!, cells[i + 1]!];
    if (prev.shape === '-' || prev.shape === '.' || next.shape === '-' || next.shape === '.') continue;
    // A low end joined to an upright inside the glyph's own cell is its bottom bar's end (an E's, dimmer than its
    // middle); a point joined to the upright before it lies past that glyph. A narrow upright's cell is placed to end
    // where its run ends, over a point joined to it: there rightEnd's step from the upright judged it.
    if (b.joined && prev.shape !== '1' && b.sx0 < prev.x1 - 1) continue;
    // A lone blob centred inside the glyph's cell is a bar its segment gaps cut off (a heavy L's short bottom bar:
    // AL3010 read AL.3010); a point's centre lies past the glyph's right edge.
    if (!b.joined && prev.shape !== '1' && b.cx < prev.x1 - 1) continue;
    if (found.some((f) => f.after === i)) continue;
    const half = (b.x1 - b.x0 + 1) / 2;
    found.push({ after: i, x0: Math.round(b.cx - half), x1: Math.round(b.cx + half) });
  }
  return found.sort((a, b) => a.after - b.after);
}
