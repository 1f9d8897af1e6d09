// Which reader speaks for a line (line-arbitration.ts): the segment reader
// where the recogniser slips on a segment display, the recogniser where the
// segment glyphs merely happen to fit a dot-matrix or printed font, or where
// the segment reader's cells spell nothing the grammar takes. Hand-made
// readings for the rule, then display lines rendered with ImageMagick through
// the real recogniser.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { decodeImageFile, frameToRgb, type RgbImage } from '../../src/vision/image.js';
import { cellsNameGuessedLetters, glyphCutInTwo, interpretLine, readsDarkSegments, recogniserStands, segmentsSpeak } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { tempDir } from '../helpers/tmp.js';
import { codesWithAndWithoutCatalog, realReader, recogniseCrops } from '../helpers/real-readers.js';
import { readPpm } from '../helpers/ppm.js';

const plain = new LineGrammar();
const catalog = new LineGrammar({ alarmPatterns: ['/E\\d{2,3}/', '/FLT \\d{2}/', '/ERR[- ]?\\d{2,3}/', '/H\\d{2}/'] });

describe('arbitration rule', () => {
  test('a sure, grammatical reading with letters keeps the line (a dot-matrix FLT 16 is not the segments\' FLT 18)', () => {
    for (const g of [plain, catalog]) {
      assert.equal(recogniserStands(g.classifyText('FLT 16', 0.99), g.classifyText('FLT 18', 0.8), 0.99), true);
      assert.equal(recogniserStands(g.classifyText('E35', 0.995), g.classifyText('E85', 0.86), 0.995), true);
    }
    // ...but not where the cells hold a character more: the dash of E-552 the recogniser dropped.
    assert.equal(recogniserStands(plain.classifyText('E552', 0.99), plain.classifyText('E-552', 0.9), 0.99), false);
    // ...nor where the recogniser's character has every segment of the cells' one and more: ghost segments read lit
    // on a real segment display (F-90 and FLT96 for the cells' F-70 and FLT 76), however sure.
    assert.equal(recogniserStands(plain.classifyText('F-90', 0.99), plain.classifyText('F-70', 0.78), 0.99, 7), false);
    assert.equal(recogniserStands(plain.classifyText('FLT96', 0.98), plain.classifyText('FLT 76', 0.99), 0.98, 14), false);
    // A named status too.
    assert.equal(recogniserStands(plain.classifyText('RUN 1450', 0.98), plain.classifyText('RUN 1458', 0.8), 0.98), true);
  });

  test('cells that spell neither a code nor a status do not replace a sure recogniser\'s words', () => {
    // A bold printed legend whose heavy strokes the cells happen to fit (drawn114 frame 83).
    assert.equal(plain.classifyText('TIRRR S U AIR G6', 0.66).kind, 'text');
    assert.equal(recogniserStands(plain.classifyText('HOT SURFACE', 0.989), plain.classifyText('TIRRR S U AIR G6', 0.66), 0.989), true);
    // An unsure recogniser's words still give way.
    assert.equal(recogniserStands(plain.classifyText('HOT SURFACE', 0.8), plain.classifyText('TIRRR S U AIR G6', 0.66), 0.8), false);
  });

  test('the segment reader keeps the line where the recogniser slips the usual way', () => {
    for (const g of [plain, catalog]) {
      // E read as 6: a bare number, however sure.
      assert.equal(recogniserStands(g.classifyText('641', 0.999), g.classifyText('E41', 0.8), 0.999), false);
      // A reading the grammar takes, but unsure (lower-case r, a dash for an R).
      assert.equal(recogniserStands(g.classifyText('Er-08', 0.7), g.classifyText('ERR 08', 0.7), 0.77), false);
    }
    // Nothing the grammar takes as it stands (8L7078 needs the constraint to become AL7078).
    assert.equal(recogniserStands(plain.classifyText('8L7078', 0.97), plain.classifyText('AL7078', 0.95), 0.97), false);
  });

  test('cells that spell nothing the grammar takes lose to a reading it takes', () => {
    // A fourteen-segment H cut into two 1s and a space: text, while the recogniser's H63 is a code.
    assert.equal(plain.classifyText('1 63').kind, 'text');
    assert.equal(recogniserStands(plain.classifyText('H63', 0.9), plain.classifyText('1 63', 0.82), 0.9), true);
    // ...but not the other way round: an ungrammatical recogniser reading never beats a code.
    assert.equal(recogniserStands(plain.classifyText('1 63', 0.99), plain.classifyText('H63', 0.82), 0.99), false);
  });
});

