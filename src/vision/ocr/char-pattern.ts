// A small regular-expression compiler for the grammar of what a display can
// show: the subset used for alarm codes and status lines (literals, escapes,
// \d \w \s ., [classes] with ranges and negation, groups, alternation, ? * +
// {n} {n,} {n,m}) compiled to a Thompson NFA that the constrained CTC decoder
// walks one character at a time. Anchors and look-arounds are ignored: the
// decoder matches whole lines. A space in the pattern is optional (displays
// and the recogniser both drop and add spaces).

export type CharTest = (c: string) => boolean;

export interface NfaState {
  /** Character transitions. */
  edges: Array<{ test: CharTest; to: number }>;
  /** Epsilon transitions. */
  eps: number[];
}

export interface Nfa {
  states: NfaState[];
  start: number;
  accept: number;
}

export class CharPatternError extends Error {}

interface Fragment { start: number; end: number }

class Builder {
  readonly states: NfaState[] = [];
  add(): number {
    this.states.push({ edges: [], eps: [] });
    return this.states.length - 1;
  }
  char(test: CharTest): Fragment {
    const s = this.add(), e = this.add();
    this.states[s]!.edges.push({ test, to: e });
    return { start: s, end: e };
  }
  empty(): Fragment {
    const s = this.add(), e = this.add();
    this.states[s]!.eps.push(e);
    return { start: s, end: e };
  }
  concat(a: Fragment, b: Fragment): Fragment {
    this.states[a.end]!.eps.push(b.start);
    return { start: a.start, end: b.end };
  }
  alt(parts: Fragment[]): Fragment {
    const s = this.add(), e = this.add();
    for (const p of parts) {
      this.states[s]!.eps.push(p.start);
      this.states[p.end]!.eps.push(e);
    }
    return { start: s, end: e };
  }
  optional(a: Fragment): Fragment {
    this.states[a.start]!.eps.push(a.end);
    return a;
  }
  star(a: Fragment): Fragment {
    const s = this.add(), e = this.add();
    this.states[s]!.eps.push(a.start, e);
    this.states[a.end]!.eps.push(a.start, e);
    return { start: s, end: e };
  }
}

const isDigit: CharTest = (c) => c >= '0' && c <= '9';
const isWord: CharTest = (c) => /^[A-Za-z0-9_]$/.test(c);
const isSpace: CharTest = (c) => c === ' ';
const any: CharTest = (c) => c !== '\n';

