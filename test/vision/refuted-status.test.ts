// A named status the grammar made by changing a letter that the cells show as another letter (refuted-status.ts,
// line-arbitration.ts segmentsSpeak). Crop: the code line of frame 74 of a gen-panels-drawn set (seed 112), an
// inverted seven-segment LCD showing A05 that the recogniser read ROS; the grammar took it for the status POS.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine, segmentsSpeak } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { cellsRefuteStatus } from '../../src/vision/ocr/refuted-status.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const crop = (name: string): string => join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops', name);

const pos = { kind: 'status' as const, text: 'POS', raw: 'ROS', name: 'POS', value: '', confidence: 0.6, constraintCost: 1.62, changed: 1 };
const a05 = { kind: 'alarm' as const, text: 'A05', raw: 'AOS', code: 'A05', confidence: 0.73, constraintCost: 0, changed: 2 };

test('cells refute a status only at the letters the grammar changed, naming another letter the code keeps', () => {
  assert.equal(cellsRefuteStatus(pos, a05, 'AOS'), true);
  // The cells show the grammar's own letter there: the status stands.
  assert.equal(cellsRefuteStatus(pos, { ...a05, text: 'P05', code: 'P05' }, 'POS'), false);
  // The cells show a digit there: no letter refutes the guess.
  assert.equal(cellsRefuteStatus(pos, { ...a05, text: '805', code: '805' }, '8OS'), false);
  // A status read as it is was no guess.
  assert.equal(cellsRefuteStatus({ ...pos, raw: 'POS', changed: 0, constraintCost: 0 }, a05, 'AOS'), false);
  // Cells that count the line otherwise say nothing of its characters.
  assert.equal(cellsRefuteStatus(pos, a05, 'AOS5'), false);
});

test('clear cells that refute the status the grammar made speak for the line; unclear ones do not', () => {
  const seg = { fit: 0.67, gaps: 0, unexplained: 0, hidden: 0, text: 'AOS', segments: 7 as const };
  assert.equal(segmentsSpeak(seg, 3, a05, pos, 0.95), true);
  assert.equal(segmentsSpeak({ ...seg, fit: 0.3 }, 3, a05, pos, 0.95), false);
  assert.equal(segmentsSpeak(seg, 3, a05, { ...pos, raw: 'POS', changed: 0, constraintCost: 0 }, 0.95), false);
});

describe('A05 read ROS on an inverted LCD', { timeout: 180_000 }, () => {
  const r = realReader();
  test('is the code its cells spell, not the status POS', async () => {
    const img = frameToRgb(await decodeImageFile(crop('a05-read-ros-made-pos-inverted-lcd.png')));
    const [rec] = await recogniseCrops(r.reader, [img]);
    const line = interpretLine(img, rec!, r.reader.dictionary, { grammar: new LineGrammar() });
    assert.equal(line.reading?.kind, 'alarm', JSON.stringify(line));
    assert.equal(line.text, 'A05', JSON.stringify(line));
  });
});
