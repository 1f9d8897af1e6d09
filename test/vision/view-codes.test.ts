// Two views of one line that read different alarm codes (view-codes.ts, weighed in view-retry.ts). The crops are
// line boxes of this stop's development sets as the reader cuts them, read again on their enhanced view through the
// real recogniser, segment reader and grammar:
// - flt05-sixteen-glare-enhanced-f1105.png: scripts/gen-panels-drawn.ts seed 187 frame 56, FLT 05 on a slanted
//   sixteen-segment LCD washed by glare; the cells read it FLT 05 at 0.710, the enhanced view f11 05 at 0.743,
//   which was reported F1105.
// - flt00-fourteen-glare-l100-a100.png: the same generator's frame 173, FLT 00 on a blue fourteen-segment LED under a
//   glare spot and motion blur; the plain view reads L100 (0.673), the enhanced view AI 00 (0.716), reported A100.
// - pres86-sixteen-enhanced-p586.png: the same generator's seed 201 frame 79, PRES 8.6 on a sixteen-segment display;
//   the plain view reads PIE586 (the grammar's PRES 86), the enhanced view P586 (0.965), reported as the alarm P586.
// - speed1442-fourteen-ghost-enhanced-l8442.png: the same generator's seed 203 frame 46, the value box of SPEED 1442 on
//   a red fourteen-segment LED with ghost segments and glare (the D of SPEED inside the box); the cells read D 1442
//   (text), the enhanced view D8.8442, which the grammar made the alarm L8442.
// - alm26-fourteen-ghost-enhanced-run826.png: the same generator's seed 237 frame 44, ALM 26 on a green fourteen-segment
//   LED with ghost segments (an unlit cell between ALM and 26); the cells read ALM 26 (0.89) over the plain view's
//   ROM826, the enhanced view RUM826 (0.88), which the grammar bent into RUN 826 (0.65): reported as that status.
// - alm88-fourteen-white-enhanced-aln88.png: the same generator's seed 341 frame 14, ALM 88 on an over-exposed white
//   fourteen-segment LED with ghost segments; the plain view reads ALM 88 as it is (0.85), the enhanced view ALN 88
//   (0.95), which the grammar made the code AL4 88 at 0.45: reported (and then dropped under the confidence floor).
// - e708-seven-grey-enhanced-e703.png: the same generator's seed 341 frame 33, E708 on a grey seven-segment LCD under a
//   glare spot; both views read F108 (0.769 plain, 0.636 enhanced); the plain view's 8 was merged over the cells' E703
//   (E708 at 0.705), the enhanced view's lattice lent it less (E703 at 0.821), which was reported.
// - flt82-seven-glare-enhanced-flt02.png: the same generator's seed 357 frame 16, FLT 82 on a dim bevelled seven-segment
//   LED under a glare spot and blur; the cells read FLT 82 (0.86) over the plain view's FLt 02 (0.78), the enhanced
//   view FLE02 (0.92, the 8's middle bar put out), made FLT 02 at 0.73, which was reported.
// - set644-dots-streak-read-ri-644.png: the same generator's seed 367 frame 11, the status SET 644 on a dim dot-matrix LED
//   under a glare streak; the plain view reads 日644 (SET as one glyph), which the grammar made the alarm E644, the
//   enhanced view SE644, no code.
// And one whole camera frame (fixtures/frames, through the analyzer: cut out, its line reads otherwise):
// - drawn-fourteen-blur-flt01-enhanced-cells-fl-01.png: the same generator's seed 377 frame 51, FLT 01 on a dim
//   fourteen-segment LED under motion blur and a glare spot; the plain view reads FLT 01 as it is (0.64), the enhanced
//   view FLT O! (0.77), its cells FL- O1 (the T's blurred stem counted for nothing, the cell read as seven segments):
//   reported FL-01.
// - panels-fourteen-inverted-glare-f79-enhanced-cells-l79.jpg: scripts/gen-panels.ts seed 384 frame 21, F-79 on an
//   inverted fourteen-segment LCD (DSEG14 Modern Mini Light) under glare, tilted, as JPEG; the plain view reads F99 at
//   0.77 (made F-79 by the cells' dark segments), the enhanced view F..99 at 0.76, whose cells, the F's top bar washed
//   out, made L-79 at 0.52: two codes, neither reported.
// - panels-fourteen-light-lcd-h19-enhanced-reads-h9.jpg: scripts/gen-panels.ts seed 386 frame 33, H19 on a tilted grey
//   fourteen-segment LCD in a light font (DSEG14 Modern Mini Light), JPEG; the plain view reads H19 at 0.70, the
//   enhanced view, its thin 1 run into the 9, H9 at 1.00, which took the line by being surer: H9 reported.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { cellsChangeReadLetter, cellsDropReadLetter, codeLettersShort, codeOf, digitsReadAlike, glyphLost, otherCodeVerdict } from '../../src/vision/ocr/view-codes.js';
import { retryOnOtherViews } from '../../src/vision/ocr/view-retry.js';
import { codesWithAndWithoutCatalog, realReader, recogniseCrops } from '../helpers/real-readers.js';

