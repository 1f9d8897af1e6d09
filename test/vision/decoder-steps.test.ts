// The constrained decoder (constrained-ctc.ts) works out each class's smoothed probability once per step and walks a
// state set's moves as flat lists (speed, issue #11): it must read every lattice exactly as the straightforward beam,
// which asked each beam's every class afresh and walked the moves' Map, read it. The straightforward beam is kept here
// as the reference.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileCharPattern } from '../../src/vision/ocr/char-pattern.js';
import { bestPathLogProb, CompiledGrammar, decodeConstrained, greedyReading, greedyRuns, smoothedProb, type Lattice } from '../../src/vision/ocr/constrained-ctc.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import { plainGreedyDecode } from '../helpers/lattice.js';

const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.:% '];
const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 1);

interface Beam { text: string; states: number[]; last: number; pb: number; pnb: number; charPb: number[]; charPnb: number[] }
const FLOOR = Math.log(1e-9), PRUNE = Math.log(1e-7);
const score = (b: Beam): number => Math.max(b.pb, b.pnb);
const bestChars = (b: Beam): number[] => (b.pb >= b.pnb ? b.charPb : b.charPnb);
const logOf = (p: number): number => (p > 0 ? Math.max(FLOOR, Math.log(p)) : FLOOR);

/** The beam as it was written first: one object per candidate, every probability asked again. */
function reference(l: Lattice, grammar: CompiledGrammar, confusion: number, halfCost = 7): { text: string; logProb: number; cost: number; confidence: number } | null {
  let beams: Beam[] = [{ text: '', states: grammar.start(), last: -1, pb: 0, pnb: -Infinity, charPb: [], charPnb: [] }];
  const space = grammar.space;
  for (let t = 0; t < l.steps; t++) {
    const row = l.offset + t * l.classes;
    const next = new Map<string, Beam>();
    const put = (b: Beam): void => {
      const key = `${b.text}\u0000${b.last}`;
      const old = next.get(key);
      if (!old) next.set(key, b);
      else {
        if (b.pb > old.pb) { old.pb = b.pb; old.charPb = b.charPb; }
        if (b.pnb > old.pnb) { old.pnb = b.pnb; old.charPnb = b.charPnb; }
      }
    };
    const pBlank = logOf(l.probs[row]!);
    for (const b of beams) {
      const s = score(b);
      const chars = bestChars(b);
      put({ ...b, pb: s + pBlank, pnb: -Infinity, charPb: chars, charPnb: [] });
      if (b.last > 0 && b.pnb > -Infinity) {
        const pl = smoothedProb(l, dict, t, b.last, confusion);
        const charP = b.charPnb.slice();
        charP[charP.length - 1] = Math.max(charP[charP.length - 1] ?? 0, pl);
        put({ ...b, pb: -Infinity, pnb: b.pnb + logOf(pl), charPb: [], charPnb: charP });
      }
      for (const [c, states] of grammar.next(b.states)) {
        const p = smoothedProb(l, dict, t, c, confusion);
        const lp = logOf(p);
        if (lp < PRUNE) continue;
        const fromBlank = c === b.last;
        const from = fromBlank ? b.pb : s;
        if (from === -Infinity) continue;
        const before = fromBlank ? b.charPb : chars;
        put({ text: b.text + dict.chars[c]!, states, last: c, pb: -Infinity, pnb: from + lp, charPb: [], charPnb: [...before, p] });
      }
      if (space > 0 && b.last !== space && b.text.length > 0) {
        const p = l.probs[row + space]!;
        if (logOf(p) >= PRUNE) put({ text: b.text + ' ', states: b.states, last: space, pb: -Infinity, pnb: s + logOf(p), charPb: [], charPnb: chars });
      }
    }
    beams = [...next.values()].sort((a, b) => score(b) - score(a)).slice(0, 12);
  }
  let best: Beam | null = null;
  for (const b of beams) if (grammar.accepts(b.states) && (!best || score(b) > score(best))) best = b;
  if (!best) return null;
  const logProb = score(best);
  const charP = bestChars(best);
  const cost = Math.max(0, bestPathLogProb(l) - logProb);
  const mean = charP.length ? charP.reduce((a, b) => a + b, 0) / charP.length : 0;
  return { text: best.text.trim(), logProb, cost, confidence: cost > 0 ? mean * 2 ** (-cost / halfCost) : mean };
}

