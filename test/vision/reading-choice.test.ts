// Choosing and completing a line's reading (line-grammar.ts, line-arbitration.ts): a decimal point between digits
// keeps a line a value, a trailing ghost character is dropped, the two readers' disagreement is decided from
// evidence, and the confidence says how much the grammar changed. Hand-made lattices and readings; no model needed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Lattice } from '../../src/vision/ocr/constrained-ctc.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { keepsDecimalPoints } from '../../src/vision/ocr/reading-edits.js';
import { joinSplitLines } from '../../src/vision/ocr/split-lines.js';
import type { OcrLine } from '../../src/vision/ocr/panel-reader.js';
import { ghostEnds, innerGhosts, lineGhosts } from '../../src/vision/ocr/ghost-characters.js';
import { completes, cutEnds, emitsAtEnd, endsToReRead, takesWider, widenBox } from '../../src/vision/ocr/box-ends.js';
import { interpretLine, recogniserStands, segmentsSpeak } from '../../src/vision/ocr/line-arbitration.js';
import type { RgbImage } from '../../src/vision/image.js';
import { latticeOf, type LatticeStep } from '../helpers/lattice.js';

const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.:%'];
const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 2);
const lattice = (steps: LatticeStep[]): Lattice => latticeOf(dict, steps);
const clear = (text: string, p = 0.98): Array<Record<string, number>> => [...text].flatMap((ch) => [{ [ch]: p }, {}]);
const catalog = new LineGrammar({ alarmPatterns: ['/E-\\d{3}/', '/P-?\\d{2,4}/', '/AL\\d{3,4}/'] });

describe('a decimal point between digits keeps a line a value', () => {
  test('P.550.8 is not turned into the code P-5508, with or without a catalog', () => {
    // The recogniser read the points surely; a dash and a blank have a little probability at their steps.
    const l = lattice([...clear('P'), { '.': 0.85, '-': 0.06 }, {}, ...clear('550'), { '.': 0.85 }, {}, ...clear('8')]);
    for (const g of [new LineGrammar(), catalog]) {
      const r = g.readLine(l, dict, { text: 'P.550.8', confidence: 0.9 }, { confusion: 0.3, segment: 1 });
      assert.notEqual(r.kind, 'alarm', `${g.usesCatalog ? 'catalog' : 'no catalog'}: ${JSON.stringify(r)}`);
    }
  });

  test('a point whose neighbour is a misread letter may still go (6.317 is E-317)', () => {
    assert.equal(keepsDecimalPoints('6.317', 'E-317'), true);
    assert.equal(keepsDecimalPoints('P.550.8', 'P-5508'), false);
    assert.equal(keepsDecimalPoints('21.4', '214'), false);
    assert.equal(keepsDecimalPoints('E-317', 'E-317'), true);
    assert.equal(keepsDecimalPoints('396.0', '396.0'), true);
    // E3.17 read for E317 with a point lit between digits: the code would drop it, so the line is not that code.
    assert.equal(keepsDecimalPoints('AL3.17', 'AL317'), false);
  });
});