const frame = (name: string): string => join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames', name);
const crop = (name: string): string => join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops', name);

describe('another view\'s code against the first view\'s', { timeout: 180_000 }, () => {
  const r = realReader();
  const grammar = new LineGrammar();
  /** The line read as the reader reads it: first on its plain crop, then again on its other views. */
  const read = async (name: string, g = grammar) => {
    const img = frameToRgb(await decodeImageFile(crop(name)));
    const [rec] = await recogniseCrops(r.reader, [img]);
    const dict = r.reader.dictionary;
    const interpret = (_k: number, x: typeof rec) => interpretLine(img, x!, dict, { grammar: g, segmentCells: true });
    const first = interpret(0, rec);
    const line = { crop: img, first: rec!, view: 'original' as const, dotMatrix: false, dots: null };
    const interpreted = await retryOnOtherViews([line], { dict, grammar: g, retryBelow: 0.9, segmentCells: true, recognise: (c) => recogniseCrops(r.reader, c), interpret });
    return { first, line, final: interpreted.get(0) ?? interpret(0, line.first) };
  };

  test('a code the cells decided stays against one a few hundredths surer', async () => {
    const { first, line, final } = await read('flt05-sixteen-glare-enhanced-f1105.png');
    assert.ok(first.cells, JSON.stringify(first));
    assert.equal(codeOf(first), 'FLT05', JSON.stringify(first));
    assert.equal(line.view, 'original');
    assert.equal(codeOf(final), 'FLT05', JSON.stringify(final));
  });

  test('two codes, neither decided by the cells nor clearly surer: neither is reported', async () => {
    const { first, final } = await read('flt00-fourteen-glare-l100-a100.png');
    assert.equal(first.cells, undefined);
    assert.equal(first.reading?.kind, 'alarm', JSON.stringify(first));
    assert.equal(codeOf(final), null, JSON.stringify(final));
    // The line's text still reads as a code: it is marked so the analyzer takes none from it.
    assert.ok(final.codeInDoubt, JSON.stringify(final));
  });

  test('a code that is a named status with letters lost does not replace the status', async () => {
    const { first, final } = await read('pres86-sixteen-enhanced-p586.png');
    assert.equal(first.reading?.kind, 'status', JSON.stringify(first));
    assert.equal(first.reading?.name, 'PRES');
    assert.equal(codeOf(final), null, JSON.stringify(final));
    assert.equal(final.reading?.name, 'PRES', JSON.stringify(final));
  });

  test('a code whose digits are not the digits the cells decided does not replace their reading', async () => {
    const { first, final } = await read('speed1442-fourteen-ghost-enhanced-l8442.png');
    assert.ok(first.cells, JSON.stringify(first));
    assert.equal(first.cells!.replace(/\D/g, ''), '1442');
    assert.equal(codeOf(first), null, JSON.stringify(first));
    assert.equal(codeOf(final), null, JSON.stringify(final));
  });

  test('a status the other view\'s grammar bent, less sure than the cells\' code, does not take the line', async () => {
    const { first, line, final } = await read('alm26-fourteen-ghost-enhanced-run826.png');
    assert.equal(first.cells, 'ALM 26', JSON.stringify(first));
    assert.equal(codeOf(first), 'ALM26', JSON.stringify(first));
    assert.equal(line.view, 'original');
    assert.equal(codeOf(final), 'ALM26', JSON.stringify(final));
  });

  test('a code the other view\'s grammar bent, less sure as made than a code read as it is, does not replace it', async () => {
    for (const g of [grammar, new LineGrammar({ alarmPatterns: ['/ALM \\d{2}/', '/AL\\d{3,4}/'] })]) {
      const { first, line, final } = await read('alm88-fourteen-white-enhanced-aln88.png', g);
      assert.equal(codeOf(first), 'ALM88', JSON.stringify(first));
      assert.equal(first.reading?.changed ?? 0, 0);
      assert.equal(line.view, 'original');
      assert.equal(codeOf(final), 'ALM88', JSON.stringify(final));
    }
  });

  test('another code made of the same characters does not replace a code the cells decided', async () => {
    const { first, line, final } = await read('e708-seven-grey-enhanced-e703.png');
    assert.ok(first.cells, JSON.stringify(first));
    assert.equal(codeOf(first), 'E708', JSON.stringify(first));
    assert.equal(line.view, 'original');
    assert.equal(codeOf(final), 'E708', JSON.stringify(final));
  });

  test('a surer view\'s code with other digits than the cells\' code, less sure as made, goes to the third views', async () => {
    const { first, final } = await read('flt82-seven-glare-enhanced-flt02.png');
    assert.equal(first.cells, 'FLT 82', JSON.stringify(first));
    assert.equal(codeOf(first), 'FLT82', JSON.stringify(first));
    assert.equal(codeOf(final), 'FLT82', JSON.stringify(final));
  });

  test('a code one view made of fewer letters than another view reads before its number, no code there, is in doubt', async () => {
    const { first, final } = await read('set644-dots-streak-read-ri-644.png');
    assert.equal(codeOf(first), 'E644', JSON.stringify(first));
    assert.equal(codeOf(final), null, JSON.stringify(final));
    assert.notEqual(final.codeInDoubt, undefined, 'marked so the analyzer takes no code from its text');
    const line = (text: string, kind: 'alarm' | 'text') => ({ text, confidence: 0.7, segment: 0, reading: { kind, text, raw: text, confidence: 0.7, ...(kind === 'alarm' ? { code: text } : {}) } });
    assert.ok(codeLettersShort(line('SE644', 'text'), line('E644', 'alarm')));
    assert.ok(!codeLettersShort(line('SE645', 'text'), line('E644', 'alarm')), 'another number');
    assert.ok(!codeLettersShort(line('SA644', 'text'), line('E644', 'alarm')), 'not the code\'s letters');
    assert.ok(!codeLettersShort(line('ERR644', 'alarm'), line('E644', 'alarm')), 'the other view reads a code: weighed as two codes');
  });

  test('a code whose cells put out a letter both views\' recogniser read does not replace the code read as it is', async () => {
    // Without a catalog the enhanced view's cells made FL-01 of it; with the catalog's patterns (no FL-01 among them)
    // its FLT O! was no code, and replaced the plain view's FLT 01 by being 0.13 surer (digitsReadAlike below).
    const catalog = ['/FLT \\d{2}/', '/F-?\\d{2,3}/', '/E\\d{2,3}/', '/AL\\d{3,4}/'];
    assert.deepEqual(await codesWithAndWithoutCatalog(frame('drawn-fourteen-blur-flt01-enhanced-cells-fl-01.png'), catalog), [['FLT01'], ['FLT01']]);
    const read1 = (text: string, raw: string, cells?: string) => ({ text, raw, confidence: 0.76, segment: 0.5, ...(cells ? { cells } : {}),
      reading: { kind: 'alarm' as const, text, raw, code: text, confidence: 0.76 } });
    const plain = read1('FLT 01', 'FLT 01');
    assert.ok(cellsDropReadLetter('FL01', read1('FL-01', 'FLT O!', 'FL- O1'), plain));
    assert.ok(!cellsDropReadLetter('FL01', read1('FL-01', 'FL- 01', 'FL- O1'), plain), 'the other view\'s recogniser read no T either');
    assert.ok(!cellsDropReadLetter('FL01', read1('FL-01', 'FLT O!'), plain), 'no cells decided the other view');
    assert.ok(!cellsDropReadLetter('FL02', read1('FL-02', 'FLT O2', 'FL- O2'), plain), 'another number');
    assert.ok(!cellsDropReadLetter('FL01', read1('FL-01', 'FLT O!', 'FL- O1'), read1('FLT 01', 'FLT 01', 'FLT 01')), 'the first decided by its cells');
  });

  test('a code whose cells changed a letter both views\' recogniser read, less sure as made, does not replace the code', async () => {
    // Without a catalog. With the catalog's patterns the cells decide every view (F-79 at 0.44 to 0.46), under the
    // reporting floor: no code either way there, which this rule does not touch.
    const [without, withCatalog] = await codesWithAndWithoutCatalog(frame('panels-fourteen-inverted-glare-f79-enhanced-cells-l79.jpg'), ['/F-?\\d{2,3}/', '/FLT \\d{2}/']);
    assert.deepEqual(without, ['F79']);
    assert.ok(!withCatalog.includes('L79'), 'no wrong code with the catalog either');
    const as = (text: string, raw: string, confidence: number, cells?: string) => ({ text, raw, confidence, segment: 1, ...(cells ? { cells } : {}),
      reading: { kind: 'alarm' as const, text, raw, code: text, confidence } });
    const plain = as('F-79', 'F99', 0.77);
    assert.ok(cellsChangeReadLetter('L79', as('L-79', 'F.99', 0.52, 'L-79'), plain));
    assert.equal(otherCodeVerdict(as('L-79', 'F.99', 0.52, 'L-79'), plain, 0.76, 0.77), 'keep');
    assert.ok(!cellsChangeReadLetter('L79', as('L-79', 'L.99', 0.52, 'L-79'), plain), 'the other view\'s recogniser read the L');
    assert.ok(!cellsChangeReadLetter('L79', as('L-79', 'F.99', 0.8, 'L-79'), plain), 'the cells\' code surer than the first');
    assert.ok(!cellsChangeReadLetter('L79', as('L-79', 'F.99', 0.52), plain), 'no cells decided the other view');
    assert.ok(!cellsChangeReadLetter('L78', as('L-78', 'F.98', 0.52, 'L-78'), plain), 'another number');
    assert.ok(!cellsChangeReadLetter('L79', as('L-79', 'F.99', 0.52, 'L-79'), as('F-79', 'F99', 0.77, 'F-79')), 'the first decided by its cells');
    assert.ok(!cellsChangeReadLetter('L79', as('L-79', 'F.99', 0.52, 'L-79'), as('E-79', 'F99', 0.77)), 'the first\'s letter not the one read');
  });

  test('a code that is the first one with a glyph lost does not take the line by being surer: the third views decide', async () => {
    const [without, withCatalog] = await codesWithAndWithoutCatalog(frame('panels-fourteen-light-lcd-h19-enhanced-reads-h9.jpg'), ['/H\\d{2}/', '/E-?\\d{2,3}/']);
    assert.deepEqual(without, ['H19']);
    assert.deepEqual(withCatalog, ['H19']);
    assert.ok(glyphLost('H9', 'H19'));
    assert.ok(glyphLost('E50', 'E501'));
    assert.ok(!glyphLost('H18', 'H19'), 'as many characters');
    assert.ok(!glyphLost('H8', 'H19'), 'one lost and one changed');
    assert.ok(!glyphLost('H1', 'H1'), 'the same code');
    const code = (text: string, confidence: number) => ({ text, confidence, segment: 1, reading: { kind: 'alarm' as const, text, raw: text, code: text, confidence } });
    assert.equal(otherCodeVerdict(code('H9', 1), code('H19', 0.7), 1, 0.7), 'neither');
    assert.equal(otherCodeVerdict(code('H18', 1), code('H19', 0.7), 1, 0.7), 'take', 'another code, clearly surer, still taken');
    assert.equal(otherCodeVerdict(code('H119', 1), code('H19', 0.7), 1, 0.7), 'take', 'a glyph more is not one lost');
  });

  test('a reading that is no code, the code\'s digits read as characters drawn like them, does not replace the code', () => {
    const asIs = (text: string) => ({ text, confidence: 0.64, segment: 0.2, reading: { kind: 'alarm' as const, text, raw: text, code: text, confidence: 0.64 } });
    const text = (t: string) => ({ text: t, confidence: 0.77, segment: 0.2, reading: { kind: 'text' as const, text: t, raw: t, confidence: 0.77 } });
    assert.ok(digitsReadAlike(text('FLT O!'), asIs('FLT 01')));
    assert.equal(otherCodeVerdict(text('FLT O!'), asIs('FLT 01'), 0.77, 0.64), 'keep');
    assert.ok(digitsReadAlike(text('E-2B5'), asIs('E-285')));
    assert.ok(!digitsReadAlike(text('FLT 01'), asIs('FLT 01')), 'nothing read otherwise');
    assert.ok(!digitsReadAlike(text('FLT 0!!'), asIs('FLT 01')), 'another length');
    assert.ok(!digitsReadAlike(text('FLI O!'), asIs('FLT 01')), 'a letter read otherwise');
    assert.ok(!digitsReadAlike(text('FLT 0A'), asIs('FLT 01')), 'a character no 1 is drawn like');
    assert.ok(!digitsReadAlike(text('FLT O!'), { ...asIs('FLT 01'), reading: { ...asIs('FLT 01').reading, changed: 1 } }), 'the code made by the grammar');
    const status = { text: 'RUN 01', confidence: 0.77, segment: 0, reading: { kind: 'status' as const, text: 'RUN 01', raw: 'RUN O!', name: 'RUN', value: '01', confidence: 0.77 } };
    assert.ok(!digitsReadAlike(status, asIs('RUN 01')), 'a status read');
    assert.equal(otherCodeVerdict(text('FLT OA'), asIs('FLT 01'), 0.77, 0.64), 'take', 'clearly surer, no look-alike');
  });

  test('a clearly surer view, or one reading the same code, is taken', () => {
    const code = (text: string, cells?: string) => ({ text, confidence: 0.7, segment: 1, ...(cells ? { cells } : {}), reading: { kind: 'alarm' as const, text, raw: text, code: text, confidence: 0.7 } });
    assert.equal(otherCodeVerdict(code('F1105'), code('FLT 05', 'FLI 05'), 0.81, 0.71), 'take');
    assert.equal(otherCodeVerdict(code('FLT05'), code('FLT 05', 'FLI 05'), 0.72, 0.71), 'take');
    assert.equal(otherCodeVerdict(code('F1105'), code('FLT 05', 'FLI 05'), 0.74, 0.71), 'keep');
    const status = (raw: string, name: string, value: string) => ({ text: `${name} ${value}`, confidence: 0.4, segment: 0, reading: { kind: 'status' as const, text: `${name} ${value}`, raw, name, value, confidence: 0.4 } });
    assert.equal(otherCodeVerdict(code('P586'), status('PIE586', 'PRES', '86'), 0.96, 0.86), 'keep');
    // Not the name's letters in order (another code altogether), or no letters lost: the other view is taken.
    assert.equal(otherCodeVerdict(code('F586'), status('PIE586', 'PRES', '86'), 0.96, 0.86), 'take');
    assert.equal(otherCodeVerdict(code('PI586'), status('PI586', 'PV', '586'), 0.96, 0.86), 'take');
    // A reading the cells decided, no code: another view's code with other digits is refused, with the same digits
    // (or more or fewer of them: the cells may have lost one) it is taken.
    const byCells = (cells: string) => ({ text: cells, confidence: 0.96, segment: 1, cells, reading: { kind: 'text' as const, text: cells, raw: cells, confidence: 0.96 } });
    assert.equal(otherCodeVerdict(code('L8442'), byCells('D 1442'), 0.76, 0.82), 'keep');
    assert.equal(otherCodeVerdict(code('L1442'), byCells('D 1442'), 0.76, 0.82), 'take');
    assert.equal(otherCodeVerdict(code('E442'), byCells('D 1442'), 0.76, 0.82), 'take');
    // A code the cells decided against a status: one the grammar changed and less sure than the code stays out; one
    // read as it is, or surer as made, is taken.
    const bent = (changed: number, confidence: number) => ({ text: 'RUN 826', confidence, segment: 1, reading: { kind: 'status' as const, text: 'RUN 826', raw: 'RUM826', name: 'RUN', value: '826', confidence, changed } });
    const cellsCode = { ...code('ALM 26', 'ALM 26'), confidence: 0.89 };
    assert.equal(otherCodeVerdict(bent(1, 0.65), cellsCode, 0.88, 0.75), 'keep');
    assert.equal(otherCodeVerdict(bent(0, 0.88), cellsCode, 0.88, 0.75), 'take');
    assert.equal(otherCodeVerdict(bent(1, 0.92), cellsCode, 0.97, 0.75), 'take');
    assert.equal(otherCodeVerdict(bent(1, 0.65), code('ALM 26'), 0.88, 0.75), 'take', 'a code the cells did not decide');
    // A code read as it is against a code the grammar made of the other view's characters: kept where the made code is
    // less sure; taken where it is surer as made, or where the first code was made too.
    const made = (text: string, changed: number, confidence: number) => ({ text, confidence, segment: 1, reading: { kind: 'alarm' as const, text, raw: text, code: text, confidence, changed } });
    assert.equal(otherCodeVerdict(made('AL4 88', 1, 0.45), made('ALM 88', 0, 0.85), 0.95, 0.85), 'keep');
    assert.equal(otherCodeVerdict(made('AL4 88', 1, 0.9), made('ALM 88', 0, 0.85), 0.95, 0.85), 'take');
    assert.equal(otherCodeVerdict(made('AL4 88', 1, 0.45), made('ALM 88', 1, 0.85), 0.95, 0.85), 'take');
    assert.equal(otherCodeVerdict(made('AL4 88', 0, 0.95), made('ALM 88', 0, 0.85), 0.95, 0.85), 'take');
  });
});
