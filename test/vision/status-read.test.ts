// The bench's "status lines read (name+value)" (bench/status-read.ts): a bare state word the line grammar reports as
// a value counts against a label that gives it as a name, and nothing else is let through.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { statusLineRead } from '../../bench/_status-read.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';

const g = new LineGrammar();
const read = (text: string): Array<{ name: string; value: string }> => {
  const r = g.classifyText(text, 0.99);
  return r.kind === 'status' ? [{ name: r.name ?? '', value: r.value ?? '' }] : [];
};

test('a bare state word read by the grammar counts for a label with the word as name or as value', () => {
  assert.deepEqual(read('READY'), [{ name: '', value: 'READY' }]);
  assert.equal(statusLineRead({ name: 'READY', value: '' }, read('READY')), true);
  assert.equal(statusLineRead({ name: '', value: 'READY' }, read('READY')), true);
});

test('a named status needs its name and its value; a wrong word or a lost decimal point is not read', () => {
  assert.equal(statusLineRead({ name: 'RUN', value: '301' }, read('RUN 301')), true);
  assert.equal(statusLineRead({ name: 'RUN', value: '301' }, read('301')), false);
  assert.equal(statusLineRead({ name: 'PRES', value: '8.3' }, read('PRES 83')), false);
  assert.equal(statusLineRead({ name: 'READY', value: '' }, read('STOP')), false);
  assert.equal(statusLineRead({ name: 'MODE', value: 'AUTO' }, read('AUTO')), false);
  assert.equal(statusLineRead({ name: '', value: '3385' }, undefined), false);
});
