// A line whose box end cuts through a glyph (box-ends.ts decides which ends, ink-past-ends.ts whether ink lies past
// them, glare-past-ends.ts whether a glare patch runs over them) is read again on a crop widened at that end, in a recognition batch of its own; the wider reading replaces
// the first where it completes it into a code or a status by itself, or completes a status's value with whole digits
// (takesWider). Lines that may still be a code are looked at, and a named status's value end; a marked value is read whole; a bare number completed with a
// code's letters at its left end, at its right end again (rightAfterPrefix). Run by the panel reader after a line set's
// other views, on every frame read with a grammar; most frames have no such line and cost nothing more.
import { getLogger } from '../../system/logger.js';
import type { RgbImage } from '../image.js';
import { alongside } from './alongside.js';
import { endsToReRead, takesWider, widenedFor, widestFor, type EndReRead, type PastEnds } from './box-ends.js';
import type { CharacterDictionary } from './ctc.js';
import { glarePastEnds } from './glare-past-ends.js';
import { haloPastRight } from './halo-past-ends.js';
import { inkPastEnds, pastEndsClear } from './ink-past-ends.js';
import { dotPrefixCode } from './dot-prefix.js';
import { lettersAloneEnd } from './letters-alone.js';
import { twinLettersEnd } from './twin-letters.js';
import { interpretLine, readByDots, type InterpretOptions, type Recognised } from './line-arbitration.js';
import type { OcrLine } from './ocr-line.js';
import { addedOnEdge } from './past-end-edges.js';
import { pastEndGlyphs } from './past-end-glyphs.js';
import { oneOnPitch } from './pitch-one.js';
import { cellsProveLetters } from './proven-prefix.js';
import { readWithoutCatalog } from './catalog-cut-code.js';
import { readSegmentCells } from './segment-cells.js';
import { rememberingBatches } from './repeated-batch.js';
import { cropTextBox, type TextBox } from './text-boxes.js';
import { withTiltRoom } from './tilt-room.js';
import { withinWindow } from './window-edge.js';

const log = getLogger('vision.ocr');

/**
 * A line set as read so far. `todo[k]` is the index, in boxes, crops and results, of the line recognised as
 * `first[k]`; boxes, crops, results and byStrokes are updated in place where a wider reading is taken.
 */
export interface CutLineSet {
  boxes: TextBox[];
  byStrokes: Set<TextBox>;
  crops: RgbImage[];
  todo: number[];
  first: Recognised[];
  results: Array<Omit<OcrLine, 'box'> | null>;
}