describe('a code split into two detector boxes', () => {
  const line = (text: string, x: number, y: number, w: number, h: number, confidence = 0.98): Pick<OcrLine, 'text' | 'confidence' | 'box' | 'reading'> => ({ text, confidence, box: { x, y, width: w, height: h } });
  test('ERR and 83 side by side on one display are the code ERR 83; a legend far off or on another row is not joined', () => {
    for (const g of [new LineGrammar(), catalog, new LineGrammar({ alarmPatterns: ['/ERR[- ]?\\d{2,3}/'] })]) {
      const joined = joinSplitLines([line('STOP', 10, 10, 60, 20), line('ERR', 100, 100, 90, 40), line('83', 230, 102, 60, 40)], g);
      const code = joined.find((l) => /83/.test(l.text));
      if (g === catalog) { assert.equal(joined.length, 3, 'the catalog has no ERR codes: nothing to join'); continue; }
      assert.equal(joined.length, 2, JSON.stringify(joined));
      assert.equal(code?.reading?.kind, 'alarm');
      assert.equal(code?.reading?.code?.replace(/\s/g, ''), 'ERR83');
      assert.deepEqual(code?.box, { x: 100, y: 100, width: 190, height: 42 });
    }
    const g = new LineGrammar();
    assert.equal(joinSplitLines([line('ERR', 100, 100, 90, 40), line('83', 400, 100, 60, 40)], g).length, 2, 'too far apart');
    assert.equal(joinSplitLines([line('ERR', 100, 100, 90, 40), line('83', 200, 160, 60, 40)], g).length, 2, 'another row');
    assert.equal(joinSplitLines([line('ERR', 100, 100, 90, 40), line('83', 200, 100, 30, 15)], g).length, 2, 'another size');
    assert.equal(joinSplitLines([line('OIL', 100, 100, 90, 40), line('83', 200, 100, 60, 40)], g).length, 2, 'no code prefix');
    const spaced = joinSplitLines([line('F L T', 100, 100, 120, 40), line('74', 250, 100, 60, 40)], g);
    assert.deepEqual([spaced.length, spaced[0]!.reading?.code], [1, 'FLT 74']);
    const status = joinSplitLines([line('SET', 100, 100, 90, 40), line('1561', 200, 100, 120, 40)], g);
    assert.deepEqual([status.length, status[0]!.reading?.kind, status[0]!.reading?.name], [1, 'status', 'SET']);
  });

  test('a bare number boxed alone between the two parts joins them (ALM, 1 and 8 are ALM 18, not ALM 8)', () => {
    // On a blurred dot display the detector boxed ALM, the narrow 1 (half the line's height) and the 8 apart: the 1 is
    // of no one height with ALM, so ALM took the 8 over it.
    const g = new LineGrammar();
    const joined = joinSplitLines([line('ALM', 85, 398, 120, 60), line('1', 241, 432, 18, 24, 0.79), line('8', 257, 423, 46, 45)], g);
    assert.deepEqual([joined.length, joined[0]!.reading?.code, joined[0]!.confidence], [1, 'ALM 18', 0.79], JSON.stringify(joined));
    assert.deepEqual(joined[0]!.box, { x: 85, y: 398, width: 218, height: 70 });
    // A number above or below the gap is another line's.
    assert.deepEqual(joinSplitLines([line('ALM', 85, 398, 120, 60), line('1', 241, 470, 18, 24), line('8', 257, 410, 46, 45)], g).map((l) => l.text), ['ALM 8', '1']);
  });

  test('letters the segment cells changed: the recogniser\'s own letters spell the code (FLI read FLT, then 83)', () => {
    const g = new LineGrammar();
    const cells = { ...line('FLI', 100, 100, 90, 40), raw: 'FLT' };
    const joined = joinSplitLines([cells, line('83', 200, 100, 60, 40)], g);
    assert.deepEqual([joined.length, joined[0]!.reading?.code], [1, 'FLT 83'], JSON.stringify(joined));
    const word = { ...line('OHL', 100, 100, 90, 40), raw: 'OIL' };
    assert.equal(joinSplitLines([word, line('83', 200, 100, 60, 40)], g).length, 2, 'a word the recogniser read is no code prefix either');
  });
});

/** A dark crop 48 px high with bright bars (glyphs) at the given x ranges and brightness; the rest background. */
function barsCrop(width: number, bars: Array<{ x0: number; x1: number; level: number; y0?: number; y1?: number; rgb?: number[] }>, background = 20): RgbImage {
  const h = 48, data = new Float32Array(width * h * 3).fill(background);
  for (const b of bars) {
    for (let y = b.y0 ?? 8; y < (b.y1 ?? 40); y++) {
      for (let x = b.x0; x < b.x1; x++) for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = b.rgb ? b.rgb[c]! : b.level;
    }
  }
  return { data, width, height: h };
}
/** A lattice emitting `text` one character at each given step, blanks elsewhere. */
function emitting(steps: number, at: Array<[number, string, number?]>): Lattice {
  const s: Array<Record<string, number>> = Array.from({ length: steps }, () => ({}));
  for (const [t, ch, p] of at) s[t] = { [ch]: p ?? 0.97 };
  return lattice(s);
}

