// A status line's name and value boxed apart are one reading. The detector often boxes a display line such as
// PRES 1.5 in two where the gap between the words is wide (a blank cell between them on a segment display): the name's
// box reads PRES, a status with no value, and the value's box 1.5, a value with no name. Reported as they were, the
// Diagnosis held two readings, neither of which says what the panel shows (a pressure of 1.5). A status name read
// alone with a value read alone right after it on the same row (status-pieces.ts rightAfterName: the place where
// such a name's value stands) make one reading, NAME VALUE. Only a value with a digit in it joins: a word beside a
// name (STOP next to LOAD) is as likely a legend printed on the panel as the name's state. Each value joins one name.
import { rightAfterName } from './status-pieces.js';

type Bounds = { x: number; y: number; width: number; height: number };

export interface StatusLine {
  text: string;
  box: Bounds;
  reading?: { kind: string; name?: string; value?: string };
}

export interface StatusReading {
  name: string;
  value: string;
  text: string;
}

/** The status readings of one region's lines (boxes in one frame of reference), a name and its value joined. */
export function statusReadings(lines: readonly StatusLine[]): StatusReading[] {
  const statuses = lines.filter((l) => l.reading?.kind === 'status');
  const valueOf = new Map<StatusLine, StatusLine>();
  const taken = new Set<StatusLine>();
  for (const n of statuses) {
    if (!n.reading!.name || n.reading!.value) continue;
    let best: StatusLine | null = null;
    for (const v of statuses) {
      if (v === n || taken.has(v) || v.reading!.name || !/\d/.test(v.reading!.value ?? '') || !rightAfterName(n.box, v.box)) continue;
      if (!best || v.box.x < best.box.x) best = v;
    }
    if (best) { valueOf.set(n, best); taken.add(best); }
  }
  return statuses.flatMap((l) => {
    if (taken.has(l)) return [];
    const v = valueOf.get(l);
    if (v) return [{ name: l.reading!.name!, value: v.reading!.value!, text: `${l.text} ${v.text}` }];
    return [{ name: l.reading!.name ?? '', value: l.reading!.value ?? '', text: l.text }];
  });
}
