// A dash too faint to be a cell. On a fourteen-segment display the dash is the
// middle bar, drawn as two short halves, often thinner than the uprights; blur
// and a dim exposure leave it far under the light of the strokes around it, so
// the cell reader sees no ink there (or a blank position) and the gap between a
// code's letters and digits reads as a space (E-911 read E 911). What is left of
// it is a flat stroke at the band's middle height with nothing above or below
// it in the gap: a space between two words is dark at every height, and an
// unlit position's ghost segments are lit at the top and bottom bars as much as
// at the middle. segment-cells.ts marks such gaps (SegmentCell.dashBefore);
// recognised-dash.ts puts the dash back where the recogniser read a mark there.

/** Least light of a dash's columns at middle height, as a share of the line's stroke light. */
const DASH_LIGHT = 0.12;
/** Most light above and below the dash in its columns, as a share of the dash's own. */
const DASH_APART = 0.5;
/** Least run of dash columns, as a share of the cell width (one half of a fourteen-segment dash is about a third). */
const DASH_RUN = 0.25;
/** Half-height of the middle rows a dash lies in, as a share of the text band. */
const MIDDLE = 0.15;
/** Rows at the band's top and bottom (share of the band) that must stay dark over a dash. */
const OUTER = 0.3;

/**
 * True when the gap between sheared columns x0..x1 (exclusive of both ends' cells) of the text band top..bottom holds
 * a flat stroke at middle height: a run of columns at least DASH_RUN of a cell wide whose light in the middle rows
 * reaches DASH_LIGHT of the line's stroke light (`lineLight`) and stays over twice what the band's top and bottom rows
 * show in them. `light` is the stroke light (negative where a glare streak left a pixel unseen).
 */
export function faintDashIn(light: Float32Array, w: number, top: number, bottom: number, x0: number, x1: number, shear: number, yc: number,
  cw: number, lineLight: number): boolean {
  const band = bottom - top + 1;
  const at = (x: number, y: number): number => {
    const xs = Math.round(x + shear * (yc - y));
    return xs >= 0 && xs < w ? Math.max(0, light[y * w + xs]!) : 0;
  };
  const mid0 = Math.round(yc - MIDDLE * band), mid1 = Math.round(yc + MIDDLE * band);
  const outer = Math.round(OUTER * band);
  let run = 0, longest = 0;
  for (let x = Math.ceil(x0); x <= Math.floor(x1); x++) {
    let mid = 0, out = 0;
    for (let y = mid0; y <= mid1; y++) mid = Math.max(mid, at(x, y));
    for (let y = top; y < top + outer; y++) out = Math.max(out, at(x, y));
    for (let y = bottom - outer + 1; y <= bottom; y++) out = Math.max(out, at(x, y));
    const dash = mid >= DASH_LIGHT * lineLight && out <= DASH_APART * mid;
    run = dash ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest >= DASH_RUN * cw;
}