describe('a trailing ghost character is dropped', () => {
  // Four glyphs 40 px apart; the recogniser emits each at its centre (8 crop px per step at height 48).
  const glyphs = (lastLevel: number, lastRgb?: number[]) => barsCrop(170, [
    { x0: 12, x1: 30, level: 230 }, { x0: 52, x1: 70, level: 225 }, { x0: 92, x1: 110, level: 235 }, { x0: 132, x1: 150, level: lastLevel, ...(lastRgb ? { rgb: lastRgb } : {}) }]);
  const l = emitting(21, [[2, 'E'], [7, '9'], [12, '1'], [17, '1']]);
  const rec = (text: string) => ({ greedy: { text, confidence: 0.97 }, lattice: l });

  test('E911 whose last 1 is drawn at a fifth of the others\' contrast reads E91; drawn like the others it stays E911', () => {
    assert.deepEqual(ghostEnds(glyphs(60), l, dict), { lead: 0, trail: 1, from: 0, to: 15 });
    assert.equal(ghostEnds(glyphs(225), l, dict), null);
    // Dark strokes on a light LCD: the last one under a glare streak (its background whitened from top to bottom,
    // the stroke greyed) stands out less, but it is the line's own.
    const lcd = (glare: boolean) => barsCrop(170, [{ x0: 12, x1: 30, level: 30 }, { x0: 52, x1: 70, level: 30 }, { x0: 92, x1: 110, level: 30 },
      ...(glare ? [{ x0: 120, x1: 165, level: 255, y0: 0, y1: 48 }, { x0: 132, x1: 150, level: 160 }] : [{ x0: 132, x1: 150, level: 160 }])], 200);
    assert.equal(ghostEnds(lcd(true), l, dict), null);
    assert.equal(ghostEnds(lcd(false), l, dict)?.trail, 1, 'the same grey stroke on the display\'s own background is a ghost');
    // A dim 7 is a glyph under a veil of glare, not an unlit cell (those read 8, 0, or 1 for an edge).
    assert.equal(ghostEnds(glyphs(60), emitting(21, [[2, 'E'], [7, '9'], [12, '1'], [17, '7']]), dict), null);
    // A thin 1 inks a small share of its pitch, fully lit: it is the code's own (F551 is not F55).
    assert.equal(ghostEnds(barsCrop(170, [{ x0: 12, x1: 30, level: 230 }, { x0: 52, x1: 70, level: 225 }, { x0: 92, x1: 110, level: 235 }, { x0: 140, x1: 145, level: 230 }]), l, dict), null);
    for (const g of [new LineGrammar(), new LineGrammar({ alarmPatterns: ['/E\\d{2,3}/'] })]) {
      const ghost = interpretLine(glyphs(60), rec('E911'), dict, { grammar: g, segmentCells: false });
      assert.equal(ghost.reading?.code, 'E91', JSON.stringify(ghost));
      assert.ok(ghost.confidence > 0.9, 'the characters kept are sure');
      const real = interpretLine(glyphs(225), rec('E911'), dict, { grammar: g, segmentCells: false });
      assert.equal(real.reading?.code, 'E911', JSON.stringify(real));
    }
  });

  test('a dim last 1 beside a glyph of the line as dim is the line\'s own (ERR 61 under glare is not ERR 6)', () => {
    const e961 = emitting(21, [[2, 'E'], [7, '9'], [12, '6'], [17, '1']]);
    const dimmed = (sixLevel: number) => barsCrop(170, [{ x0: 12, x1: 30, level: 230 }, { x0: 52, x1: 70, level: 225 },
      { x0: 92, x1: 110, level: sixLevel }, { x0: 132, x1: 150, level: 60 }]);
    assert.equal(ghostEnds(dimmed(60), e961, dict), null);
    assert.equal(ghostEnds(dimmed(235), e961, dict)?.trail, 1, 'beside a glyph drawn fully, the dim 1 is still a ghost');
  });

  test('a last character in another colour (a red bezel mark after a green code) is no glyph of the line', () => {
    const green = [40, 220, 60];
    const crop = barsCrop(170, [{ x0: 12, x1: 30, level: 0, rgb: green }, { x0: 52, x1: 70, level: 0, rgb: green }, { x0: 92, x1: 110, level: 0, rgb: green },
      { x0: 132, x1: 150, level: 0, rgb: [230, 40, 40] }]);
    assert.equal(ghostEnds(crop, l, dict)?.trail, 1);
    // A green glyph whitened by a grey glare streak over it is the line's own (E-367 is not E-36).
    const glared = barsCrop(170, [{ x0: 12, x1: 30, level: 0, rgb: green }, { x0: 52, x1: 70, level: 0, rgb: green }, { x0: 92, x1: 110, level: 0, rgb: green },
      { x0: 132, x1: 150, level: 0, rgb: [190, 235, 180] }]);
    assert.equal(ghostEnds(glared, l, dict), null);
    // Glare that washed out the first glyphs (cyan, whitened) leaves the last one the most saturated of the line, in the
    // same hue: it is the line's own ink as the display draws it (F976 is not F97).
    const washed = barsCrop(170, [{ x0: 12, x1: 30, level: 0, rgb: [153, 235, 247] }, { x0: 52, x1: 70, level: 0, rgb: [182, 240, 249] },
      { x0: 92, x1: 110, level: 0, rgb: [133, 217, 233] }, { x0: 132, x1: 150, level: 0, rgb: [90, 219, 239] }]);
    assert.equal(ghostEnds(washed, l, dict), null);
    assert.equal(ghostEnds(barsCrop(170, [0, 1, 2, 3].map((i) => ({ x0: 12 + 40 * i, x1: 30 + 40 * i, level: 0, rgb: green }))), l, dict), null);
  });

  test('a last character whose ink lies on the other side of the background is no other colour (ERR 39 is not ER3)', () => {
    // A crop whose top and bottom rows lie on a grey bezel (80): the display between is dark blue-black, and its
    // dim blue strokes are nearer the bezel's grey than the display is, so the first three characters' strongest
    // contrast is the dark display around them. The last one's cell holds only its bright blue stroke: its ink is no
    // other colour than the line's, only measured on the other side of the background.
    const blue = [94, 123, 174], dark = [6, 8, 16], er39 = emitting(21, [[2, 'E'], [7, 'R'], [12, '3'], [17, '9']]);
    const bezel = (band: Array<{ x0: number; x1: number; level: number; rgb?: number[]; y0?: number; y1?: number }>) => barsCrop(170, [
      { x0: 0, x1: 120, level: 0, rgb: dark, y0: 2, y1: 46 }, ...[0, 1, 2].map((i) => ({ x0: 16 + 40 * i, x1: 26 + 40 * i, level: 0, rgb: [60, 80, 140] })),
      ...band], 80);
    assert.equal(ghostEnds(bezel([{ x0: 120, x1: 170, level: 0, rgb: blue, y0: 2, y1: 46 }]), er39, dict), null);
    // The same bright blue on the dark display, as the others' strokes: one ink, nothing to leave out either.
    assert.equal(ghostEnds(bezel([{ x0: 120, x1: 170, level: 0, rgb: dark, y0: 2, y1: 46 }, { x0: 132, x1: 150, level: 0, rgb: blue }]), er39, dict), null);
  });

  test('a leading unlit cell read as 8 is left out too (88583 for F583, its F read 8 with F second-best); a dim leading letter is not', () => {
    const crop = barsCrop(210, [{ x0: 12, x1: 30, level: 55 }, ...[1, 2, 3, 4].map((i) => ({ x0: 12 + 40 * i, x1: 30 + 40 * i, level: 230 }))]);
    const five = lattice(Array.from({ length: 26 }, (_, t): LatticeStep => (t === 2 ? { '8': 0.9 } : t === 7 ? { '8': 0.7, F: 0.25 } : t === 12 ? { '5': 0.97 } : t === 17 ? { '8': 0.97 } : t === 22 ? { '3': 0.97 } : {})));
    assert.deepEqual(ghostEnds(crop, five, dict), { lead: 1, trail: 0, from: 5, to: 26 });
    for (const g of [new LineGrammar(), new LineGrammar({ alarmPatterns: ['/F-?\\d{2,3}/'] })]) {
      const r = interpretLine(crop, { greedy: { text: '88583', confidence: 0.9 }, lattice: five }, dict, { grammar: g, segmentCells: false });
      assert.equal(r.reading?.code, 'F583', JSON.stringify(r));
    }
    const letter = lattice(Array.from({ length: 26 }, (_, t): LatticeStep => (t === 2 ? { E: 0.9 } : t === 7 ? { '8': 0.97 } : t === 12 ? { '5': 0.97 } : t === 17 ? { '8': 0.97 } : t === 22 ? { '3': 0.97 } : {})));
    assert.equal(ghostEnds(crop, letter, dict), null);
  });
});

