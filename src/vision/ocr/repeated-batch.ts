// A recognition batch made of the very crops of a batch read before (the same sizes, the same pixels, in the same
// order) is the same tensor: the recogniser's answer is known, and the earlier one is given back without a run. The
// box-end re-reads (cut-line-ends.ts) ask for such batches where the display window's edge (window-edge.ts) draws a
// crop back to one already read: the farther crop for a three-letter prefix back to the nearer one (the status 2515 on
// a dark inverted LCD: its lone 141 px crop read twice), or a bare number's left end, widened for a code's letters,
// back to its nearer crop, which then gets no room for a turned line's rise either (tilt-room.ts); a lone line so read
// makes the nearer pass's batch again. On 440 development frames 12 of the 181 box-end re-read runs repeated a batch
// of their frame. Only the whole batch counts: a crop in a batch with others is padded to the widest of them, and its
// reading changes with that (cut-line-ends.ts), so a crop read before in another batch is read again.
import type { RgbImage } from '../image.js';
import type { Recognised } from './line-arbitration.js';

/** True when two crops have the same size and every value alike (a NaN matches nothing: such a batch is read). */
function samePixels(a: RgbImage, b: RgbImage): boolean {
  if (a === b) return true;
  if (a.width !== b.width || a.height !== b.height || a.data.length !== b.data.length) return false;
  const x = a.data, y = b.data;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/**
 * `recognise` answering a batch whose crops are those of a batch it read before, in order, with that batch's
 * readings (the same objects: a reading is not changed once made). Meant for one line set's further reads, so that
 * what it remembers goes with them.
 */
export function rememberingBatches(recognise: (crops: RgbImage[]) => Promise<Recognised[]>): (crops: RgbImage[]) => Promise<Recognised[]> {
  const read: Array<{ crops: RgbImage[]; out: Recognised[] }> = [];
  return async (crops) => {
    const earlier = read.find((r) => r.crops.length === crops.length && r.crops.every((c, i) => samePixels(c, crops[i]!)));
    if (earlier) return earlier.out.slice();
    const out = await recognise(crops);
    read.push({ crops, out });
    return out;
  };
}
