// Lines read again on their lit strokes only (lit-view.ts, panel-reader.ts). A
// display that draws its unlit segments or dots faintly (a ghost 8 behind every
// cell of a terminal-font LED or LCD window) makes the recogniser read that faint
// ink as strokes: the dash of F-07 becomes an 8, the L of AL397 a B. Lines in
// doubt are read again on a view where light well under the display's lit level
// is background (F-07 reads right on a clean rendering either way; it stays a check that the view breaks nothing).
// Display lines drawn with ImageMagick (fonts-3270, the ghost 8s
// composited under the text as scripts/gen-panels.ts does), real models.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RgbImage } from '../../src/vision/image.js';
import type { Lattice } from '../../src/vision/ocr/constrained-ctc.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import { segmentsRead } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { litView } from '../../src/vision/ocr/lit-view.js';
import { PanelReader } from '../../src/vision/ocr/panel-reader.js';
import { inDoubt, litReplaces, replacesReading } from '../../src/vision/ocr/view-choice.js';
import { tempDir } from '../helpers/tmp.js';
import { readPpm } from '../helpers/ppm.js';

const FONT = '/usr/share/fonts/truetype/3270/3270SemiCondensed-Regular.ttf';
const dir = tempDir('lit-view');

/** A display window showing `text` in `fg` over ghost 8s in `ghost` (or none), on `bg`. */
function display(text: string, fg: string, bg: string, ghost?: string, fontFile = FONT): RgbImage {
  const file = join(dir, 'line.ppm');
  const font = ['-font', fontFile, '-pointsize', '44'];
  const eights = [...text].map((c) => (c === ' ' ? ' ' : '8')).join('');
  const args = ghost
    ? ['-background', bg, '(', ...font, '-fill', ghost, `label:${eights}`, ')', '(', '-background', 'none', ...font, '-fill', fg, `label:${text}`, ')',
      '-gravity', 'east', '-composite', '+gravity']
    : ['-background', bg, '-fill', fg, ...font, `label:${text}`];
  execFileSync('convert', [...args, '-bordercolor', bg, '-border', '16x10', '-depth', '8', file]);
  return readPpm(file);
}

test('the lit view keeps the lit strokes and puts out the ghost 8s', () => {
  const img = display('F-07', '#ff5080', '#000000', '#260c13');
  const v = litView(img);
  assert.ok(v);
  assert.equal(v.width, img.width);
  assert.equal(v.height, img.height);
  // Where the ghost 8 of the dash cell shows (its upper bowl, left of the dash's middle), the view is background;
  // on the dash it is ink.
  const lum = (im: RgbImage, x: number, y: number): number => im.data[3 * (y * im.width + x)]!;
  let ghostInk = 0, dashInk = 0;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const r = img.data[3 * (y * img.width + x)]!;
      if (r > 30 && r < 50) ghostInk = Math.max(ghostInk, 255 - lum(v, x, y));
      if (r > 200) dashInk = Math.max(dashInk, 255 - lum(v, x, y));
    }
  }
  assert.ok(ghostInk < 40, `ghost light shows as ink ${ghostInk}`);
  assert.ok(dashInk > 200, `lit strokes show as ink ${dashInk}`);
});

test('a line is in doubt when unsure or when its digits make nothing the grammar takes', () => {
  const g = new LineGrammar();
  assert.equal(inDoubt({ text: 'AB397', confidence: 0.99 }, 0.9, g), true);
  assert.equal(inDoubt({ text: 'AL397', confidence: 0.99 }, 0.9, g), false);
  assert.equal(inDoubt({ text: 'HOT SURFACE', confidence: 0.99 }, 0.9, g), false);
  assert.equal(inDoubt({ text: 'AL397', confidence: 0.7 }, 0.9, g), true);
});

test('the lit view replaces a reading only when surer, grammatical or not', () => {
  const g = new LineGrammar();
  // A grammatical lit reading a hair less sure than an ungrammatical first one: another view would take it, the lit one
  // does not (the segment cells read C-79 surely from the first).
  assert.equal(replacesReading({ text: 'C.79', confidence: 0.739 }, { text: '\u202679', confidence: 0.743 }, g), true);
  assert.equal(litReplaces({ text: 'C.79', confidence: 0.739 }, { text: '\u202679', confidence: 0.743 }, g), false);
  assert.equal(litReplaces({ text: 'AL397', confidence: 0.998 }, { text: 'AB397', confidence: 0.993 }, g), true);
  assert.equal(litReplaces({ text: 'F-07', confidence: 0.955 }, { text: 'F807', confidence: 0.69 }, g), true);
});

test('the lit view neither drops a character nor turns a letter into a digit, however sure', () => {
  const g = new LineGrammar();
  // A dim lit stroke put out with the ghosts: the 1 of H 10 gone.
  assert.equal(replacesReading({ text: 'H 0', confidence: 0.973 }, { text: 'H 10', confidence: 0.866 }, g), true);
  assert.equal(litReplaces({ text: 'H 0', confidence: 0.973 }, { text: 'H 10', confidence: 0.866 }, g), false);
  // An L whose foot went dark with the ghosts reads 1: the first view's letter stands.
  assert.equal(litReplaces({ text: '81 5983', confidence: 0.916 }, { text: '8L 5983', confidence: 0.614 }, g), false);
});

test('a line the segment reader reads itself is left to it: no lit view there', () => {
  const keys = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. '];
  const dict = CharacterDictionary.fromKeys(keys, keys.length + 2);
  const blank: Lattice = { probs: new Float32Array(4 * dict.size), offset: 0, steps: 4, classes: dict.size };
  // A fourteen-segment display's cells are glyphs: the cells and the recogniser decide (FLT 77 read FLT99 on its lit strokes).
  assert.equal(segmentsRead(display('FLT 77', '#40e0ff', '#000000', undefined, '/usr/share/fonts/truetype/dseg/DSEG14Classic-Regular.ttf'), blank, dict, false), true);
  // A terminal font over ghost 8s is no segment display, and a dot-matrix line never the segment reader's.
  assert.equal(segmentsRead(display('AL397', '#202820', '#b8c4b0', '#a5b09e'), blank, dict, false), false);
  assert.equal(segmentsRead(display('FLT 77', '#40e0ff', '#000000', undefined, '/usr/share/fonts/truetype/dseg/DSEG14Classic-Regular.ttf'), blank, dict, true), false);
});

describe('codes over ghost 8s read on their lit strokes', { timeout: 120_000 }, () => {
  let reader: PanelReader;
  before(async () => { reader = await PanelReader.create({ reuseUnchanged: false }); });
  after(async () => { await reader.close(); });
  for (const [text, fg, bg, ghost] of [
    ['F-07', '#ff5080', '#000000', '#260c13'],
    ['AL397', '#202820', '#b8c4b0', '#a5b09e'],
  ] as const) {
    test(`${text} (${fg} on ${bg}, ghost ${ghost})`, async () => {
      for (const g of [new LineGrammar(), new LineGrammar({ alarmPatterns: ['/F-?\\d{2,3}/', '/AL\\d{3,4}/'] })]) {
        const lines = await reader.read(display(text, fg, bg, ghost), { grammar: g });
        const codes = lines.filter((l) => l.reading?.kind === 'alarm').map((l) => l.reading!.code);
        assert.deepEqual(codes, [text], JSON.stringify(lines.map((l) => [l.text, l.raw, l.view, l.confidence])));
      }
    });
  }
});