describe('an unlit cell between two words is a space, not a character', () => {
  // ERR 24 on a display whose dark cell between the words shows its unlit segments: six cells 40 px apart, the fourth
  // at a fifth of the others' contrast, read 8 (ERR824).
  const cells = (level: number) => barsCrop(256, [0, 1, 2, 3, 4, 5].map((i) => ({ x0: 12 + 40 * i, x1: 30 + 40 * i, level: i === 3 ? level : 230 })));
  const l = emitting(32, [[2, 'E'], [7, 'R'], [12, 'R'], [17, '8'], [22, '2'], [27, '4']]);

  test('a weak 8 between lit characters, where the segment reader saw a space, is an unlit cell; drawn like the others, or off a space, it is not', () => {
    const gap = [[110, 172] as const]; // between the third cell and the fifth
    assert.deepEqual(innerGhosts(cells(50), l, dict, gap).map((g) => g.t), [17]);
    assert.deepEqual(innerGhosts(cells(225), l, dict, gap), []);
    assert.deepEqual(innerGhosts(cells(50), l, dict, []), [], 'no space there: a thin glyph measured weak is still a glyph');
    // Whatever the recogniser took the unlit cell for (a fourteen-segment cell's ghosts read as an S): its shape is not
    // asked inside a space; off a space a weak character is still a glyph.
    const s = emitting(32, [[2, 'E'], [7, 'R'], [12, 'R'], [17, 'S'], [22, '2'], [27, '4']]);
    assert.deepEqual(innerGhosts(cells(50), s, dict, gap).map((g) => g.t), [17]);
    assert.deepEqual(innerGhosts(cells(50), s, dict, []), []);
    // A glyph of few strokes stays: a thin dim 1 or an L under glare may lie where the cells saw a space (E-2 12 on a
    // fourteen-segment display; AL4860).
    for (const ch of ['1', 'L', '7']) {
      assert.deepEqual(innerGhosts(cells(50), emitting(32, [[2, 'E'], [7, 'R'], [12, 'R'], [17, ch], [22, '2'], [27, '4']]), dict, gap), [], ch);
    }
  });

  test('a line\'s ghosts are measured only when asked for, once for both kinds, with the same result as each alone', () => {
    const gap = [[110, 172] as const];
    const crop = cells(50);
    // Count the reads of the crop's pixels.
    let reads = 0;
    const counted = new Proxy(crop.data, { get: (t, k) => { if (typeof k === 'string' && /^\d+$/.test(k)) reads++; const v = Reflect.get(t, k); return typeof v === 'function' ? v.bind(t) : v; } });
    const ghosts = lineGhosts({ ...crop, data: counted }, l, dict, gap);
    assert.equal(reads, 0, 'nothing measured before a reading asks');
    assert.deepEqual(ghosts.inner(), innerGhosts(crop, l, dict, gap));
    const once = reads;
    assert.ok(once > 0);
    assert.deepEqual(ghosts.ends(), ghostEnds(crop, l, dict));
    assert.deepEqual(ghosts.inner(), innerGhosts(crop, l, dict, gap));
    assert.equal(reads, once, 'the ink is measured once for the ends and the inner cells');
  });
});

