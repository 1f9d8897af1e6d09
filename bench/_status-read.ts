// Whether a frame's status line was reported as a reading with its name and value (bench/ocr.ts "status lines read").
// A bare state word (READY) is one reading whichever field holds it: the drawn and the randomly picked font-drawn
// frames label it as a name with no value ({READY, ''}), frames made from fixed texts as a value with no name
// ({'', READY}), and the line grammar reports it as a value (MODE AUTO: name MODE, value AUTO; AUTO alone: value).
export interface StatusLabel { name: string; value: string }
export interface StatusReading { name: string; value: string }

const norm = (c: string): string => c.replace(/\s+/g, '').toUpperCase();

/** True when one of the readings is the labelled status line: same name and value, a bare word in either field. */
export function statusLineRead(label: StatusLabel, readings: readonly StatusReading[] | undefined): boolean {
  const bare = (s: StatusLabel): string | null => (!s.name !== !norm(s.value) ? norm(s.name || s.value) : null);
  return (readings ?? []).some((r) => (r.name === label.name && norm(r.value) === norm(label.value))
    || (bare(label) !== null && bare(label) === bare(r)));
}
