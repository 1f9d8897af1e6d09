// The OCR accuracy gate's held-back panels: expected text from labels.tsv
// (the image is the display: the whole reading must match) and from
// labels.jsonl as scripts/gen-panels.ts writes it (a full camera frame whose
// scene carries other signs: the reading must hold the display's text), and
// the gate's accuracy drop judged on them.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { textGate } from '../../src/quantize/gate.js';
import { expectedOf, listPanels, readsExpected } from '../../src/quantize/ocr-inputs.js';
import { BadInputError } from '../../src/system/errors.js';
import { tempDir } from '../helpers/tmp.js';

const TH = { minTextAgreement: 0.99, maxAccuracyDrop: 0.01, minCorrelation: 0.99, maxRelativeError: 0.05 };
const PNG_1PX = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8ffff3f0005fe02fea7d6a4a00000000049454e44ae426082', 'hex');

function panelDir(files: string[]): string {
  const dir = tempDir('faultsense-labels-');
  for (const f of files) writeFileSync(join(dir, f), PNG_1PX);
  return dir;
}

test('labels.jsonl from gen-panels.ts labels its frames, matched by containment; labels.tsv stays exact', () => {
  const dir = panelDir(['0000-seven-segment-alarm.png', '0001-plain-status.png', '0002-plain-status.png', 'cal-001.png']);
  writeFileSync(join(dir, 'labels.jsonl'), [
    { file: '0000-seven-segment-alarm.png', width: 640, height: 360, text: 'H45', kind: 'alarm', alarm: 'H45' },
    { file: '0001-plain-status.png', width: 800, height: 450, text: 'TEMP 69C', kind: 'status', alarm: null },
  ].map((l) => JSON.stringify(l)).join('\n') + '\n\n');
  writeFileSync(join(dir, 'labels.tsv'), 'cal-001.png\tE-042\tseven-segment\n');
  const panels = listPanels(dir);
  assert.deepEqual(panels.map((p) => [p.file.split('/').pop(), p.text, p.match]), [
    ['0000-seven-segment-alarm.png', 'H45', 'contains'],
    ['0001-plain-status.png', 'TEMP 69C', 'contains'],
    ['0002-plain-status.png', undefined, undefined],
    ['cal-001.png', 'E-042', 'exact'],
  ]);
  const [seg, status, , cal] = panels.map(expectedOf);
  // A full frame: the display's text among the scene's other signs, letter case aside (segment "h").
  assert.equal(readsExpected('h45 EMERGENCY STOP', seg!), true);
  assert.equal(readsExpected('EMERGENCYSTOP TEMP69C HOT SURFACE', status!), true);
  assert.equal(readsExpected('TEMP 60C HOT SURFACE', status!), false);
  assert.equal(readsExpected('EMERGENCY STOP', seg!), false);
  assert.equal(readsExpected('', { text: ' ', match: 'contains' }), false, 'an empty label is never read');
  // A display crop: the whole reading, whitespace aside.
  assert.equal(readsExpected('E-0 42', cal!), true);
  assert.equal(readsExpected('E-042 RUN', cal!), false);
  assert.equal(readsExpected('E-042', 'E-042'), true);
});

test('a labels.jsonl line without file and text is refused, naming the line', () => {
  const dir = panelDir(['a.png']);
  writeFileSync(join(dir, 'labels.jsonl'), '{"file":"a.png","text":"A1"}\n{"file":"b.png"}\n');
  assert.throws(() => listPanels(dir), (err: Error) => err instanceof BadInputError && /labels\.jsonl line 2 lacks a string "file" and "text"/.test(err.message));
  writeFileSync(join(dir, 'labels.jsonl'), '{"file":"a.png","text":"A1"\n');
  assert.throws(() => listPanels(dir), (err: Error) => err instanceof BadInputError && /labels\.jsonl line 1 is not JSON/.test(err.message));
});

test('on 110 held-back frames the gate tells a variant that loses one panel from one that loses two (1 pt)', () => {
  const n = 110;
  const expected = Array.from({ length: n }, (_, i) => ({ text: `E-${100 + i}`, match: 'contains' as const }));
  const fp32 = expected.map((e, i) => (i % 3 === 0 ? 'EMERGENCY STOP' : `MAIN POWER ${e.text}`));  // a third unread
  const loseOne = fp32.map((t, i) => (i === 1 ? 'MAIN POWER E-1O1' : t));
  const loseTwo = loseOne.map((t, i) => (i === 2 ? 'MAIN POWER' : t));
  const one = textGate(fp32, loseOne, expected, TH);
  assert.equal(one.passed, true, JSON.stringify(one));
  assert.equal(one.figures.labelled, n);
  assert.equal(one.figures.accuracyFp32, Math.round((73 / n) * 1e4) / 1e4);
  assert.ok(one.figures.accuracyDrop! < 0.01);
  const two = textGate(fp32, loseTwo, expected, TH);
  assert.equal(two.passed, false);
  assert.match(two.reasons[0]!, /pt below fp32's/);
  // Reading more of the scene than fp32 (another sign) is not a loss when the display is still read.
  assert.equal(textGate(fp32, fp32.map((t) => `${t} KEEP CLEAR`), expected, TH).passed, true);
});