describe('a box end that cuts through a glyph', () => {
  test('ink at the crop\'s end inside the text band is a cut glyph; an edge running the whole height is not', () => {
    assert.deepEqual(cutEnds(barsCrop(120, [{ x0: 0, x1: 10, level: 230 }, { x0: 30, x1: 50, level: 230 }, { x0: 70, x1: 90, level: 230 }])), { left: true, right: false });
    assert.deepEqual(cutEnds(barsCrop(120, [{ x0: 20, x1: 40, level: 230 }, { x0: 60, x1: 80, level: 230 }, { x0: 110, x1: 120, level: 230 }])), { left: false, right: true });
    // A bezel's edge: bright from the top row to the bottom one.
    assert.deepEqual(cutEnds(barsCrop(120, [{ x0: 20, x1: 40, level: 230 }, { x0: 60, x1: 80, level: 230 }, { x0: 114, x1: 120, level: 230, y0: 0, y1: 48 }])), { left: false, right: false });
    assert.deepEqual(cutEnds(barsCrop(120, [{ x0: 20, x1: 40, level: 230 }, { x0: 60, x1: 80, level: 230 }])), { left: false, right: false });
  });

  test('a recogniser still emitting at its last step runs into the crop\'s end', () => {
    assert.equal(emitsAtEnd(emitting(10, [[2, 'A'], [5, 'L'], [9, '9']])), true);
    assert.equal(emitsAtEnd(emitting(10, [[2, 'A'], [5, 'L'], [7, '9']])), false);
  });

  test('a crop recognised beside wider ones is judged at its own last steps, not at the batch\'s padding', () => {
    // The batch is 21 steps wide; the crop, 80 px once scaled to the recogniser's height, fills its first 10.
    const padded = emitting(21, [[2, 'A'], [5, 'L'], [9, '9']]);
    assert.equal(emitsAtEnd(padded, 80), true);
    assert.equal(emitsAtEnd(padded, 120), false, 'blank past its last character within its own steps');
  });

  test('the wider reading is taken only where it completes the first at the widened end', () => {
    assert.equal(completes('AL95', 'AL9534', false, true), true);
    assert.equal(completes('ALM6', 'ALM 67', false, true), true);
    assert.equal(completes('69', 'F69', true, false), true);
    assert.equal(completes('69', '969', false, true), false, 'a character at the other end');
    assert.equal(completes('AL95', 'AL9', false, true), false, 'fewer characters');
    assert.equal(completes('AL95', 'AL95123', false, true), false, 'more than two more');
    assert.equal(completes('E-41', 'E-481', false, true), false, 'other characters');
    const g = new LineGrammar();
    const at = (text: string, confidence = 0.9) => ({ text, confidence, reading: g.classifyText(text, confidence) });
    assert.equal(takesWider(at('AL95'), at('AL9534'), { left: false, right: true, prefix: false }, { before: 'AL95', after: 'AL9534' }), true);
    assert.equal(takesWider(at('AL95'), at('AL9534', 0.4), { left: false, right: true, prefix: false }, { before: 'AL95', after: 'AL9534' }), false, 'an unsure wider reading');
    assert.equal(takesWider(at('E91'), at('E91 7%'), { left: false, right: true, prefix: false }, { before: 'E91', after: 'E91 7%' }), false, 'a code is not turned into a status');
    const w = widenBox({ points: [[10, 10], [110, 10], [110, 50], [10, 50]], score: 1 }, false, true);
    assert.deepEqual(w.points.map((p) => p.map((v) => Math.round(v))), [[10, 10], [138, 10], [138, 50], [10, 50]]);
  });
});

