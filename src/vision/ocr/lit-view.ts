// A view of a line crop that shows only what is lit. Displays draw their unlit
// segments or dots faintly (a segment display's "ghost" 8 behind every cell, a
// terminal font's dim grid), and a recogniser trained on print reads that faint
// ink as strokes: the dash of F-07 over a ghost 8 is read 8 (F807), the L of
// AL397 over one is read B. On the lit view the light of each pixel is measured
// against its own local background and the display's lit level (segment-light.ts,
// glare's lost contrast restored by its gain); light well under the lit level is
// background, light near it is ink. A glare streak's straight band across the
// whole crop is background too (streak-background.ts), not a bar of ink over
// the ghost segments it crosses. The view is dark ink on white, the size of
// the crop, so a lattice read on it lines up with the crop as the plain one does.
// It is only read for lines in doubt (panel-reader.ts), and only replaces a
// reading that the grammar takes less well or that is less sure (view-choice.ts).
import type { RgbImage } from '../image.js';
import { JUDGEABLE_GAIN, lineLight } from './segment-light.js';

/** Stroke light (share of the lit level) at and under which a pixel is background: unlit segments glow at a fifth or less. */
const UNLIT = 0.3;
/** Stroke light from which a pixel is fully ink. */
const LIT = 0.6;

/** The crop with only its lit strokes, dark on white; null when the crop shows no strokes to measure. */
export function litView(img: RgbImage): RgbImage | null {
  const light = lineLight(img, true);
  if (!light) return null;
  const n = img.width * img.height;
  const data = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    const v = light.map[i]! / Math.max(light.gain[i]!, JUDGEABLE_GAIN);
    const ink = Math.min(1, Math.max(0, (v - UNLIT) / (LIT - UNLIT)));
    data[3 * i] = data[3 * i + 1] = data[3 * i + 2] = 255 * (1 - ink);
  }
  return { data, width: img.width, height: img.height };
}
