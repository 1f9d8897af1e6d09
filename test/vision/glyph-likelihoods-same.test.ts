// glyphLikelihoods (segment-glyphs.ts) works out each segment's probability of being lit once per cell and walks each
// pattern as flags (speed, issue #11): every character's likelihood must be exactly what the straightforward loop,
// which asked each pattern's Set and the sigmoid again for every segment, gave. That loop is kept here as the reference.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GLYPHS_14, GLYPHS_7, glyphLikelihoods, middleBar, SEGMENTS_14, type SegmentName } from '../../src/vision/ocr/segment-glyphs.js';

const pOn = (lit: number): number => Math.min(0.97, Math.max(0.03, 1 / (1 + Math.exp(-(lit - 0.5) * 12))));
const SEVEN_DARK: readonly SegmentName[] = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm'];

function reference(lit: Partial<Record<SegmentName, number>>, kind: 7 | 14): Map<string, number> {
  const segs = kind === 7 ? SEVEN_DARK : SEGMENTS_14;
  if (kind === 7 && !Number.isNaN(lit.g ?? 0)) lit = { ...lit, g: middleBar(lit) };
  const out = new Map<string, number>();
  for (const [c, pats] of Object.entries(kind === 7 ? GLYPHS_7 : GLYPHS_14)) {
    let best = 0;
    for (const p of pats.map((q) => new Set(kind === 7 ? [...q] : q.split(' ')))) {
      let l = 1;
      for (const s of segs) {
        const v = lit[s] ?? 0;
        if (Number.isNaN(v)) continue;
        const on = pOn(v);
        l *= p.has(s) ? on : 1 - on;
      }
      if (l > best) best = l;
    }
    out.set(c, best);
  }
  return out;
}

test('glyph likelihoods are exactly the straightforward loop\'s, with unjudged (NaN) and missing segments', () => {
  let s = 5;
  const rnd = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const names: SegmentName[] = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'g1', 'g2', 'h', 'i', 'j', 'k', 'l', 'm'];
  for (let round = 0; round < 400; round++) {
    const lit: Partial<Record<SegmentName, number>> = {};
    for (const n of names) {
      const x = rnd();
      if (x < 0.1) continue;
      lit[n] = x < 0.2 ? NaN : rnd() < 0.5 ? Math.round(rnd() * 4) / 4 : rnd() * 1.2;
    }
    for (const kind of [7, 14] as const) assert.deepEqual(glyphLikelihoods(lit, kind), reference(lit, kind), `round ${round}, kind ${kind}`);
  }
});
