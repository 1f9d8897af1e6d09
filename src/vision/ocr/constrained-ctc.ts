// Decoding the recogniser's per-step probabilities (the CTC lattice) under a
// grammar. A beam of prefixes walks the lattice; each prefix carries the set of
// grammar (NFA) states it can be in, and may only grow by characters the
// grammar allows there. Scores are best-alignment (Viterbi) log probabilities,
// so a constrained reading can be compared with the unconstrained best path:
// the difference, in nats, says how much the constraint had to change.
// A segment-confusion model can lend a character probability from the
// characters a display shows the same way (segment-confusion.ts).
import type { CharacterDictionary } from './ctc.js';
import { bestPathLogProb, FLOOR, type Lattice } from './lattice-scan.js';

// What a lattice's own best path says (its readers import these from here as before): lattice-scan.ts.
export { bestPathLogProb, greedyReading, greedyRuns, type GreedyRun, type Lattice } from './lattice-scan.js';
import { closure, type Nfa } from './char-pattern.js';
import { confusionsInto } from './segment-confusion.js';
import { NumberTable } from './number-table.js';

export interface ConstrainedResult {
  text: string;
  /** Best-path log probability (smoothed lattice). */
  logProb: number;
  /** Nats the constraint cost against the unconstrained best path (0: nothing changed). */
  cost: number;
  /**
   * Mean probability of the characters emitted, discounted by what the constraint cost: halved at every `halfCost`
   * nats. A reading the grammar left as read keeps its mean; one the grammar had to change comes out less sure the
   * more it changed.
   */
  confidence: number;
}

export interface DecodeOptions {
  /** Weight of the segment-confusion model (0: the lattice as is). */
  confusion?: number;
  beamWidth?: number;
  /** Nats of constraint cost that halve the confidence (default 7, the line grammar's default maxCost). */
  halfCost?: number;
}

const PRUNE = Math.log(1e-7);

/** Grammar compiled against a dictionary: per NFA state, the classes it accepts and where they lead. */
export class CompiledGrammar {
  private readonly moves = new Map<number, Array<[number, number]>>();
  private readonly closures = new Map<string, number[]>();
  private readonly nexts = new WeakMap<number[], Map<number, number[]>>();
  private readonly moveLists = new WeakMap<number[], { classes: number[]; to: number[][] }>();
  readonly space: number;

  constructor(readonly nfa: Nfa, private readonly dict: CharacterDictionary) {
    this.space = dict.indexOf(' ');
  }

  /** Classes allowed from state s, with the target state. */
  private movesOf(s: number): Array<[number, number]> {
    let m = this.moves.get(s);
    if (!m) {
      m = [];
      for (const e of this.nfa.states[s]!.edges) {
        for (const c of this.dict.asciiClasses()) if (e.test(this.dict.chars[c]!)) m.push([c, e.to]);
      }
      this.moves.set(s, m);
    }
    return m;
  }

  start(): number[] {
    return this.close([this.nfa.start]);
  }

  close(states: number[]): number[] {
    const key = states.join(',');
    let c = this.closures.get(key);
    if (!c) {
      c = closure(this.nfa, states);
      this.closures.set(key, c);
    }
    return c;
  }

  /**
   * For a state set: class → next state set. The beam asks this of the same few state sets (close() hands out one
   * array per set) at every step of every line: each set's answer is worked out once.
   */
  next(states: number[]): Map<number, number[]> {
    let out = this.nexts.get(states);
    if (!out) {
      out = this.nextOf(states);
      this.nexts.set(states, out);
    }
    return out;
  }

  /**
   * next() as two parallel arrays in the Map's order (the class, the state set it leads to): the beam walks them at
   * every step without the Map iterator's [class, states] pair per entry.
   */
  nextLists(states: number[]): { classes: number[]; to: number[][] } {
    let out = this.moveLists.get(states);
    if (!out) {
      out = { classes: [], to: [] };
      for (const [c, to] of this.next(states)) { out.classes.push(c); out.to.push(to); }
      this.moveLists.set(states, out);
    }
    return out;
  }

