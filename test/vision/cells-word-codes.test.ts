// A word on a panel that the segment cells took apart stroke by stroke (DANGER read `A P-Q 2 E88 8I`) holds no alarm
// code, even where a catalog pattern (/E\d{2}/) matches a piece of it: a code in a text line's free text counts only
// where the recogniser's own reading of the line has a digit (analyzer.ts alarmCodesOf).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import type { OcrLine } from '../../src/vision/ocr/panel-reader.js';

type CodesOf = (lines: OcrLine[]) => string[];
/** The analyzer's rule from read lines to alarm codes, reached without running the models. */
const codesOf = (a: VisionAnalyzer): CodesOf => (lines) => (a as unknown as { alarmCodesOf: CodesOf }).alarmCodesOf(lines);

const line = (text: string, extra: Partial<OcrLine>): OcrLine =>
  ({ text, confidence: 0.64, box: { x: 0, y: 0, width: 100, height: 20 }, view: 'original', ...extra }) as OcrLine;

describe('codes in the free text of a line the segment cells read', () => {
  let withCatalog: VisionAnalyzer;
  before(async () => {
    withCatalog = await VisionAnalyzer.create({ ocr: { enabled: false, minConfidence: 0.5 }, alarmPatterns: ['/E\\d{2}/', '/E-\\d{3}/'] });
  });
  after(async () => { await withCatalog?.close(); });

  test('a word the cells garbled spells no code', () => {
    const garbled = line('A P-Q 2 E88 8I', { raw: 'DANGER', cells: 'A P-Q 2 E88 8I', segment: 0.58, reading: { kind: 'text', raw: 'DANGER' } as OcrLine['reading'] });
    assert.deepEqual(codesOf(withCatalog)([garbled]), []);
  });

  test('a code in free text still counts where the recogniser read digits there too', () => {
    const read = line('PUMP E42 HOT', { raw: 'PUMP E42 HOT', cells: 'PUMP E42 HOT', reading: { kind: 'text', raw: 'PUMP E42 HOT' } as OcrLine['reading'] });
    assert.deepEqual(codesOf(withCatalog)([read]), ['E42']);
    const recogniserOnly = line('NOTE E-317', { reading: { kind: 'text', raw: 'NOTE E-317' } as OcrLine['reading'] });
    assert.deepEqual(codesOf(withCatalog)([recogniserOnly]), ['E-317'], 'a line the cells did not read is as before');
  });
});
