// Status lines whose name was misread are no alarms: a value boxed apart after a word that only starts a status name
// (name-start-value.ts: RUN 2272 read ruI and 5.2292, made U-2292), and a status name read as one word of a letter
// and digits before its value (spelled-name.ts: FREQ 31.1 read F850 311, a catalog code F850).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile } from '../../src/vision/image.js';
import type { OcrLine } from '../../src/vision/ocr/ocr-line.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { namePartBefore, type NamedLine } from '../../src/vision/ocr/name-start-value.js';
import { nameReadAsCode } from '../../src/vision/ocr/spelled-name.js';

const grammar = new LineGrammar();
const line = (text: string, kind: string, raw: string, x: number, y: number, width: number, height: number): NamedLine =>
  ({ text, raw, box: { x, y, width, height }, reading: { kind, raw } });

describe('a code after a word that starts a status name', () => {
  // RUN 2272 in DSEG7 on an inverted, glaring LCD: RUN boxed alone read ruI, the value's box (enhanced view) 5.2292.
  const name = line('ruI', 'text', 'ruI', 300, 200, 120, 70), value = line('U-2292', 'alarm', '5.2292', 440, 196, 300, 76);

  test('is the value of that status when the recogniser read no letter of the code', () => {
    assert.equal(grammar.nameStart('RU'), 'RUN');
    assert.equal(namePartBefore(value, 'U-2292', [name, value], grammar), name);
    // The name's end, its first letter lost (UN for RUN).
    const tail = line('UN', 'text', 'UN', 340, 200, 80, 70);
    assert.equal(namePartBefore(value, 'U-2292', [tail, value], grammar), tail);
  });

  test('stands where its letters were read, or the word starts no status name, or is far or on another row', () => {
    const read = line('U-2292', 'alarm', 'U-2292', 440, 196, 300, 76);
    assert.equal(namePartBefore(read, 'U-2292', [name, read], grammar), null);
    for (const word of ['OIL', 'JOG', 'POWER', 'FL', 'ER']) {
      const other = line(word, 'text', word, 300, 200, 120, 70);
      assert.equal(namePartBefore(value, 'U-2292', [other, value], grammar), null, word);
    }
    const far = line('U-2292', 'alarm', '5.2292', 700, 196, 300, 76);
    assert.equal(namePartBefore(far, 'U-2292', [name, far], grammar), null);
    const below = line('U-2292', 'alarm', '5.2292', 440, 320, 300, 76);
    assert.equal(namePartBefore(below, 'U-2292', [name, below], grammar), null);
    // A box before the word is no value after it.
    const before = line('U-2292', 'alarm', '5.2292', 0, 196, 280, 76);
    assert.equal(namePartBefore(before, 'U-2292', [name, before], grammar), null);
  });
});

describe('a code after a whole status name read by itself', () => {
  // RPM 1899 on a thin fourteen-segment LCD: RPM boxed alone and read as a status (a name with no value); the value,
  // boxed apart across the wide blank cells between them, read H44 by the recogniser and the cells alike.
  const rpm = line('RPM', 'status', 'RPM', 511, 344, 219, 116), value = line('H44', 'alarm', 'H44', 832, 387, 187, 69);

  test('is that status\'s value even where its letters were read', () => {
    assert.equal(namePartBefore(value, 'H44', [rpm, value], grammar), rpm);
    // Names the grammar knows whole, also those a longer name starts like (SPD, SPEED) or of two letters (HZ).
    for (const word of ['SPD', 'HZ']) {
      const name = line(word, 'status', word, 511, 344, 219, 116);
      assert.equal(namePartBefore(value, 'H44', [name, value], grammar), name, word);
    }
  });

  test('stands after a part of a name, past a few of the name\'s character widths, or beside a much smaller legend', () => {
    // A part of a name (RP) gives no such certainty where the code's letters were read.
    assert.equal(namePartBefore(value, 'H44', [line('RP', 'text', 'RP', 511, 344, 146, 116), value], grammar), null);
    // Three of RPM's character widths (73 px each) past its box is too far for its value.
    const far = line('H44', 'alarm', 'H44', 960, 387, 187, 69);
    assert.equal(namePartBefore(far, 'H44', [rpm, far], grammar), null);
    // A status name printed small beside a display (a legend) does not own the display's code.
    const legend = line('RPM', 'status', 'RPM', 700, 400, 60, 24), code = line('E-42', 'alarm', 'E-42', 780, 380, 200, 70);
    assert.equal(namePartBefore(code, 'E-42', [legend, code], grammar), null);
  });
});