/** A lattice of `steps` rows, each a few classes with most of the mass and a little on many (seeded, repeatable). */
function randomLattice(seed: number, steps: number): Lattice {
  let s = seed >>> 0;
  const rnd = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const C = dict.size;
  const probs = new Float32Array(steps * C);
  for (let t = 0; t < steps; t++) {
    const row = probs.subarray(t * C, (t + 1) * C);
    for (let c = 0; c < C; c++) row[c] = rnd() < 0.3 ? rnd() * 1e-4 : 0;
    row[0] += rnd() < 0.5 ? 2 : 0.2;
    for (let k = 0; k < 3; k++) row[1 + Math.floor(rnd() * (C - 1))] += rnd() * 2;
    let sum = 0;
    for (let c = 0; c < C; c++) sum += row[c]!;
    for (let c = 0; c < C; c++) row[c] = row[c]! / sum;
  }
  return { probs, offset: 0, steps, classes: C };
}

test('a state set\'s moves as flat lists are its next() entries in their order, worked out once', () => {
  const g = new CompiledGrammar(compileCharPattern('(?:E|ERR|AL|FLT ?)[- ]?\\d{2,3}'), dict);
  for (const states of [g.start(), g.next(g.start()).get(dict.indexOf('E'))!, g.next(g.start()).get(dict.indexOf('A'))!]) {
    const lists = g.nextLists(states);
    assert.equal(g.nextLists(states), lists, 'the same lists for the same state set');
    assert.deepEqual(lists.classes, [...g.next(states).keys()]);
    assert.deepEqual(lists.to, [...g.next(states).values()]);
  }
});

test('the decoder reads random lattices exactly as the straightforward beam, with and without look-alike lending', () => {
  const grammars = ['(?:E|ERR|AL|FLT ?)[- ]?\\d{2,3}', '(?:LOAD|RUN|SPEED)? ?\\d{1,4}%?', '[A-Z0-9 :.-]{1,8}']
    .map((p) => new CompiledGrammar(compileCharPattern(p, 'i'), dict));
  let decoded = 0;
  for (let seed = 1; seed <= 60; seed++) {
    const l = randomLattice(seed, 8 + (seed % 17));
    for (const g of grammars) {
      for (const confusion of [0, 0.04, 0.3]) {
        const want = reference(l, g, confusion);
        assert.deepEqual(decodeConstrained(l, dict, g, { confusion }), want, `seed ${seed}, confusion ${confusion}`);
        if (want) decoded++;
      }
    }
  }
  assert.ok(decoded > 100, `most lattices decode under some grammar (${decoded})`);
});

test('the best path and the greedy runs, kept per lattice, are those of each lattice asked', () => {
  const a = randomLattice(5, 20), b = randomLattice(6, 20);
  // Two lattices over one buffer at different steps: each has its own answers.
  const both = new Float32Array(a.probs.length + b.probs.length);
  both.set(a.probs); both.set(b.probs, a.probs.length);
  const la: Lattice = { probs: both, offset: 0, steps: 20, classes: a.classes }, lb: Lattice = { probs: both, offset: a.probs.length, steps: 20, classes: a.classes };
  for (let round = 0; round < 2; round++) {
    assert.equal(bestPathLogProb(la), bestPathLogProb(a));
    assert.equal(bestPathLogProb(lb), bestPathLogProb(b));
    assert.deepEqual(greedyRuns(la, dict), greedyRuns(a, dict));
    assert.deepEqual(greedyRuns(lb, dict), greedyRuns(b, dict));
  }
  // A run handed out is the caller's: changing it changes no later answer.
  greedyRuns(la, dict)[0]!.to = 999;
  assert.notEqual(greedyRuns(la, dict)[0]!.to, 999);
});

test('the greedy reading from the lattice\'s kept best classes is the plain step-by-step decoding\'s, text and confidence', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const l = randomLattice(seed, 5 + (seed % 23));
    // Also a view at an offset into a larger buffer, as the recogniser's batch gives each line.
    const wide = new Float32Array(l.probs.length + 3 * l.classes);
    wide.set(l.probs, 3 * l.classes);
    const view: Lattice = { probs: wide, offset: 3 * l.classes, steps: l.steps, classes: l.classes };
    for (const x of [l, view]) assert.deepEqual(greedyReading(x, dict), plainGreedyDecode(x, dict), `seed ${seed}`);
  }
});
