// Dot-matrix lines the lattice test does not pass (src/vision/ocr/doubtful-dots.ts): large, close dots or a blurred
// frame run the lit dots together, the line is read as strokes and misread. Drawn in code first (no models): which
// lines are joined at all, and the joined crop cut to its lit columns where the module's unlit cells run on. Then
// generated camera frames (scripts/gen-panels-drawn.ts) through the real models, each lost before: C-32 of large
// dots read CE32 and made C632 by the segment cells, C-77 on a long module read C-77000 and rejected once its unlit
// cells were dropped, E665 under motion blur read 566. And a seven-segment line whose joined view runs two glyphs into
// one: E010 on a dim LED (scripts/gen-panels-drawn.ts seed 371 frame 88, e010-seven-dim-joined-e10.png), read E010 by
// its cells on the plain and enhanced views and E10 joined at 0.95, which was reported.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { realReaders } from '../helpers/real-readers.js';
import { decodeImageFile, frameToRgb, type RgbImage } from '../../src/vision/image.js';
import { DOT_MATRIX_SCORE, dotMatrixLine, type DotMatrixLine } from '../../src/vision/ocr/dot-matrix.js';
import { joinedDoubtfulDots, joinedDropsCellGlyphs, joinsDoubtfulDots } from '../../src/vision/ocr/doubtful-dots.js';
import { interpretLine, type Recognised } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { codeOf } from '../../src/vision/ocr/view-codes.js';
import { retryOnOtherViews } from '../../src/vision/ocr/view-retry.js';
import { grammarTakes } from '../../src/vision/ocr/view-choice.js';

const FRAMES = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames');
const CROPS = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops');

/**
 * A dark module of `cells` 5×7 dot cells at a pitch of 6 px, the first `lit` of them showing a lit block of dots
 * (every dot of the cell), the rest every dot faintly (unlit dots seen through the glass).
 */
function module(cells: number, lit: number): RgbImage {
  const p = 6, gap = 6, pad = 8;
  const W = pad * 2 + cells * (5 * p + gap), H = pad * 2 + 7 * p;
  const data = new Float32Array(W * H * 3).fill(12);
  for (let c = 0; c < cells; c++) {
    const v = c < lit ? 230 : 40;
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 7; j++) {
        const x0 = pad + c * (5 * p + gap) + i * p, y0 = pad + j * p;
        for (let y = y0 + 1; y < y0 + p - 1; y++) for (let x = x0 + 1; x < x0 + p - 1; x++) data.fill(v, (y * W + x) * 3, (y * W + x) * 3 + 3);
      }
    }
  }
  return { data, width: W, height: H };
}

const dots = (score: number): DotMatrixLine => ({ score, pitch: 6, down: score, across: score, polarity: 'bright' });