describe('a bare number on a segment display may have lost its code\'s letters', () => {
  const g = new LineGrammar();
  const plainCrop = barsCrop(120, [{ x0: 20, x1: 40, level: 230 }, { x0: 60, x1: 80, level: 230 }]);
  const inside = emitting(12, [[3, '2'], [8, '8']]);
  const at = (text: string, confidence = 0.9, segment = 1) => ({ text, confidence, segment, reading: g.classifyText(text, confidence) });

  test('128 on a segment display is read again widened to the left, and E128 read surely there replaces it', () => {
    const e = endsToReRead(at('128'), plainCrop, inside);
    assert.deepEqual(e, { left: true, right: false, prefix: true });
    assert.equal(takesWider(at('128'), at('E128'), e!, { before: '128', after: 'E128' }), true);
    assert.equal(takesWider(at('128'), at('E-128'), e!, { before: '128', after: 'E-128' }), true);
    assert.equal(takesWider(at('128'), at('E128', 0.7), e!, { before: '128', after: 'E128' }), false, 'letters read unsurely');
    assert.equal(takesWider(at('128'), at('8128'), e!, { before: '128', after: '8128' }), false, 'a digit, not a letter');
    assert.equal(takesWider(at('128'), at('1280'), e!, { before: '128', after: '1280' }), false, 'not at the widened end');
    assert.equal(takesWider(at('128'), at('E128'), e!, { before: '128', after: '128' }), false, 'only the cells see the letter');
  });

  test('-98 (the dash after a code\'s lost letter kept) is read again widened to the left, and C-98 read surely there replaces it', () => {
    assert.equal(at('-98').reading.kind, 'status');
    const e = endsToReRead(at('-98'), plainCrop, inside);
    assert.deepEqual(e, { left: true, right: false, prefix: true });
    assert.equal(takesWider(at('-98'), at('C-98'), e!, { before: '--98', after: 'C--98' }), true);
    assert.equal(takesWider(at('-98'), at('-98'), e!, { before: '--98', after: '--98' }), false, 'nothing more read');
    assert.equal(endsToReRead(at('-98', 0.9, 0), plainCrop, inside), null, 'printed text');
  });

  test('a named status, a marked value, printed text or a longer number is not looked at', () => {
    for (const [text, segment] of [['SET 128', 1], ['72C', 1], ['128', 0], ['12805', 1], ['12.8', 1], ['8', 1]] as Array<[string, number]>) {
      assert.equal(endsToReRead(at(text, 0.9, segment), plainCrop, inside), null, text);
    }
  });
});