  private nextOf(states: number[]): Map<number, number[]> {
    const out = new Map<number, number[]>();
    for (const s of states) {
      for (const [c, to] of this.movesOf(s)) {
        const arr = out.get(c);
        if (arr) { if (!arr.includes(to)) arr.push(to); } else out.set(c, [to]);
      }
    }
    for (const [c, arr] of out) out.set(c, this.close(arr.sort((a, b) => a - b)));
    return out;
  }

  accepts(states: number[]): boolean {
    return states.includes(this.nfa.accept);
  }
}

/** Probability of class c at step t after lending from segment look-alikes. */
export function smoothedProb(l: Lattice, dict: CharacterDictionary, t: number, c: number, confusion: number): number {
  const row = l.offset + t * l.classes;
  let p = l.probs[row + c]!;
  if (confusion > 0 && c > 0) {
    const lenders = lendersOf(dict, c);
    for (let i = 0; i < lenders.length; i += 2) p += confusion * lenders[i + 1]! * l.probs[row + lenders[i]!]!;
  }
  return Math.min(1, p);
}

/** Per dictionary and class: the classes that lend it probability and their weights, as [class, weight, …]. */
const lenders = new WeakMap<CharacterDictionary, Map<number, number[]>>();

/** The look-alikes confusionsInto() names for class c, as dictionary classes (those the dictionary has) and weights. */
function lendersOf(dict: CharacterDictionary, c: number): number[] {
  let byClass = lenders.get(dict);
  if (!byClass) lenders.set(dict, (byClass = new Map()));
  let out = byClass.get(c);
  if (!out) {
    out = [];
    for (const [x, w] of confusionsInto(dict.chars[c]!)) {
      const xi = dict.indexOf(x);
      if (xi > 0) out.push(xi, w);
    }
    byClass.set(c, out);
  }
  return out;
}

/**
 * Probabilities of a prefix's emitted characters, the newest first. A list is never changed once made, so prefixes
 * that grew from the same one share its tail, and a candidate costs one node instead of a copied array.
 */
interface CharList { p: number; prev: CharList | null }

interface Beam {
  /** The prefix's text as an id in the decode's text table (TextTable): one text, one id. */
  text: number;
  states: number[];
  last: number;
  pb: number;
  pnb: number;
  /** Probabilities of the emitted characters (best step of each), on the best path ending in a blank / in a character. */
  charPb: CharList | null;
  charPnb: CharList | null;
  /**
   * A candidate's newest character not yet in charPnb (hasHead): its node is made only if the candidate is kept
   * (keep()), not for the many bestOf turns away.
   */
  hasHead: boolean;
  headP: number;
}

const score = (b: Beam): number => Math.max(b.pb, b.pnb);
const bestChars = (b: Beam): CharList | null => (b.pb >= b.pnb ? b.charPb : b.charPnb);
const logOf = (p: number): number => (p > 0 ? Math.max(FLOOR, Math.log(p)) : FLOOR);

/**
 * The prefixes' texts of one decode, each given an id. A beam offers the same prefix plus a character at every step it
 * lives; the text is joined once per (prefix, class) and looked up by number afterwards. Two ways to one text (classes
 * that spell alike) get the same id, as the texts themselves would compare equal.
 */
class TextTable {
  readonly texts: string[] = [''];
  private readonly ids = new Map<string, number>([['', 0]]);
  private readonly grown = new Map<number, number>();

  constructor(private readonly dict: CharacterDictionary, private readonly classes: number) {}

  /** Id of text `id` followed by class c's character. */
  grow(id: number, c: number): number {
    const k = id * this.classes + c;
    let out = this.grown.get(k);
    if (out === undefined) {
      const text = this.texts[id]! + this.dict.chars[c]!;
      out = this.ids.get(text);
      if (out === undefined) {
        out = this.texts.length;
        this.texts.push(text);
        this.ids.set(text, out);
      }
      this.grown.set(k, out);
    }
    return out;
  }
}

