// Letters a segment display draws exactly as digits (glyph-twins.ts): F05 on a
// segment display read FOS by the recogniser (the 0 as O, the 5 as S) is the
// code F05, with and without a catalog; the frames reported no alarm before
// (FOS was left a word, or made the status name POS). The fixtures are frames
// of scripts/gen-panels-drawn.ts (segments drawn as polygons): a whole 960x540
// camera frame with a fourteen-segment display, and the display of a
// seven-segment VFD cut from a 1280x720 frame.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { glyphTwins, twinCode } from '../../src/vision/ocr/glyph-twins.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'frames');

describe('glyph twins', () => {
  const grammar = new LineGrammar();
  const isCode = (t: string): boolean => !!grammar.alarmCode(t);

  test('only letters drawn with the very segments of a digit are its twins', () => {
    assert.ok(glyphTwins('O', '0') && glyphTwins('S', '5') && glyphTwins('Z', '2'));
    // In the segment cells' reading, a digit some displays draw as the cells name the letter: a 6 without its top bar
    // is the small b (B on seven segments). Not in the recogniser's: its B is an 8 or a 3.
    assert.ok(glyphTwins('B', '6', true) && !glyphTwins('B', '6'));
    // An upright is an I or a 1 in any font: no twin that tells a display's digit.
    assert.ok(!glyphTwins('I', '1'));
    // One segment apart is a look-alike, not a twin; a small o is drawn with four segments, not six.
    assert.ok(!glyphTwins('E', '6') && !glyphTwins('B', '8') && !glyphTwins('A', '8') && !glyphTwins('o', '0') && !glyphTwins('5', 'S'));
  });

  test('a one-word reading is a code when its twin letters after a usual prefix are taken for digits', () => {
    assert.deepEqual(twinCode('FOS', isCode), { text: 'F05', twins: 2 });
    assert.deepEqual(twinCode('FSS', isCode), { text: 'F55', twins: 2 });
    assert.deepEqual(twinCode('E-SO', isCode), { text: 'E-50', twins: 2 });
    assert.deepEqual(twinCode('AL1SO', isCode), { text: 'AL150', twins: 2 });
    assert.deepEqual(twinCode('FBB', isCode, true), { text: 'F66', twins: 2 });
    assert.equal(twinCode('HOB', isCode), null, 'H03 read HOB by the recogniser is no code H06');
  });

  test('after a dash a lone upright is the number\'s 1: F-SI is F-51 (two twins, more than the grammar changes in four characters)', () => {
    assert.deepEqual(twinCode('F-SI', isCode), { text: 'F-51', twins: 2 });
    assert.deepEqual(twinCode('E-I5', isCode), { text: 'E-15', twins: 1 });
    // Not without the dash where the I comes first after the prefix (a word's I), and not a lone 1 (too few digits).
    assert.equal(twinCode('FIS', isCode), null);
    assert.equal(twinCode('HII', isCode), null);
    assert.equal(twinCode('E-I', isCode), null);
  });

  test('after a digit of the number a lone upright is a 1 too: FOI is F01, FSI is F51 (a dark LCD F01 read FOI by recogniser and cells)', () => {
    assert.deepEqual(twinCode('FOI', isCode), { text: 'F01', twins: 2 });
    assert.deepEqual(twinCode('FSI', isCode), { text: 'F51', twins: 2 });
    assert.deepEqual(twinCode('E2I', isCode), { text: 'E21', twins: 1 });
  });

  test('the space a display leaves after its prefix is kept: FLT SS is FLT 55 (the segment cells of a drawn FLT 55)', () => {
    assert.deepEqual(twinCode('FLT SS', isCode), { text: 'FLT 55', twins: 2 });
    assert.deepEqual(twinCode('ALM SO', isCode), { text: 'ALM 50', twins: 2 });
    // Only there: a space inside the number, or two spaces, part words.
    assert.equal(twinCode('FLT S S', isCode), null);
    assert.equal(twinCode('FL TSS', isCode), null);
    assert.equal(twinCode('F LT SS', isCode), null);
  });

  test('no code where a letter after the prefix has no twin, where a space parts the words, or for a lone digit', () => {
    assert.equal(twinCode('FLTOAS', isCode), null);
    assert.equal(twinCode('HI 75', isCode), null);
    assert.equal(twinCode('HI', isCode), null);
    assert.equal(twinCode('HII', isCode), null, 'a label HI whose I the cells split in two is no code H11');
    assert.equal(twinCode('OIL', isCode), null);
    assert.equal(twinCode('F05', isCode), null, 'no twin: read as it is elsewhere');
    // Without a catalog only usual prefixes make codes (RUS is no code R05; ZOO has no letter prefix left).
    assert.equal(twinCode('RUS', isCode), null);
  });
});

describe('frames of segment displays showing a code with 0 and 5', { timeout: 180_000 }, () => {
  let plain: VisionAnalyzer;
  let withCatalog: VisionAnalyzer;
  before(async () => {
    plain = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5 } });
    withCatalog = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5 }, alarmPatterns: ['/F\\d{2,3}/', '/E-\\d{3}/'] });
  });
  after(async () => {
    await plain?.close();
    await withCatalog?.close();
  });

  // The last: a whole 960x540-class frame of this branch's own set i11ad lettersC (bench/_gen-sets.ts letter-codes, seed 7717,
  // frame 57), F66 on a dim slanted LED whose top bars blur away: the segment cells read FBB.
  for (const [file, code] of [['drawn-fourteen-segment-f05-frame.jpg', 'F05'], ['drawn-seven-segment-f05-vfd.jpg', 'F05'], ['drawn-seven-segment-f66-faint-tops.jpg', 'F66']]) {
    test(`${file}: ${code} read with letters for its digits is the alarm ${code}`, async () => {
      const frame = await decodeImageFile(join(FIXTURES, file!));
      const a = await plain.analyze(frame);
      const lines = JSON.stringify((a.detail.ocr as Array<{ text: string; raw?: string }>).map((o) => [o.text, o.raw]));
      assert.deepEqual(a.alarmCodes, [code], lines);
      assert.deepEqual((await withCatalog.analyze(frame)).alarmCodes, [code]);
    });
  }
});