/** Compiles `source` (no slashes) with flags ('i' = case-insensitive). */
export function compileCharPattern(source: string, flags = ''): Nfa {
  const fold = flags.includes('i');
  const b = new Builder();
  let i = 0;
  const peek = (): string | undefined => source[i];
  const fail = (what: string): never => {
    throw new CharPatternError(`${what} at position ${i} of /${source}/`);
  };
  const literal = (ch: string): CharTest => (fold ? (c) => c.toLowerCase() === ch.toLowerCase() : (c) => c === ch);

  // Each atom is a function that builds a fresh fragment (quantifiers need copies).
  type Atom = () => Fragment;
  const escape = (inClass: boolean): CharTest => {
    const e = source[i++];
    if (e === undefined) fail('a trailing backslash');
    switch (e) {
      case 'd': return isDigit;
      case 'D': return (c) => !isDigit(c);
      case 'w': return isWord;
      case 'W': return (c) => !isWord(c);
      case 's': return isSpace;
      case 'S': return (c) => !isSpace(c);
      default: return inClass ? (c) => c === e : literal(e!);
    }
  };
  const charClass = (): CharTest => {
    const negate = peek() === '^';
    if (negate) i++;
    const tests: CharTest[] = [];
    let first = true;
    while (i < source.length && (peek() !== ']' || first)) {
      first = false;
      let lo: string;
      if (peek() === '\\' && 'dDwWsS'.includes(source[i + 1] ?? '')) {
        i++;
        tests.push(escape(true));
        continue;
      }
      if (peek() === '\\') i++;
      lo = source[i++]!;
      if (peek() === '-' && source[i + 1] !== ']' && source[i + 1] !== undefined) {
        i++;
        let hi = source[i++]!;
        if (hi === '\\') hi = source[i++]!;
        const a = lo, z = hi;
        tests.push(fold ? (c) => (c.toLowerCase() >= a.toLowerCase() && c.toLowerCase() <= z.toLowerCase()) || (c.toUpperCase() >= a.toUpperCase() && c.toUpperCase() <= z.toUpperCase()) : (c) => c >= a && c <= z);
      } else tests.push(literal(lo));
    }
    if (peek() !== ']') fail('an unclosed [class]');
    i++;
    return negate ? (c) => !tests.some((t) => t(c)) : (c) => tests.some((t) => t(c));
  };

  const parseAlt = (): Atom => {
    const branches: Atom[] = [parseSeq()];
    while (peek() === '|') {
      i++;
      branches.push(parseSeq());
    }
    return branches.length === 1 ? branches[0]! : () => b.alt(branches.map((br) => br()));
  };
  const parseSeq = (): Atom => {
    const items: Atom[] = [];
    while (i < source.length && peek() !== '|' && peek() !== ')') {
      const atom = parseAtom();
      if (atom) items.push(parseQuantifier(atom));
    }
    return () => (items.length ? items.map((a) => a()).reduce((x, y) => b.concat(x, y)) : b.empty());
  };
  const parseAtom = (): Atom | null => {
    const ch = source[i++]!;
    if (ch === '^' || ch === '$') return null;
    if (ch === '(') {
      let lookaround = false;
      if (peek() === '?') {
        const m = /^\?(:|<?[=!])/.exec(source.slice(i));
        if (!m) fail('an unsupported group');
        lookaround = m![1] !== ':';
        i += m![0].length;
      }
      const inner = parseAlt();
      if (peek() !== ')') fail('an unclosed group');
      i++;
      return lookaround ? null : inner;
    }
    if (ch === '[') {
      const t = charClass();
      return () => b.char(t);
    }
    if (ch === '\\') {
      const t = escape(false);
      if (t === isSpace) return () => b.optional(b.char(isSpace));
      return () => b.char(t);
    }
    if (ch === '.') return () => b.char(any);
    if (ch === ' ') return () => b.optional(b.char(isSpace));
    if ('*+?{'.includes(ch)) fail(`a quantifier with nothing before it`);
    const t = literal(ch);
    return () => b.char(t);
  };
  const parseQuantifier = (atom: Atom): Atom => {
    let q = atom;
    for (;;) {
      const ch = peek();
      if (ch === '?') { i++; const a = q; q = () => b.optional(a()); }
      else if (ch === '*') { i++; const a = q; q = () => b.star(a()); }
      else if (ch === '+') { i++; const a = q; q = () => b.concat(a(), b.star(a())); }
      else if (ch === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
        if (!m) return q;
        i += m[0].length;
        const min = Number(m[1]), max = m[2] ? (m[3] ? Number(m[3]) : Infinity) : min;
        if (max < min || min > 32 || (max !== Infinity && max > 32)) fail('a repeat count out of range (0..32)');
        const a = q;
        q = () => {
          const parts: Fragment[] = [];
          for (let k = 0; k < min; k++) parts.push(a());
          if (max === Infinity) parts.push(b.star(a()));
          else for (let k = min; k < max; k++) parts.push(b.optional(a()));
          return parts.length ? parts.reduce((x, y) => b.concat(x, y)) : b.empty();
        };
      } else return q;
      if (peek() === '?') i++; // lazy marker: irrelevant for whole-line matching
    }
  };

  const top = parseAlt();
  if (i < source.length) fail('an unbalanced )');
  const frag = top();
  return { states: b.states, start: frag.start, accept: frag.end };
}

/** Union of several NFAs (whole-line alternatives). */
export function unionNfa(parts: Nfa[]): Nfa {
  const states: NfaState[] = [{ edges: [], eps: [] }, { edges: [], eps: [] }];
  for (const p of parts) {
    const off = states.length;
    for (const s of p.states) states.push({ edges: s.edges.map((e) => ({ test: e.test, to: e.to + off })), eps: s.eps.map((x) => x + off) });
    states[0]!.eps.push(p.start + off);
    states[p.accept + off]!.eps.push(1);
  }
  return { states, start: 0, accept: 1 };
}

/** Epsilon closure of a set of states, sorted. */
export function closure(nfa: Nfa, set: Iterable<number>): number[] {
  const seen = new Set<number>();
  const stack = [...set];
  while (stack.length) {
    const s = stack.pop()!;
    if (seen.has(s)) continue;
    seen.add(s);
    for (const e of nfa.states[s]!.eps) stack.push(e);
  }
  return [...seen].sort((a, b) => a - b);
}

/** Whole-string match (spaces in the text are skipped when the pattern has none there). */
export function nfaMatches(nfa: Nfa, text: string): boolean {
  let cur = closure(nfa, [nfa.start]);
  for (const c of text) {
    const next = new Set<number>();
    for (const s of cur) for (const e of nfa.states[s]!.edges) if (e.test(c)) next.add(e.to);
    if (next.size === 0 && c === ' ') continue;
    cur = closure(nfa, next);
    if (!cur.length) return false;
  }
  return cur.includes(nfa.accept);
}