test('dark segments read lit: the recogniser\'s character a segment superset of the cells\' one', () => {
  assert.equal(readsDarkSegments('F-90', 'F-70', 7), true);
  assert.equal(readsDarkSegments('8L034', 'AL034', 7), true);
  assert.equal(readsDarkSegments('FLT96', 'FLT 76', 14), true);
  // The cells see more than the recogniser: a font's strokes crossing segment positions (dot matrix), not ghosts.
  assert.equal(readsDarkSegments('E35', 'E85', 7), false);
  assert.equal(readsDarkSegments('FLT 16', 'FLT 18', 7), false);
  // Equal readings, unrelated characters, different lengths: no.
  assert.equal(readsDarkSegments('E35', 'E35', 7), false);
  assert.equal(readsDarkSegments('E24', 'E44', 7), false);
  assert.equal(readsDarkSegments('E552', 'E-552', 14), false);
});

test('a cell known only by its narrow shape finds no segment dark: a sure recogniser\'s 4 over the cells\' 1 stands', () => {
  // E-694 on a blurred terminal font: the 4's diagonal faded, its upright left narrow ink the cell reader took for a 1.
  const shaped = [false, false, false, false, true];
  assert.equal(readsDarkSegments('E-694', 'E-691', 7, shaped), false);
  assert.equal(readsDarkSegments('E-694', 'E-691', 7), true);
  // A sampled cell still tells: its 7 with the 9's f and g dark is a ghost read lit.
  assert.equal(readsDarkSegments('F-90', 'F-70', 7, [false, false, false, false]), true);
  const g = new LineGrammar();
  assert.equal(recogniserStands(g.classifyText('E-694', 0.98), g.classifyText('E-691', 0.75), 0.98, 7, shaped), true);
  assert.equal(recogniserStands(g.classifyText('E-694', 0.98), g.classifyText('E-691', 0.75), 0.98, 7), false);
});