export async function completeCutLines(img: RgbImage, set: CutLineSet,
  o: { dict: CharacterDictionary; read: InterpretOptions; recognise: (crops: RgbImage[]) => Promise<Recognised[]> }): Promise<void> {
  const { boxes, crops, todo, first, results } = set;
  const cut: Cut[] = [];
  todo.forEach((ci, k) => {
    let past: ReturnType<typeof inkPastEnds> | undefined;
    // A code cut short that a catalog read as something else is judged as read without it (catalog-cut-code.ts).
    const before = readWithoutCatalog(results[ci]!, crops[ci]!, first[k]!, o.dict, o.read) ?? results[ci]!;
    const e = endsToReRead(before, crops[ci]!, first[k]!.lattice, () => (past ??= pastEndsClear(pastOrGlared(img, boxes[ci]!), boxes[ci]!, boxes)))
      ?? (o.read.grammar ? lettersAloneEnd(before, o.read.grammar, boxes[ci]!, boxes) : null)
      ?? (o.read.grammar && (o.read.segmentCells ?? true) ? twinLettersEnd(before, o.read.grammar, crops[ci]!, first[k]!.lattice, o.dict) : null);
    if (e) cut.push({ ...e, ci, k, before });
  });
  if (!cut.length) return;
  // A batch of the very crops of one read before is answered with that reading (repeated-batch.ts): the turned
  // line's roomier crop is its nearer crop where the window's edge allowed no widening.
  const once = { ...o, recognise: rememberingBatches(o.recognise) };
  // The nearer crops are read in one batch, as before the further one existed: a crop in a batch is padded to the
  // batch's widest, and a wider neighbour changes what the recogniser reads on it (SET 1161's 116 read E116 so).
  const original = cut.map((c) => boxes[c.ci]!);
  const unread = cut.map((c) => ({ result: results[c.ci]!, crop: crops[c.ci]! }));
  const nearer = await readWider(img, set, once, cut, (c) => widenedFor(boxes[c.ci]!, c), false);
  const taken = nearer.map((r) => r.taken);
  // A bare number's left end is read again on that crop given room for a turned line's rise, in a batch of its own
  // (tilt-room.ts): the letter past a level box on a tilted display may have lost a bar to the box (C-23 read -23, or
  // L-23). Taken where the plain crop completed nothing; where it did, the two crops' codes must agree, or the roomier
  // one's letters be proven by its segment cells: a code whose letter the two crops read differently is no code.
  const turned = cut.filter((c) => c.prefix && !c.dots), disputed = new Set<Cut>();
  if (turned.length) {
    const plain = turned.map((c) => ({ j: cut.indexOf(c), result: results[c.ci]!, box: boxes[c.ci]!, crop: crops[c.ci]! }));
    plain.forEach(({ j }, i) => { boxes[turned[i]!.ci] = original[j]!; });
    const again = await readWider(img, set, once, turned, (c) => widenedFor(boxes[c.ci]!, c), false, true);
    turned.forEach((c, i) => {
      const p = plain[i]!, r = again[i]!;
      // The roomier reading stands where the plain crop completed nothing, or read another code the roomier crop's
      // cells disprove; two codes neither crop's cells decide leave the number as it was read, not looked at further.
      // Only codes that differ in their letters alone: a bar the box cut off changes which letter a glyph reads, not
      // how many glyphs there are (the roomier crop, every glyph smaller on it, read AL712 as A712: the plain stands).
      const other = taken[p.j] && r.taken && lettersDiffer(p.result.text, r.read);
      if (r.taken && (!taken[p.j] || (other && r.cells))) { taken[p.j] = true; return; }
      if (other) { log.debug('two crops read two codes', { plain: p.result.text, roomier: r.read }); disputed.add(c); }
      results[c.ci] = other ? unread[p.j]!.result : p.result;
      boxes[c.ci] = other ? original[p.j]! : p.box;
      crops[c.ci] = other ? unread[p.j]!.crop : p.crop;
      if (other) taken[p.j] = false;
    });
  }
  // A bare number's left end not completed there is read again, in a batch of its own, widened for a three-letter prefix;
  // so is a code's letters alone, completed there or not: the nearer crop may end inside its number under the glare
  // that hid it (FLT 21 read FLT 2 there), and the further reading is taken only where it adds digits after it.
  const further = new Map<EndReRead, TextBox>();
  cut.forEach((c, j) => {
    const box = (!taken[j] && !disputed.has(c)) || c.letters ? widestFor(original[j]!, c) : null;
    if (box) further.set(c, box);
  });
  const left = cut.filter((c) => further.has(c));
  // A bare number's prefix is judged on the further crop with what the nearer one read (box-ends.ts takesWider).
  left.forEach((c) => { c.nearer = nearer[cut.indexOf(c)]!.read; });
  const late = left.length ? await readWider(img, set, once, left, (c) => further.get(c)!, true) : [];
  left.forEach((c, i) => {
    const j = cut.indexOf(c), w = c.letters ? unread[j]! : null;
    // Letters whose number the nearer crop completed and the further one reads otherwise: the two crops disagree on
    // the number (a dot-matrix FLT 95 read FLT9 there, FLT and a sign further), so neither is taken and the letters
    // stay as they were, for a further look at the display.
    if (!w || !taken[j] || late[i]!.taken || compact(late[i]!.read) === compact(results[c.ci]!.text)) return;
    results[c.ci] = w.result;
    boxes[c.ci] = original[j]!;
    crops[c.ci] = w.crop;
  });
  await rightAfterPrefix(img, set, once, cut.filter((c, j) => c.prefix && !c.right && (taken[j] || (further.has(c) && late[left.indexOf(c)]!.taken))));
}

/**
 * A bare number completed with a code's letters at its left end is looked at again at its right end: the number's
 * last glyph may stand wholly past the box too, which the bare number's look did not ask for (its right end is read
 * again only where the box cuts a glyph; AL9551 on a fourteen-segment LED boxed as 955, the 1 drawn at the right of
 * its cell a cell's gap past the last 5: AL955 reported). Only a code, and only where ink stands past the new box's
 * right end (ink-past-ends.ts); taken as any right end's wider reading is (takesWider, addedOnEdge).
 */
async function rightAfterPrefix(img: RgbImage, set: CutLineSet,
  o: { dict: CharacterDictionary; read: InterpretOptions; recognise: (crops: RgbImage[]) => Promise<Recognised[]> }, done: Cut[]): Promise<void> {
  const { boxes, results } = set;
  const again: Cut[] = done.flatMap((c) => {
    const before = results[c.ci]!;
    if (before.reading?.kind !== 'alarm' || !pastEndsClear(inkPastEnds(img, boxes[c.ci]!), boxes[c.ci]!, boxes).right) return [];
    return [{ left: false, right: true, prefix: false, ci: c.ci, k: c.k, before, greedy: before.raw ?? before.text }];
  });
  if (again.length) await readWider(img, set, o, again, (c) => widenedFor(boxes[c.ci]!, c), false);
}

const compact = (s: string): string => s.replace(/[\s-]/g, '').toUpperCase();

/** True when two codes differ, have as many characters and the same digits in the same places: only letters differ. */
function lettersDiffer(a: string, b: string): boolean {
  const x = compact(a), y = compact(b);
  return x !== y && x.length === y.length && [...x].every((c, i) => (/\d/.test(c) || /\d/.test(y[i]!) ? c === y[i] : true));
}

/** A line to read again wider: its ends, its index in the set and its reading there, and the reading they were judged on. */
type Cut = EndReRead & { ci: number; k: number; before: Omit<OcrLine, 'box'>; /** the recogniser's text of the crop read last, where not first[k]'s */ greedy?: string };

