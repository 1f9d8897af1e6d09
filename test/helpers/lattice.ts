// Hand-made recogniser lattices for the decoding tests: each step maps characters to probabilities,
// and whatever mass a step leaves over goes to the blank (class 0) unless the step names the blank
// itself with the key ''.
import assert from 'node:assert/strict';
import type { Lattice } from '../../src/vision/ocr/constrained-ctc.js';
import type { CharacterDictionary, DecodedLine } from '../../src/vision/ocr/ctc.js';

export type LatticeStep = Record<string, number>;

export function latticeOf(dict: CharacterDictionary, steps: LatticeStep[]): Lattice {
  const C = dict.size;
  const probs = new Float32Array(steps.length * C);
  steps.forEach((s, t) => {
    let used = 0;
    for (const [ch, p] of Object.entries(s)) {
      const i = ch === '' ? 0 : dict.indexOf(ch);
      assert.ok(i >= 0, `no class for ${ch}`);
      probs[t * C + i] = p;
      used += p;
    }
    if (!('' in s)) probs[t * C] += Math.max(0, 1 - used);
  });
  return { probs, offset: 0, steps: steps.length, classes: C };
}

/** A lattice that says nothing (blank at every step): the segment cells alone decide. */
export function silentLattice(dict: CharacterDictionary, steps: number): Lattice {
  return latticeOf(dict, Array.from({ length: steps }, () => ({})));
}

/**
 * Greedy CTC decoding written plainly, step by step over the probabilities (the arg-max class of each step; repeats
 * collapse, blanks separate): the reference the product's one-scan greedyReading (lattice-scan.ts) is checked against.
 */
export function plainGreedyDecode(l: Lattice, dict: CharacterDictionary): DecodedLine {
  let text = '', sum = 0, kept = 0, prev = -1;
  for (let t = 0; t < l.steps; t++) {
    const row = l.offset + t * l.classes;
    let best = 0;
    for (let c = 1; c < l.classes; c++) if (l.probs[row + c]! > l.probs[row + best]!) best = c;
    if (best !== 0 && best !== prev) {
      text += dict.chars[best] ?? '';
      sum += l.probs[row + best]!;
      kept++;
    }
    prev = best;
  }
  return { text, confidence: kept ? sum / kept : 0 };
}
