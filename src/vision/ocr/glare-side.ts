// A second opinion on the strokes' side when the pixels farthest from the
// border's colour are lighter than it: are they strokes, or a white glare patch
// lying over dark strokes?
//
// segment-light.ts votes on the side with the pixels farthest in colour from
// the crop's border. On a tinted LCD (green, grey-blue) a lamp's reflection
// turns part of the glass nearly white, and that white is farther in colour
// from the tinted background than the dark strokes are: the vote says 'bright'
// and the cells then sample the glare. What tells the two apart is shape and
// colour: glare is a smooth patch wider than any stroke, and it is white (a
// lamp adds light of every colour alike); strokes are a few pixels thin. A
// grey-level opening wider than a stroke keeps such a patch and removes a
// light stroke; a closing as wide fills a dark stroke in.
//
// The vote turns to 'dark' only when, after the white wide pixels are set
// aside, the thin dark pixels outnumber the bright ones left by a clear
// margin. A coloured wide patch (a yellow lamp, a red or blue button) is not
// glare and keeps its vote; a bright patch over no thin dark strokes leaves
// nothing to outvote it.

/** Channel spread (max − min, grey levels) up to which a light pixel counts as white. */
const WHITE_SPREAD = 40;
/** The share of a pixel's excess over the background that the opening (or closing) must keep to call it wide. */
const WIDE_SHARE = 0.5;
/** How many thin dark pixels per bright non-glare pixel the dark side needs (a clear majority). */
const MARGIN = 4;
/** The least share of the voting pixels the thin dark ones must be: strokes, not a few dark specks. */
const LEAST_DARK = 0.25;

/**
 * Whether the far pixels' 'bright' vote is a white glare patch over dark strokes. `far` marks the pixels that voted
 * (farthest from the border colour); `lum` is each pixel's luminance, `bgLum` the border's; `data` the crop's RGB;
 * `opened` and `closed` the luminance's grey-level opening and closing as wide as segment-light.ts's local background
 * (wider than a stroke, narrower than a glyph).
 */
export function glareOverDarkStrokes(data: Float32Array, lum: Float32Array, far: Uint8Array, bgLum: number,
  opened: Float32Array, closed: Float32Array): boolean {
  const n = lum.length;
  let brightLeft = 0, thinDark = 0, voters = 0;
  for (let i = 0; i < n; i++) {
    if (!far[i]) continue;
    voters++;
    const excess = lum[i]! - bgLum;
    if (excess >= 0) {
      const spread = Math.max(data[3 * i]!, data[3 * i + 1]!, data[3 * i + 2]!) - Math.min(data[3 * i]!, data[3 * i + 1]!, data[3 * i + 2]!);
      const glare = spread <= WHITE_SPREAD && opened[i]! - bgLum >= WIDE_SHARE * excess;
      if (!glare) brightLeft++;
    } else if (closed[i]! - lum[i]! >= WIDE_SHARE * -excess) thinDark++;
  }
  return thinDark > 0 && thinDark >= LEAST_DARK * voters && thinDark >= MARGIN * brightLeft;
}
