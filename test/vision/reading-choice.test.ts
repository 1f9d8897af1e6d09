// Choosing and completing a line's reading (line-grammar.ts, line-arbitration.ts): a decimal point between digits
// keeps a line a value, a trailing ghost character is dropped, the two readers' disagreement is decided from
// evidence, and the confidence says how much the grammar changed. Hand-made lattices and readings; no model needed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Lattice } from '../../src/vision/ocr/constrained-ctc.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import { keepsDecimalPoints, LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { joinSplitLines } from '../../src/vision/ocr/split-lines.js';

const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.:%'];
const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 2);
const C = dict.size;
/** A lattice from steps mapping characters to probabilities; the rest of each step's mass is the blank's. */
function lattice(steps: Array<Record<string, number>>): Lattice {
  const probs = new Float32Array(steps.length * C);
  steps.forEach((s, t) => {
    let used = 0;
    for (const [ch, p] of Object.entries(s)) { probs[t * C + dict.indexOf(ch)] = p; used += p; }
    probs[t * C] += Math.max(0, 1 - used);
  });
  return { probs, offset: 0, steps: steps.length, classes: C };
}
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
  const line = (text: string, x: number, y: number, w: number, h: number, confidence = 0.98) => ({ text, confidence, box: { x, y, width: w, height: h } });
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
    const status = joinSplitLines([line('SET', 100, 100, 90, 40), line('1561', 200, 100, 120, 40)], g);
    assert.deepEqual([status.length, status[0]!.reading?.kind, status[0]!.reading?.name], [1, 'status', 'SET']);
  });
});