describe('a status name read as a code before its value', () => {
  const names = grammar.statusNames;
  test('a letter and digits as long as a status name starting alike, then a number: that name', () => {
    assert.equal(nameReadAsCode('F850 311', 'F850', names), 'FREQ');
    assert.equal(nameReadAsCode('L083 60%', 'L083', names), 'LOAD');
  });
  test('a code with a space or dash, followed by a lone digit or a word, or like no name, stands', () => {
    assert.equal(nameReadAsCode('E-042 311', 'E-042', names), null);
    assert.equal(nameReadAsCode('ALM 12 34', 'ALM 12', names), null);
    assert.equal(nameReadAsCode('A05 8', 'A05', names), null);
    assert.equal(nameReadAsCode('F850 OVERLOAD', 'F850', names), null);
    assert.equal(nameReadAsCode('F850', 'F850', names), null);
    assert.equal(nameReadAsCode('E850 311', 'E850', names), null);
    assert.equal(nameReadAsCode('F85 311', 'F85', names), null);
    // Not the line's first word: a code after a word is left to the catalog.
    assert.equal(nameReadAsCode('ALARM F850 311', 'F850', names), null);
  });
});

describe('the analyzer reports neither as an alarm', () => {
  type CodesOf = (lines: OcrLine[]) => string[];
  const codesOf = (a: VisionAnalyzer): CodesOf => (lines) => (a as unknown as { alarmCodesOf: CodesOf }).alarmCodesOf(lines);
  const ocr = (text: string, raw: string, kind: string, box: OcrLine['box'], code?: string): OcrLine =>
    ({ text, raw, confidence: 0.6, box, view: 'enhanced', reading: { kind, raw, text, ...(code ? { code } : {}) } }) as unknown as OcrLine;
  let plain: VisionAnalyzer, withCatalog: VisionAnalyzer;
  before(async () => {
    plain = await VisionAnalyzer.create({ ocr: { enabled: false, minConfidence: 0.5 } });
    withCatalog = await VisionAnalyzer.create({ ocr: { enabled: false, minConfidence: 0.5 }, alarmPatterns: ['/F-?\\d{2,3}/', '/E-\\d{3}/'] });
  });
  after(async () => { await plain?.close(); await withCatalog?.close(); });

  test('a value after a word starting a status name, its code made of digits', () => {
    const name = ocr('ruI', 'ruI', 'text', { x: 300, y: 200, width: 120, height: 70 });
    const value = ocr('U-2292', '5.2292', 'alarm', { x: 440, y: 196, width: 300, height: 76 }, 'U-2292');
    assert.deepEqual(codesOf(plain)([name, value]), []);
    assert.deepEqual(codesOf(plain)([ocr('OIL', 'OIL', 'text', name.box), value]), ['U-2292'], 'after a word that starts no status name');
    // The name's box read under the confidence floor still counts beside the value (every line read is given).
    type AllOf = (lines: OcrLine[], all: OcrLine[]) => string[];
    const allOf = (plain as unknown as { alarmCodesOf: AllOf }).alarmCodesOf.bind(plain);
    assert.deepEqual(allOf([value], [{ ...name, confidence: 0.3 }, value]), []);
    assert.deepEqual(allOf([value], [value]), ['U-2292']);
  });

  test('a status name read as a catalog code before its value', () => {
    assert.deepEqual(codesOf(withCatalog)([ocr('F850 311', 'F850 311', 'text', { x: 100, y: 100, width: 400, height: 60 })]), []);
    assert.deepEqual(codesOf(withCatalog)([ocr('F850 OIL', 'F850 OIL', 'text', { x: 100, y: 100, width: 400, height: 60 })]), ['F850']);
  });
});

// A status name read as digits with a catalog code glued behind them (alarm-codes.ts digitsGlued): SPEED 2504 on a
// seven-segment LED (scripts/gen-panels.ts seed 380 frame 44, a whole 640×360 frame) read 58E62 2504, a text line in
// which the catalog's /E\d{2,3}/ found E62, and reported it as an alarm.
describe('a catalog code glued behind digits that are a misread word', () => {
  test('is no alarm on the whole frame', { timeout: 120_000 }, async () => {
    const frame = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/panels-seven-led-speed2504-read-58e62.jpg');
    const analyzer = await VisionAnalyzer.create({ alarmPatterns: ['/E-\\d{3}/', '/E\\d{2,3}/', '/AL\\d{3,4}/', '/F-?\\d{2,3}/'], ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
    try {
      const v = await analyzer.analyze(await decodeImageFile(frame));
      assert.ok(v.text.some((t) => /2504/.test(t)), `the status line is read: ${JSON.stringify(v.text)}`);
      assert.deepEqual(v.alarmCodes, [], JSON.stringify(v.text));
    } finally {
      await analyzer.close();
    }
  });
});
