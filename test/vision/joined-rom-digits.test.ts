// A doubtful dot line's joined reading with its digits checked by the ROM's cells (src/vision/ocr/joined-rom-digits.ts).
// ALM 10 on an amber LED module of close, large dots (gen-panels-drawn seed 324, frame 79): the line keeps too little
// of a lattice's rhythm along its rows to pass the dot-matrix test, the plain crop reads AL10, the joined view ALM18 at
// 0.91 (the slashed zero closed into an 8), and with a catalog that takes ALM NN the wrong code ALM18 was reported.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile, frameToRgb, type RgbImage } from '../../src/vision/image.js';
import { dotMatrixLine, isDotMatrix } from '../../src/vision/ocr/dot-matrix.js';
import { joinsDoubtfulDots } from '../../src/vision/ocr/doubtful-dots.js';
import { joinedRomDigits } from '../../src/vision/ocr/joined-rom-digits.js';
import { interpretLine, type Recognised } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { retryOnOtherViews } from '../../src/vision/ocr/view-retry.js';
import { realReaders } from '../helpers/real-readers.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const FRAME = join(here, '../fixtures/frames/drawn-dot-matrix-alm10-close-dots-zero-joined-8.jpg');
const CROP = join(here, '../fixtures/dot-crops/alm10-close-dots-read-al10-joined-alm18.png');
/** The bench's catalog patterns (bench/_set.ts CATALOG_PATTERNS). */
const PATTERNS = ['/E-\\d{3}/', '/E\\d{2,3}/', '/AL\\d{3,4}/', '/F-?\\d{2,3}/', '/ERR[- ]?\\d{2,3}/', '/A\\d{2}/',
  '/ALM \\d{2}/', '/FLT \\d{2}/', '/H\\d{2}/', '/C-\\d{2}/'];

describe('a doubtful dot line\'s joined digits checked by the ROM', { timeout: 240_000 }, () => {
  const r = realReaders();

  test('the crop is a doubtful dot line: no dot-matrix line by the test, joined all the same', async () => {
    const d = dotMatrixLine(frameToRgb(await decodeImageFile(CROP)));
    assert.ok(!isDotMatrix(d) && joinsDoubtfulDots(d), JSON.stringify(d));
  });

  test('ALM18 read on the joined dots is ALM10 by the plain crop\'s cells; a reading its cells confirm is left alone', async () => {
    const crop = frameToRgb(await decodeImageFile(CROP));
    const grammar = new LineGrammar({ alarmPatterns: PATTERNS });
    const real = (c: RgbImage[]): Promise<Recognised[]> => (r.reader as unknown as { recognise(c: RgbImage[]): Promise<Recognised[]> }).recognise(c);
    const [first] = await real([crop]);
    const dict = r.reader.dictionary, dots = dotMatrixLine(crop);
    const lines = [{ crop, first: first!, view: 'original' as const, dotMatrix: false, dots }];
    const interpreted = await retryOnOtherViews(lines, { dict, grammar, retryBelow: 0.9, segmentCells: true, recognise: real,
      interpret: (k, rec) => interpretLine(lines[k]!.crop, rec, dict, { grammar }) });
    assert.equal(lines[0]!.view, 'dots-joined', `the joined reading is taken (${lines[0]!.first.greedy.text})`);
    assert.equal(lines[0]!.first.greedy.text.replace(/\s/g, ''), 'ALM18', 'the joined view reads the zero 8');
    assert.equal(interpreted.get(0)?.text.replace(/\s/g, ''), 'ALM10');
    const asRead = { ...first!, greedy: { ...first!.greedy, text: 'ALM10' } };
    assert.equal(joinedRomDigits(crop, asRead, grammar), null, 'the cells agree with ALM10: nothing to change');
  });

  test('the whole frame with the catalog reports ALM 10, not ALM18; without it nothing changes', async () => {
    const frame = await decodeImageFile(FRAME);
    const catalog = await VisionAnalyzer.create({ reader: r.reader, alarmPatterns: PATTERNS, ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
    const codes = (await catalog.analyze(frame)).alarmCodes.map((c) => c.replace(/\s/g, ''));
    assert.deepEqual(codes, ['ALM10']);
    const plain = (await r.analyzer.analyze(frame)).alarmCodes.map((c) => c.replace(/\s/g, ''));
    assert.ok(!plain.includes('ALM18'), JSON.stringify(plain));
  });
});