describe('when the two readers disagree', () => {
  test('a fairly sure recogniser whose code the grammar takes as read outweighs cells the grammar had to change (ALM 39 over ALH 39 → AL4 39)', () => {
    const g = new LineGrammar();
    const byRecogniser = g.classifyText('ALM 39', 0.93);
    const bySegments = { ...g.classifyText('AL4 39', 0.79), raw: 'ALH 39', constraintCost: 3.48, changed: 1 };
    assert.equal(recogniserStands(byRecogniser, bySegments, 0.93, 14), true);
    // Cells the grammar takes as they are still speak against the same recogniser (its slips at 0.7-0.9 parse too).
    assert.equal(recogniserStands(g.classifyText('ER-08', 0.9), g.classifyText('ERR 08', 0.9), 0.9, 7), false);
    // Both readings changed by the grammar: the one closer to what both readers saw (RLM 44 read, cells ALH 44).
    const cells = { ...g.classifyText('AL444', 0.77), raw: 'ALH 44', constraintCost: 3.1, changed: 1 };
    const rec = { ...g.classifyText('ALM 44', 0.8), raw: 'RLM 44', constraintCost: 1.2, changed: 1 };
    assert.equal(segmentsSpeak({ fit: 0.6, gaps: 1, text: 'ALH 44', unexplained: 0 }, 5, cells, rec, 0.8), false);
    // Where the two are as close, the cells still speak (ghost segments read lit by the recogniser: F-90 for F-70).
    assert.equal(segmentsSpeak({ fit: 0.6, gaps: 0, text: 'F-70', unexplained: 0 }, 3, g.classifyText('F-70', 0.9), g.classifyText('F-90', 0.9), 0.9), true);
    // A lone letter the recogniser read nothing of, set apart from exactly what it read, is no code's prefix (C 7).
    assert.equal(segmentsSpeak({ fit: 0.5, gaps: 1, text: 'C 7', unexplained: 0 }, 1, g.classifyText('C 7', 0.9), g.classifyText('7', 0.88), 0.88), false);
    assert.equal(segmentsSpeak({ fit: 0.5, gaps: 0, text: 'C-95', unexplained: 0 }, 2, g.classifyText('C-95', 0.9), g.classifyText('-95', 0.9), 0.9), true);
    // And an unsure recogniser does not outweigh changed cells.
    assert.equal(recogniserStands(byRecogniser, bySegments, 0.7, 14), false);
  });
});
