// A status value's digit the recogniser read over a cell that clearly shows a digit of fewer segments, the rest as dark
// as the line's unlit places, is the cell's digit (dark-segment-digits.ts, asked by line-arbitration.ts for a status as
// for a code): a 7 drawn with its upper left upright (a b c f) is read 9, and where the segment reader cannot read the
// whole line (a cell no glyph explains: a % sign, an r) the recogniser's value stood. The status keeps its name, and
// never becomes a code.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { statusDigitsMoved } from '../../src/vision/ocr/dark-segment-digits.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar, type LineReading } from '../../src/vision/ocr/line-grammar.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const fixtures = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures');

describe('a hooked 7 of a status value the recogniser reads 9', { timeout: 120_000 }, () => {
  const r = realReader();

  // The line crop of scripts/gen-panels.ts seed 294 frame 113: LOAD 78% in DSEG14 Classic Light on a cyan LED with
  // noise. The recogniser reads LOR3 98% (the grammar makes LOAD 98%); the % cell is no glyph's, so the
  // cells do not speak for the line; the 7's cell lights a b c f, its middle and bottom bars dark.
  test('LOAD 78% on a fourteen-segment LED is no LOAD 98%', async () => {
    const crop = frameToRgb(await decodeImageFile(join(fixtures, 'segment-crops/load78-hooked-seven-fourteen-led.png')));
    const [rec] = await recogniseCrops(r.reader, [crop]);
    assert.match(rec!.greedy.text, /98%$/, `the recogniser reads a 9 there (${rec!.greedy.text})`);
    for (const g of [new LineGrammar(), new LineGrammar({ alarmPatterns: ['/[A-Z]{1,3}[- ]?\\d{2,4}/'] })]) {
      const line = interpretLine(crop, rec!, r.reader.dictionary, { grammar: g });
      assert.equal(line.reading?.kind, 'status', JSON.stringify(line));
      assert.equal(line.reading?.name, 'LOAD');
      assert.equal(line.reading?.value, '78%');
    }
  });
});

// The frame is scripts/gen-panels.ts seed 287 frame 59: RUN 1287 in DSEG7 Modern Mini Light on an inverted LCD, tilted,
// JPEG. Its line is read on the view with its dots joined (doubtful-dots.ts) as run 1289; the r's cell is no glyph's.
// Read whole (the line's reading depends on its views and its recognition batch).
test('RUN 1287 on an inverted LCD is no RUN 1289, and no alarm', { timeout: 120_000 }, async () => {
  const ocr = { enabled: true, minConfidence: 0.5, reuseUnchanged: false };
  const img = await decodeImageFile(join(fixtures, 'frames/run1287-hooked-seven-inverted-lcd.jpg'));
  for (const options of [{ ocr }, { alarmPatterns: ['/[A-Z]{1,3}[- ]?\\d{2,4}/'], ocr }]) {
    const a = await VisionAnalyzer.create(options);
    try {
      const v = await a.analyze(img);
      assert.deepEqual(v.alarmCodes, []);
      assert.ok(v.text.some((t: string) => t.toUpperCase() === 'RUN 1287'), JSON.stringify(v.text));
    } finally {
      await a.close();
    }
  }
});

const status = (name: string, value: string, kind: LineReading['kind'] = 'status'): LineReading =>
  ({ kind, text: `${name} ${value}`.trim(), raw: '', name, value, confidence: 0.9 });

test('a status is taken back only as itself, its value\'s digits read as other digits', () => {
  assert.equal(statusDigitsMoved(status('RUN', '1289'), status('RUN', '1287')), true);
  assert.equal(statusDigitsMoved(status('', '98%'), status('', '78%')), true);
  // Nothing moved, or the name, a mark or the value's length changed, or it became a code: not this.
  assert.equal(statusDigitsMoved(status('RUN', '1289'), status('RUN', '1289')), false);
  assert.equal(statusDigitsMoved(status('RUN', '1289'), status('RUM', '1287')), false);
  assert.equal(statusDigitsMoved(status('', '98%'), status('', '980')), false);
  assert.equal(statusDigitsMoved(status('', '1289'), status('', '128')), false);
  assert.equal(statusDigitsMoved(status('', '1289'), { ...status('', '1287'), kind: 'alarm', code: 'E1287' }), false);
  assert.equal(statusDigitsMoved({ ...status('', '1289'), kind: 'alarm' }, status('', '1287')), false);
});