/** The mean of a character list's probabilities, summed oldest first. */
function meanOf(list: CharList | null): number {
  const ps: number[] = [];
  for (let n = list; n; n = n.prev) ps.push(n.p);
  ps.reverse();
  return ps.length ? ps.reduce((a, b) => a + b, 0) / ps.length : 0;
}

/**
 * The `width` best of a step's prefixes, best first, in the order a stable sort by score would give them (ties keep
 * the order they were first offered in).
 */
function bestOf(prefixes: NumberTable<Beam>, width: number): Beam[] {
  const top: Beam[] = [];
  if (width <= 0) return top;
  for (let k = 0; k < prefixes.size; k++) {
    const b = prefixes.at(k);
    const s = score(b);
    if (top.length === width && s <= score(top[width - 1]!)) continue;
    let i = top.length;
    while (i > 0 && score(top[i - 1]!) < s) i--;
    top.splice(i, 0, b);
    if (top.length > width) top.pop();
  }
  return top;
}

/**
 * Per step, the smoothed probability of each class asked for and its log, worked out once for every beam that asks
 * (a dozen beams ask for the same few dozen classes); `stamp` says which step a class's entry belongs to. Module-wide
 * scratch, grown to the dictionary's size: one decode at a time on the main thread, and a step number never repeats.
 */
let stamp = new Float64Array(0), stepProb = new Float64Array(0), stepLog = new Float64Array(0);
let stepNo = 0;
/** A step's candidate prefixes by key (module-wide, as the scratch above). */
const next = new NumberTable<Beam>();
/**
 * The candidates' objects, kept from decode to decode (module-wide, as the scratch above): a step takes its candidates
 * from one pool while the beams it grows from, the step before's, lie in the other; so a step's thousand-odd
 * candidates, nearly all turned away by bestOf, are no new objects for the young generation to sweep.
 */
const pools: [Beam[], Beam[]] = [[], []];
let pool: Beam[] = pools[0], poolUsed = 0;
function candidate(text: number, states: number[], last: number, pb: number, pnb: number, charPb: CharList | null, charPnb: CharList | null): Beam {
  if (poolUsed < pool.length) {
    const b = pool[poolUsed++]!;
    b.text = text; b.states = states; b.last = last; b.pb = pb; b.pnb = pnb; b.charPb = charPb; b.charPnb = charPnb; b.hasHead = false;
    return b;
  }
  const b: Beam = { text, states, last, pb, pnb, charPb, charPnb, hasHead: false, headP: 0 };
  pool.push(b);
  poolUsed++;
  return b;
}

/**
 * Best reading of the lattice the grammar accepts as a whole line, or null
 * when no prefix reaches an accepting state. Spaces the recogniser emits are
 * kept in the text where the grammar does not ask for them.
 */
