// A line boxed short of its last digit is read again widened at that end (box-ends.ts), and the wider reading is taken
// only where the recogniser sees more there too. It may read one letter of the code as a stroke it does not count as
// a glyph, and still read the digits it read first, and one more, at the widened end: ERR 81 on an inverted
// seven-segment LCD (scripts/gen-panels.ts seed 376 frame 36), boxed short of its 1, read Er-8; widened, E--81 (its
// second R a dash). Counted by letters and digits, three and three, the wider reading was refused, and with a catalog
// (whose ERR pattern takes no ERR 8) the frame reported no alarm.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { completes, takesWider } from '../../src/vision/ocr/box-ends.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { codesWithAndWithoutCatalog } from '../helpers/real-readers.js';

const g = new LineGrammar();
/** A line read so, as the grammar classifies it (confidence 0.86, over the wider reading's least). */
const at = (text: string, confidence = 0.86) => ({ text, confidence, segment: 1, reading: g.classifyText(text, confidence) });
const right = { left: false, right: true, prefix: false };

const FRAME = join(import.meta.dirname, '..', 'fixtures', 'frames', 'panels-seven-lcd-err81-box-short-wider-dash.jpg');

describe('a wider reading with more digits at the widened end', { timeout: 240_000 }, () => {
  test('is taken though a letter became a stroke; not at the other end, nor with other digits', () => {
    assert.equal(takesWider(at('ERR 8'), at('ERR 81'), right, { before: 'Er-8', after: 'E--81' }), true);
    assert.equal(takesWider(at('ERR 8'), at('ERR 81'), right, { before: 'Er-8', after: 'E--8' }), false, 'no more digits read');
    assert.equal(takesWider(at('ERR 8'), at('ERR 81'), right, { before: 'Er-8', after: 'E--71' }), false, 'other digits');
    assert.equal(takesWider(at('ERR 8'), at('ERR 81'), { left: true, right: false, prefix: false }, { before: 'Er-8', after: 'E--81' }), false, 'widened at the left');
  });

  test('ERR 81 on a whole frame, with the catalog\'s patterns and without', async () => {
    assert.deepEqual(await codesWithAndWithoutCatalog(FRAME, ['/ERR[- ]?\\d{2,3}/', '/E\\d{2,3}/', '/AL\\d{3,4}/']), [['ERR81'], ['ERR81']]);
  });
});

// A box that ends inside its last glyph leaves the glyph's left upright, read 1 (a display draws a true 1 at the right
// of its cell): E76 on a dim fourteen-segment LED under a glare spot (scripts/gen-panels-drawn.ts seed 369 frame 57),
// with the catalog the enhanced view's E71 taken, and widened at the right read E76: the same count of glyphs, no
// completion of E71, refused; E71 was reported.
const CUT_SIX = join(import.meta.dirname, '..', 'fixtures', 'frames', 'drawn-fourteen-glare-e76-enhanced-e71-cut-six.jpg');

describe('a last 1 that was a cut glyph\'s left upright', { timeout: 240_000 }, () => {
  test('is completed by a 0, 6 or 8 read there on the crop widened at the right, and by nothing else', () => {
    assert.equal(completes('E71', 'E76', false, true), true);
    assert.equal(completes('E-1', 'E-0', false, true), true);
    assert.equal(completes('E71', 'E76', true, false), false, 'widened at the left');
    assert.equal(completes('E71', 'E75', false, true), false, 'a 5 has no left upright at its foot');
    assert.equal(completes('E72', 'E76', false, true), false, 'no 1 last');
    assert.equal(completes('E71', 'E86', false, true), false, 'another digit before it');
    assert.equal(takesWider(at('E71'), at('E76'), right, { before: 'E71', after: 'E76' }), true);
    assert.equal(takesWider(at('E71'), at('E76'), right, { before: 'E71', after: 'E77' }), false, 'the recogniser read no such digit there');
  });

  test('E76 on the whole frame, with the catalog\'s patterns and without', async () => {
    const catalog = ['/E-\\d{3}/', '/E\\d{2,3}/', '/AL\\d{3,4}/', '/F-?\\d{2,3}/', '/ERR[- ]?\\d{2,3}/', '/A\\d{2}/'];
    assert.deepEqual(await codesWithAndWithoutCatalog(CUT_SIX, catalog), [['E76'], ['E76']]);
  });
});
