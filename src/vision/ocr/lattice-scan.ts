// What one scan of a lattice's classes says: each step's best class (the greedy path, its reading and its runs) and
// the best path's log probability. A lattice is never written once made (a changed one is a copy), and several
// readers of a line (the greedy reading, the grammar's decodes, the ghost and merge checks) ask the same of it:
// scanning a step's few thousand classes is most of what these answers cost, and it is done once per lattice.
import type { CharacterDictionary, DecodedLine } from './ctc.js';

/** Floor of a log probability (a class the recogniser gave nothing). */
export const FLOOR = Math.log(1e-9);

/** One line's recogniser output: `steps` rows of `classes` probabilities starting at `offset`. */
export interface Lattice {
  probs: Float32Array;
  offset: number;
  steps: number;
  classes: number;
}

/** One character of a lattice's greedy path: its class and the steps [from, to) of its run. */
export interface GreedyRun { k: number; ch: string; from: number; to: number }

/** What one scan of a lattice gives, kept per lattice. */
interface StepBests {
  /** The best class of each step (the first of equals, from the blank on). */
  arg: Int32Array;
  /** bestPathLogProb's answer. */
  pathLogProb: number;
}
const stepBests = new WeakMap<Lattice, StepBests>();

function bestsOf(l: Lattice): StepBests {
  let out = stepBests.get(l);
  if (!out) {
    const arg = new Int32Array(l.steps);
    let sum = 0;
    for (let t = 0; t < l.steps; t++) {
      const row = l.offset + t * l.classes;
      // The best class (compared from the blank on) and the best probability (compared from 0 on) as two scans of
      // the row each found them.
      let a = 0, aP = l.probs[row]!, best = 0;
      if (aP > best) best = aP;
      for (let c = 1; c < l.classes; c++) {
        const p = l.probs[row + c]!;
        if (p > aP) { a = c; aP = p; }
        if (p > best) best = p;
      }
      arg[t] = a;
      sum += Math.max(FLOOR, Math.log(best));
    }
    stepBests.set(l, (out = { arg, pathLogProb: sum }));
  }
  return out;
}

/**
 * The greedy reading of a lattice (the best class of each step; repeats collapse, blanks separate; the confidence is
 * the mean probability of the characters kept), from the lattice's best classes, worked out once.
 */
export function greedyReading(l: Lattice, dict: CharacterDictionary): DecodedLine {
  const { arg } = bestsOf(l);
  let text = '', sum = 0, kept = 0, prev = -1;
  for (let t = 0; t < l.steps; t++) {
    const best = arg[t]!;
    if (best !== 0 && best !== prev) {
      text += dict.chars[best] ?? '';
      sum += l.probs[l.offset + t * l.classes + best]!;
      kept++;
    }
    prev = best;
  }
  return { text, confidence: kept ? sum / kept : 0 };
}

/** The greedy (best class per step) path's characters, a run of one class counted once, blanks left out. */
export function greedyRuns(l: Lattice, dict: CharacterDictionary): GreedyRun[] {
  const out: GreedyRun[] = [];
  const best = bestsOf(l).arg;
  let prev = -1;
  for (let t = 0; t < l.steps; t++) {
    const arg = best[t]!;
    if (arg !== 0 && arg === prev) out[out.length - 1]!.to = t + 1;
    else if (arg !== 0) out.push({ k: arg, ch: dict.chars[arg] ?? '', from: t, to: t + 1 });
    prev = arg;
  }
  return out;
}

/** Log probability of the unconstrained best path (greedy), on the raw lattice. */
export function bestPathLogProb(l: Lattice): number {
  return bestsOf(l).pathLogProb;
}