export function decodeConstrained(l: Lattice, dict: CharacterDictionary, grammar: CompiledGrammar, opts: DecodeOptions = {}): ConstrainedResult | null {
  const confusion = opts.confusion ?? 0;
  const width = opts.beamWidth ?? 12;
  let beams: Beam[] = [{ text: 0, states: grammar.start(), last: -1, pb: 0, pnb: -Infinity, charPb: null, charPnb: null, hasHead: false, headP: 0 }];
  const space = grammar.space;
  if (stamp.length < l.classes) [stamp, stepProb, stepLog] = [new Float64Array(l.classes), new Float64Array(l.classes), new Float64Array(l.classes)];
  const texts = new TextTable(dict, l.classes);
  // A prefix is its text and its last class (a number: text id and class); -1 (no class yet) counts as 0.
  const stride = l.classes + 1;
  // A candidate prefix: a new one is kept as it is; one already there keeps the better of each ending (blank, character).
  const put = (text: number, states: number[], last: number, pb: number, charPb: CharList | null): void => {
    const key = text * stride + last + 1;
    const old = next.get(key);
    if (!old) next.add(key, candidate(text, states, last, pb, -Infinity, charPb, null));
    else if (pb > old.pb) { old.pb = pb; old.charPb = charPb; }
  };
  // A candidate ending in a character. Its character list is `prev` as it is, or with `node` a new head p ahead of
  // `prev`: the head noted on the candidate, its node made only once bestOf keeps the candidate (not for the many a
  // better way to the same prefix, or the beam's width, turns away).
  const putChar = (text: number, states: number[], last: number, pnb: number, node: boolean, p: number, prev: CharList | null): void => {
    const key = text * stride + last + 1;
    let b = next.get(key);
    if (!b) next.add(key, (b = candidate(text, states, last, -Infinity, pnb, null, prev)));
    else if (pnb > b.pnb) { b.pnb = pnb; b.charPnb = prev; }
    else return;
    b.hasHead = node;
    b.headP = p;
  };
  for (let t = 0; t < l.steps; t++) {
    const row = l.offset + t * l.classes;
    const step = ++stepNo;
    const probOf = (c: number): number => {
      if (stamp[c] !== step) {
        const p = smoothedProb(l, dict, t, c, confusion);
        stamp[c] = step; stepProb[c] = p; stepLog[c] = logOf(p);
      }
      return stepProb[c]!;
    };
    next.clear();
    // This step's candidates from the pool the step before did not use (its beams are in the other).
    pool = pools[t & 1]!;
    poolUsed = 0;
    const pBlank = logOf(l.probs[row]!);
    for (const b of beams) {
      const s = score(b);
      const chars = bestChars(b);
      // Stay: a blank, or the last character again (collapses).
      put(b.text, b.states, b.last, s + pBlank, chars);
      if (b.last > 0 && b.pnb > -Infinity) {
        const pl = probOf(b.last);
        const head = b.charPnb;
        // The last character's probability is its best step's.
        if (head) putChar(b.text, b.states, b.last, b.pnb + stepLog[b.last]!, true, Math.max(head.p, pl), head.prev);
        else putChar(b.text, b.states, b.last, b.pnb + stepLog[b.last]!, false, 0, null);
      }
      // Grow by a character the grammar allows.
      const moves = grammar.nextLists(b.states);
      for (let m = 0; m < moves.classes.length; m++) {
        const c = moves.classes[m]!;
        const p = probOf(c);
        const lp = stepLog[c]!;
        if (lp < PRUNE) continue;
        const fromBlank = c === b.last;
        const from = fromBlank ? b.pb : s;
        if (from === -Infinity) continue;
        const before = fromBlank ? b.charPb : chars;
        putChar(texts.grow(b.text, c), moves.to[m]!, c, from + lp, true, p, before);
      }
      // A space the grammar does not ask for: kept, grammar state unchanged.
      if (space > 0 && b.last !== space && texts.texts[b.text]!.length > 0) {
        const p = l.probs[row + space]!;
        if (logOf(p) >= PRUNE) putChar(texts.grow(b.text, space), b.states, space, s + logOf(p), false, 0, chars);
      }
    }
    beams = bestOf(next, width);
    for (const b of beams) {
      if (b.hasHead) { b.charPnb = { p: b.headP, prev: b.charPnb }; b.hasHead = false; }
    }
  }
  next.clear();
  let best: Beam | null = null;
  for (const b of beams) if (grammar.accepts(b.states) && (!best || score(b) > score(best))) best = b;
  if (!best) return null;
  const logProb = score(best);
  const cost = Math.max(0, bestPathLogProb(l) - logProb);
  const mean = meanOf(bestChars(best));
  return { text: texts.texts[best.text]!.trim(), logProb, cost, confidence: cost > 0 ? mean * 2 ** (-cost / (opts.halfCost ?? 7)) : mean };
}