describe('when the segment reader speaks', { timeout: 120_000 }, () => {
  const r = realReader();
  const seg = (text: string, fit: number, gaps = 0, unexplained = 0) => ({ text, fit, gaps, unexplained });
  test('a clear reading (glyphs fit, no cell lost) speaks unless the recogniser\'s stands', () => {
    assert.equal(segmentsSpeak(seg('E655', 0.63), 4, plain.classifyText('E655', 0.88), plain.classifyText('2655', 0.99), 0.99), true);
    assert.equal(segmentsSpeak(seg('FLI 18', 0.64, 1), 4, plain.classifyText('FLT 18', 0.8), plain.classifyText('FLT 16', 0.99), 0.99), false);
    // A gap where the recogniser saw more characters: a cell may be lost to glare; its number is kept.
    assert.equal(segmentsSpeak(seg('1 31', 0.6, 1), 4, plain.classifyText('1 31', 0.8), plain.classifyText('2031', 0.9), 0.9), false);
  });

  test('a less clear reading speaks only for a code spelled as it is, where the recogniser read no code or named status', () => {
    // Ghost segments read as 888888 and a gap: the cells spell ERR 81 unchanged.
    assert.equal(segmentsSpeak(seg('ERR 81', 0.55, 1), 6, plain.classifyText('ERR 81', 0.79), plain.classifyText('888888', 0.67), 0.67), true);
    // Glare: fit 0.22, the recogniser's bare 80565.
    assert.equal(segmentsSpeak(seg('AL565', 0.22), 5, plain.classifyText('AL565', 0.86), plain.classifyText('80565', 0.92), 0.92), true);
    // Not a status: a less clear reading of a status display stays the recogniser's.
    assert.equal(segmentsSpeak(seg('RUN 1458', 0.25), 7, plain.classifyText('RUN 1458', 0.8), plain.classifyText('8UN 1450', 0.9), 0.9), false);
    // Not against a code the recogniser read.
    assert.equal(segmentsSpeak(seg('E85', 0.25), 3, plain.classifyText('E85', 0.8), plain.classifyText('E35', 0.9), 0.9), false);
    // Not too poor a fit, not with a cell no glyph explains.
    assert.equal(segmentsSpeak(seg('F75', 0.15), 4, plain.classifyText('F75', 0.65), plain.classifyText('8005', 0.8), 0.8), false);
    assert.equal(segmentsSpeak(seg('AL565', 0.5, 0, 1), 5, plain.classifyText('AL565', 0.86), plain.classifyText('80565', 0.92), 0.92), false);
  });

  test('cells counting more glyphs than the recogniser read do not speak on a crop that looks like no segment display', async () => {
    // The clear reading above, on a crop whose strokes and cells look like no segment display (likelihood 0): it does
    // not speak where the cells count more glyphs than the recogniser read; as many (a short code's crop may score 0,
    // its one full cell too few to judge), it does.
    assert.equal(segmentsSpeak({ ...seg('E655', 0.63), likely: 0.4 }, 3, plain.classifyText('E655', 0.88), plain.classifyText('655', 0.99), 0.99), true);
    assert.equal(segmentsSpeak({ ...seg('E655', 0.63), likely: 0 }, 3, plain.classifyText('E655', 0.88), plain.classifyText('655', 0.99), 0.99), false);
    assert.equal(segmentsSpeak({ ...seg('E655', 0.63), likely: 0 }, 4, plain.classifyText('E655', 0.88), plain.classifyText('2655', 0.99), 0.99), true);
    // A blue cable's curve beside a display (scripts/gen-panels-drawn.ts seed 351, frame 94), its box read Z: the cells
    // cut it into an L and a lone upright that fit a glyph table just well enough (0.36), reported as the alarm L1.
    const crop = frameToRgb(await decodeImageFile(join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/cable-curve-read-z-cells-l1.png')));
    const [rec] = await recogniseCrops(r.reader, [crop]);
    assert.equal(rec!.greedy.text.trim().length, 1, 'one character read (Z in the frame\'s batch, 飞 alone)');
    const read = interpretLine(crop, rec!, r.reader.dictionary, { grammar: plain });
    assert.notEqual(read.reading?.kind, 'alarm', JSON.stringify(read));
    assert.equal(read.cells, undefined);
  });

  test('a less clear reading names the letter the grammar only guessed where the recogniser read a digit (F-88, not A-88 from 8-88)', () => {
    // What the default grammar makes of a recogniser's 8-88 on a segment display: the look-alike A for the 8, one change.
    const guessed = (text: string, raw: string) => ({ kind: 'alarm' as const, text, raw, code: text, confidence: 0.69, constraintCost: 1.42, changed: 1, grammar: 'default-alarm' as const });
    const byRecogniser = guessed('A-88', '8-88');
    assert.equal(segmentsSpeak(seg('F-88', 0.32), 3, plain.classifyText('F-88', 0.94), byRecogniser, 0.97), true);
    assert.equal(cellsNameGuessedLetters(plain.classifyText('E-317', 0.9), guessed('A-317', '8-317')), true);
    // The cells must agree with every character the recogniser read: a digit they read otherwise is no letter question.
    assert.equal(segmentsSpeak(seg('F-89', 0.32), 3, plain.classifyText('F-89', 0.94), byRecogniser, 0.97), false);
    // A code whose letters the recogniser read itself stands, as before.
    assert.equal(segmentsSpeak(seg('F-88', 0.32), 3, plain.classifyText('F-88', 0.94), plain.classifyText('A-88', 0.97), 0.97), false);
    // The cells' reading must be a code as it is, with a letter where the grammar guessed one.
    assert.equal(cellsNameGuessedLetters(plain.classifyText('8-88', 0.9), byRecogniser), false);
    assert.equal(cellsNameGuessedLetters(plain.classifyText('FF-88', 0.9), byRecogniser), false);
  });

  test('cells that lost a glyph and misread another do not speak against a code the recogniser read as it is', async () => {
    // ALM 34 on a fourteen-segment LCD whose ghost segments show, its A faint under glare (scripts/gen-panels.ts seed
    // 386, frame 89): the cells, taking the display for seven segments, missed the A and read the M's uprights as a 1.
    assert.equal(segmentsSpeak(seg('L134', 0.38), 5, plain.classifyText('L134', 0.79), plain.classifyText('ALM34', 0.87), 0.87), false);
    // The clear reading speaks as before where the recogniser is less sure, its code changed by the grammar, or the
    // cells count as many glyphs as it read on the line's own cells (its ghost characters aside).
    assert.equal(segmentsSpeak(seg('L134', 0.38), 5, plain.classifyText('L134', 0.79), plain.classifyText('ALM34', 0.8), 0.8), true);
    assert.equal(segmentsSpeak(seg('L134', 0.38), 5, plain.classifyText('L134', 0.79), { ...plain.classifyText('ALM34', 0.87), changed: 1 }, 0.87), true);
    assert.equal(segmentsSpeak(seg('L134', 0.38), 4, plain.classifyText('L134', 0.79), plain.classifyText('ALM34', 0.87), 0.87), true);
    // Cells that are the recogniser's characters with one left out misread none of those they kept: they speak as before.
    assert.equal(segmentsSpeak(seg('AL34', 0.38), 5, plain.classifyText('AL34', 0.79), plain.classifyText('ALM34', 0.87), 0.87), true);
    const [without, withCatalog] = await codesWithAndWithoutCatalog(join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/panels-fourteen-ghost-lcd-alm34-cells-read-l134.jpg'), ['/ALM \\d{2}/', '/E\\d{2,3}/']);
    assert.deepEqual(without, ['ALM34']);
    assert.deepEqual(withCatalog, ['ALM34']);
  });
});

describe('a glyph cut in two', () => {
  const cell = (x0: number, x1: number, shape?: '1' | '-' | '.', spaceBefore = false) => ({ x0, x1, lit: {}, spaceBefore, ...(shape ? { shape } : {}) });
  test('two cells starting half a pitch apart are one glyph (a small fourteen-segment H read as 1 1)', () => {
    // H14 on a 24 px pitch: the H's uprights became cells at 0 and 12.
    const h14 = { cells: [cell(0, 14, '1'), cell(12, 26, '1'), cell(36, 50, '1'), cell(60, 74, '1')] };
    assert.equal(glyphCutInTwo(h14), true);
    // The same line read whole, ones at the right of their cells, a dash and a decimal point: no.
    assert.equal(glyphCutInTwo({ cells: [cell(0, 14), cell(24, 38, '1'), cell(48, 62, '-'), cell(60, 63, '.'), cell(72, 86, '1')] }), false);
    // Too few cells to know the pitch.
    assert.equal(glyphCutInTwo({ cells: [cell(0, 14, '1'), cell(6, 20, '1')] }), false);
    // The recogniser's H14 (a code) then stands against the cells' 1111, however unsure.
    const seg = { text: '1111', fit: 1, gaps: 0, unexplained: 0, split: true };
    assert.equal(segmentsSpeak(seg, 3, plain.classifyText('1111', 0.6), plain.classifyText('H14', 0.8), 0.8), false);
    assert.equal(segmentsSpeak({ ...seg, split: false }, 3, plain.classifyText('1111', 0.6), plain.classifyText('H14', 0.8), 0.8), true);
  });
});

const DOT = '/usr/share/fonts/truetype/dotgothic16/DotGothic16-Regular.ttf';
const DSEG = '/usr/share/fonts/truetype/dseg';
const dir = tempDir('reading-arbitration');

/** A display line `text` in `font`, `fg` on `bg`, with ImageMagick `effects`. */
function render(font: string, text: string, fg: string, bg: string, effects: string[] = []): RgbImage {
  const file = join(dir, 'line.ppm');
  execFileSync('convert', ['-background', bg, '-fill', fg, '-font', font, '-pointsize', '56', `label:${text}`, '-bordercolor', bg, '-border', '8x5', ...effects, '-depth', '8', file]);
  return readPpm(file);
}

describe('rendered display lines through the real recogniser', { timeout: 120_000 }, () => {
  const r = realReader();
  const read = async (crop: RgbImage, g: LineGrammar) => {
    const [rec] = await recogniseCrops(r.reader, [crop]);
    return interpretLine(crop, rec!, r.reader.dictionary, { grammar: g });
  };

  test('dot-matrix font (DotGothic16): the recogniser\'s E35 and FLT 16 stand, though seven-segment glyphs fit its cells as E86 and FLI 18', async () => {
    for (const [text, fg, bg, fx] of [['E35', '#1c2418', '#9db38a', []], ['E35', '#ff3020', '#080202', ['-blur', '0x1.2']],
      ['FLT 16', '#1c2418', '#9db38a', []], ['FLT 16', '#36ff5a', '#050805', ['-blur', '0x1.2']]] as const) {
      for (const g of [plain, catalog]) {
        const line = await read(render(DOT, text, fg, bg, [...fx]), g);
        assert.equal(line.reading?.kind, 'alarm', JSON.stringify(line));
        assert.equal(line.reading?.code, text, JSON.stringify(line));
        assert.equal(line.cells, undefined, 'the segment reader did not decide');
      }
    }
  });

  test('seven-segment display: the segment reader still decides E against the recogniser\'s 6', async () => {
    const line = await read(render(join(DSEG, 'DSEG7ClassicMini-Bold.ttf'), 'E634', '#ff3020', '#080202'), plain);
    assert.equal(line.reading?.code, 'E634', JSON.stringify(line));
    assert.ok(line.cells, 'the segment reader decided');
  });
});

test('cells that are only uprights, more than the characters the recogniser read, count strokes: its code stands', () => {
  // A slanted A18 under motion blur, its bars faint: the cells saw five uprights (1111I), the recogniser A18.
  const g = new LineGrammar();
  const seg = { fit: 1, gaps: 0, text: '1111I', unexplained: 0 };
  const byRecogniser = g.classifyText('A18', 0.54);
  assert.equal(byRecogniser.kind, 'alarm');
  assert.equal(segmentsSpeak({ ...seg, shaped: [true, true, true, true, true] }, 3, g.classifyText('11111', 0.5), byRecogniser, 0.54), false);
  // Cells with a drawn glyph among them judged segments: they still speak (the rule is for uprights only).
  assert.equal(segmentsSpeak({ ...seg, text: '1811I', shaped: [true, false, true, true, true] }, 3, g.classifyText('18111', 0.5), byRecogniser, 0.54), true);
  // As many uprights as characters read: each upright is a glyph (a code of 1s is read by its cells).
  assert.equal(segmentsSpeak({ ...seg, text: '111', shaped: [true, true, true] }, 3, g.classifyText('111', 0.5), byRecogniser, 0.54), true);
});
