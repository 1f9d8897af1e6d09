// A code whose letters were read off a printed legend that the display line's box took in. A display tilted in its
// panel gets a detector box as tall as the tilted window, and as wide: it can take in the first letters of a legend
// printed beside the window (MAIN, its MA inside the box's left end). The recogniser reads those letters, squeezed, as
// one (MA read W) ahead of the display's digits, and the code grammar makes W1225 of the status value 1225: a status
// frame reported as an alarm. The legend is read in a box of its own as well. So a code's leading letters that stand
// where another line of the frame was read — far lower text than the code's own (a legend, not the display's
// characters), letters with no digit, wholly inside the code's box and its middle within the part of the box where
// the code's letters are — are that legend's, not the display's: the line spells no code. Only lines the analyser
// accepted (over its confidence floor) count, and none the reader read off a dot lattice: a legend is printed in solid
// strokes, and a line whose crop holds a lattice of lit dots is a piece of a dot-matrix display, mostly the display's
// own letters boxed again inside the code's box (FLT 45 on a tilted VFD: its box, found by the stroke search, twice
// the glyphs' height; the detector's box over FL alone, under half that, read with its dots joined).
type Bounds = { x: number; y: number; width: number; height: number };

/** Most height of the other line, in the code line's box heights, for it to be other text than the display's. */
const LEGEND_HEIGHT = 0.5;
/** The part of the code box, from its left end, where its letters stand: their share of the characters, this much wider. */
const PREFIX_SLACK = 1.5;

/** True when the code's leading letters stand where a smaller line of letters, among the lines the analyser accepted, was read inside the line's box (see above). */
export function prefixOnLegend(line: { box: Bounds }, code: string, accepted: ReadonlyArray<{ text: string; box: Bounds; dotMatrix?: number }>): boolean {
  const letters = /^\s*(\p{L}+)/u.exec(code)?.[1];
  const chars = code.replace(/[^\p{L}\p{N}]/gu, '').length;
  if (!letters || !chars) return false;
  const b = line.box;
  const prefixEnd = b.x + Math.min(1, PREFIX_SLACK * letters.length / chars) * b.width;
  return accepted.some((o) => {
    if (o.box === b || o.box.height > LEGEND_HEIGHT * b.height) return false;
    // Dots, not print: the display's own characters (see above).
    if (o.dotMatrix !== undefined) return false;
    // Read surely as Latin letters, as a printed legend is; not a piece of the display read as unknown glyphs (a
    // dot-matrix ALM boxed alone beside its line read 北店 at 0.19: the ALM of that line's ALM59).
    if (!/^[A-Za-z][A-Za-z .:/-]*$/.test(o.text.trim())) return false;
    // Wholly inside the box, so the recogniser saw all of it; a legend over the box's edge (a name printed above the
    // window's corner, the box's top taking in its lower part) is not read as the code's letters.
    const inside = o.box.x >= b.x && o.box.y >= b.y && o.box.y + o.box.height <= b.y + b.height;
    return inside && o.box.x + o.box.width / 2 <= prefixEnd;
  });
}