/** The ends of a box with a glyph wholly past them, a glare patch running over them (glare-past-ends.ts), or a glyph under a halo past the right one. */
function pastOrGlared(img: RgbImage, box: TextBox): PastEnds {
  const ink = inkPastEnds(img, box);
  if (ink.left && ink.right) return ink;
  const glare = glarePastEnds(img, box);
  // A glyph under a glare halo past the right end (halo-past-ends.ts): the halo reads as an edge to the ink cue.
  return { left: ink.left || glare.left, right: ink.right || glare.right || haloPastRight(img, box) };
}

async function readWider(img: RgbImage, set: CutLineSet,
  o: { dict: CharacterDictionary; read: InterpretOptions; recognise: (crops: RgbImage[]) => Promise<Recognised[]> },
  cut: Cut[], boxFor: (c: Cut) => TextBox, widest: boolean, room = false): Promise<Array<{ taken: boolean; read: string; cells?: boolean }>> {
  const { boxes, byStrokes, crops, first, results } = set;
  // Never past the display window's edge (window-edge.ts): the edge's upright would be read as one more character.
  // With `room`, the box drawn back so is given room across its axis for a turned line's rise (tilt-room.ts).
  const wider = cut.map((c) => {
    const b = withinWindow(img, boxes[c.ci]!, boxFor(c));
    return room ? withTiltRoom(boxes[c.ci]!, b) : b;
  });
  const widerCrops = wider.map((b) => cropTextBox(img, b));
  // Meanwhile the wider crops' segment cells, which their reading asks for (alongside.ts).
  const [second] = await alongside(o.recognise(widerCrops), () => o.read.grammar && (o.read.segmentCells ?? true)
    && cut.forEach((c, j) => results[c.ci]!.dotMatrix !== undefined || readSegmentCells(widerCrops[j]!)));
  return cut.map((c, j) => {
    const before = c.before;
    // A dot-matrix line stays one on its wider crop: the segment reader stays out there too.
    const dotMatrix = before.dotMatrix !== undefined;
    // A dot-matrix body's letters are those its cells name there, or none (dot-prefix.ts).
    const code = c.dots && o.read.grammar ? dotPrefixCode(widerCrops[j]!, before.text, second[j]!.greedy.text, o.read.grammar) : null;
    const after = code ? readByDots(code, second[j]!, o.read.grammar!) : interpretLine(widerCrops[j]!, second[j]!, o.dict, { ...o.read, dotMatrix });
    log.debug('box end re-read', { first: before.text, wider: after.text, left: c.left, right: c.right, prefix: c.prefix, widest });
    let taken: Omit<OcrLine, 'box' | 'view'> | null = null;
    // A bare number's letters its wider crop's segment cells show on their own light (proven-prefix.ts).
    const cells = c.prefix && !widest && !code && !dotMatrix && cellsProveLetters(after.reading, readSegmentCells(widerCrops[j]!), after.segment ?? 0);
    if (takesWider(before, after, { ...c, dots: !!code, cells }, { before: c.greedy ?? first[c.k]!.greedy.text, after: second[j]!.greedy.text }, widest)) taken = after;
    else {
      // A code whose last glyph only the recogniser reads on the wider crop (past-end-glyphs.ts).
      const glyphs = c.right && !widest && !c.letters && o.read.grammar ? pastEndGlyphs(before, boxes[c.ci]!, wider[j]!, widerCrops[j]!, second[j]!.lattice, o.dict, o.read.grammar) : null;
      // Else a 1 the wider crop's segment cells show on the display's pitch right after the last glyph (pitch-one.ts).
      const longer = glyphs ?? (c.right && !widest && !c.letters && !dotMatrix && o.read.grammar && (o.read.segmentCells ?? true)
        ? oneOnPitch(before, crops[c.ci]!, widerCrops[j]!, o.read.grammar) : null);
      if (longer) log.debug('glyphs past the end added', { first: before.text, longer: longer.text, by: glyphs ? 'recogniser' : 'cells on the pitch' });
      if (longer) taken = { ...before, text: longer.text, confidence: longer.confidence, raw: second[j]!.greedy.text, reading: longer };
    }
    // What was added past the end may be a glare streak's or the window's upright, no glyph (past-end-edges.ts).
    if (taken && addedOnEdge(boxes[c.ci]!, wider[j]!, widerCrops[j]!, second[j]!.lattice, o.dict, c.left, c.right)) {
      log.debug('added past the end on an edge', { first: before.text, wider: taken.text });
      taken = null;
    }
    if (!taken) return { taken: false, read: after.text };
    results[c.ci] = { ...taken, view: before.view, ...(dotMatrix ? { dotMatrix: before.dotMatrix } : {}) };
    if (byStrokes.has(boxes[c.ci]!)) byStrokes.add(wider[j]!);
    boxes[c.ci] = wider[j]!;
    crops[c.ci] = widerCrops[j]!;
    return { taken: true, read: after.text, cells };
  });
}
