// A number that only the stroke finder saw does not tell where the display is. The stroke finder
// (display-regions.ts) keeps any row of thin, contrasted strokes of one height: besides a display's characters,
// a cable's bend, a vent's slots or a knurled edge. The recogniser reads such a row as digits about as readily as
// anything else (a red cable curving over a grey panel read 5440), and a bare number of four digits or more
// settles a frame (frame-doubt.ts): the further looks for the display then never run, and a display the first
// pass missed (a dot-matrix LCD whose window edge swallowed its characters at the stroke finder's scale) stays
// unread. Such a number still counts as a display line where the picture backs it: the text detector boxed it
// (it looks like text), or its strokes sit on a segment lattice or a dot-matrix grid (it looks like a display).
// A number with none of these leaves the frame in doubt; it is kept as read, the looks only add to it.

type Line = { text: string; found?: string; segment?: number; dotMatrix?: number; reading?: { kind: 'alarm' | 'status' | 'text' } };

/** The least segment likelihood of a line whose strokes sit on a segment lattice (the grammar's own cut). */
const SEGMENT_LINE = 0.5;

/** True when `l` is a bare number (digits only) that only the first pass's stroke finder found, with no display look. */
export function strokeOnlyNumber(l: Line): boolean {
  if (l.found !== 'strokes' || l.reading?.kind !== 'status' || !/^\d+$/.test(l.text.replace(/\s+/g, ''))) return false;
  return (l.segment ?? 0) < SEGMENT_LINE && l.dotMatrix === undefined;
}