describe('dot-matrix lines the lattice test does not pass', () => {
  test('only a line with some of a lattice rhythm, short of the dot-matrix test, is joined', () => {
    assert.equal(joinsDoubtfulDots(dots(0.08)), true);
    assert.equal(joinsDoubtfulDots(dots(-0.01)), true);
    assert.equal(joinsDoubtfulDots(dots(-0.2)), false, 'a segment or printed line (strokes: no rhythm)');
    assert.equal(joinsDoubtfulDots(dots(DOT_MATRIX_SCORE)), false, 'a dot-matrix line is joined anyway');
    assert.equal(joinsDoubtfulDots(null), false);
  });

  test('the joined crop of a long module ends a pitch past its last lit cell; a module lit to its end stays whole', () => {
    const long = module(10, 3);
    const cut = joinedDoubtfulDots(long, dots(0.05));
    const litEnd = 8 + 3 * 36 - 6;
    assert.equal(cut.height, long.height);
    assert.ok(cut.width >= litEnd && cut.width <= litEnd + 2 * 6 + 2, `cut to ${cut.width} of ${long.width}, lit to ${litEnd}`);
    const full = module(4, 4);
    assert.equal(joinedDoubtfulDots(full, dots(0.05)).width, full.width);
  });

  describe('camera frames through the real models', { timeout: 240_000 }, () => {
    const r = realReaders();
    test('joined crops are recognised in a batch of their own: they do not change how the other views are padded', async () => {
      // Two lines in doubt, both read again on the enhanced view; one also keeps some dot rhythm and is joined.
      const wide = module(4, 4), narrow = module(2, 1);
      const real = (c: RgbImage[]): Promise<Recognised[]> => (r.reader as unknown as { recognise(c: RgbImage[]): Promise<Recognised[]> }).recognise(c);
      const firsts = await real([wide, narrow]);
      const calls: RgbImage[][] = [];
      const dict = r.reader.dictionary, grammar = new LineGrammar();
      const lines = [{ crop: wide, first: firsts[0]!, view: 'original' as const, dotMatrix: false, dots: dots(0.05) },
        { crop: narrow, first: firsts[1]!, view: 'original' as const, dotMatrix: false, dots: null }];
      await retryOnOtherViews(lines, { dict, grammar, retryBelow: 1.01, segmentCells: false,
        recognise: (c) => { calls.push(c); return real(c); },
        interpret: (k, rec) => interpretLine(lines[k]!.crop, rec, dict, { grammar }) });
      const joined = joinedDoubtfulDots(wide, dots(0.05));
      const isJoined = (c: RgbImage): boolean => c.width === joined.width && c.data.every((v, i) => v === joined.data[i]);
      const withJoined = calls.filter((c) => c.some(isJoined));
      assert.equal(withJoined.length, 1, `the joined crop is read once (calls: ${calls.map((c) => c.length).join(', ')})`);
      assert.equal(withJoined[0]!.length, 1, 'and alone: no other view shares its batch');
      assert.ok(calls.some((c) => c.length >= 2 && !c.some(isJoined)), 'the other views are read together');
    });

    test('joined crops are made and read only where a line\'s reading may be replaced, and then all together', async () => {
      // A real segment code crop the grammar takes (a code), held in doubt and given some dot rhythm: its joined view could
      // never replace it, so no joined crop is read. Beside a drawn module the grammar does not take, both joined crops
      // are read in one batch, as before (the batch's padding is the same as without the rule).
      const real = (c: RgbImage[]): Promise<Recognised[]> => (r.reader as unknown as { recognise(c: RgbImage[]): Promise<Recognised[]> }).recognise(c);
      const dict = r.reader.dictionary, grammar = new LineGrammar();
      const code = frameToRgb(await decodeImageFile(join(CROPS, 'e092-top-cut-read-right-cell-t.png'))), drawn = module(4, 4);
      const retry = async (crops: RgbImage[]): Promise<{ calls: RgbImage[][]; lines: Array<{ first: Recognised; view: string }> }> => {
        const firsts = await real(crops);
        const calls: RgbImage[][] = [];
        const lines = crops.map((crop, k) => ({ crop, first: firsts[k]!, view: 'original' as const, dotMatrix: false, dots: dots(0.05) }));
        await retryOnOtherViews(lines, { dict, grammar, retryBelow: 1.01, segmentCells: false,
          recognise: (c) => { calls.push(c); return real(c); },
          interpret: (k, rec) => interpretLine(lines[k]!.crop, rec, dict, { grammar }) });
        return { calls, lines };
      };
      const joinedOf = (c: RgbImage): RgbImage => joinedDoubtfulDots(c, dots(0.05));
      const same = (a: RgbImage, b: RgbImage): boolean => a.width === b.width && a.height === b.height && a.data.every((v, i) => v === b.data[i]);
      const alone = await retry([code]);
      assert.ok(grammarTakes(alone.lines[0]!.first.greedy, grammar), `the code crop reads as the grammar takes it: ${alone.lines[0]!.first.greedy.text}`);
      assert.equal(alone.calls.length, 1, `only the other views' batch is read (calls: ${alone.calls.map((c) => c.length).join(', ')})`);
      assert.ok(!alone.calls[0]!.some((c) => same(c, joinedOf(code))));
      const both = await retry([code, drawn]);
      assert.ok(!grammarTakes(both.lines[1]!.first.greedy, grammar), `the drawn module's reading is none the grammar takes: ${both.lines[1]!.first.greedy.text}`);
      const last = both.calls.at(-1)!;
      assert.equal(last.length, 2, 'the joined crops are read in a batch of their own');
      assert.ok(same(last[0]!, joinedOf(code)) && same(last[1]!, joinedOf(drawn)), 'both lines\' joined crops, as before');
    });

    test('a joined reading with fewer glyphs than the code the cells decided does not replace it: E010, not E10', async () => {
      const real = (c: RgbImage[]): Promise<Recognised[]> => (r.reader as unknown as { recognise(c: RgbImage[]): Promise<Recognised[]> }).recognise(c);
      const dict = r.reader.dictionary, grammar = new LineGrammar();
      const img = frameToRgb(await decodeImageFile(join(CROPS, 'e010-seven-dim-joined-e10.png')));
      const d = dotMatrixLine(img);
      assert.ok(joinsDoubtfulDots(d), `the line keeps some dot rhythm: ${JSON.stringify(d && { score: d.score, pitch: d.pitch })}`);
      const [joined] = await real([joinedDoubtfulDots(img, d)]);
      assert.equal(joined!.greedy.text.trim(), 'E10', 'the joined view runs the 0 and the 1 together');
      const [first] = await real([img]);
      const interpret = (_k: number, rec: Recognised) => interpretLine(img, rec, dict, { grammar, segmentCells: true });
      const line = { crop: img, first: first!, view: 'original' as const, dotMatrix: false, dots: d };
      const interpreted = await retryOnOtherViews([line], { dict, grammar, retryBelow: 0.9, segmentCells: true, recognise: real, interpret });
      const final = interpreted.get(0) ?? interpret(0, line.first);
      assert.notEqual(line.view, 'dots-joined');
      assert.equal(codeOf(final), 'E010', JSON.stringify(final));
      // The count holds dashes: a joined hyphen the cells read as a 6 (C-32, cells C632) may replace them.
      const cellsCode = (text: string) => ({ text, confidence: 0.7, segment: 1, cells: text, reading: { kind: 'alarm' as const, text, raw: text, code: text, confidence: 0.7 } });
      assert.ok(joinedDropsCellGlyphs(joined!.greedy, cellsCode('E010')));
      assert.ok(!joinedDropsCellGlyphs({ text: 'C-32', confidence: 0.99 }, cellsCode('C632')));
      assert.ok(!joinedDropsCellGlyphs({ text: 'E10', confidence: 0.95 }, { ...cellsCode('E010'), cells: undefined }), 'a code the cells did not decide');
    });

    for (const [file, code] of [['drawn-dot-matrix-c-32-large-dots.jpg', 'C-32'], ['drawn-dot-matrix-c-77-unlit-cells.jpg', 'C-77'],
      ['drawn-dot-matrix-e665-motion-blur.jpg', 'E665']] as const) {
      test(`${code} is read from its joined dots`, async () => {
        const v = await r.analyzer.analyze(await decodeImageFile(join(FRAMES, file)));
        const lines = v.detail.ocr as Array<{ text: string; view?: string }>;
        assert.deepEqual(v.alarmCodes, [code], JSON.stringify(lines));
        assert.equal(lines.find((l) => l.text === code)?.view, 'dots-joined');
      });
    }
  });
});
