// A lone upright whose whole cell shows every other segment dark is a 1 the segment cells tell (segment-lattice.ts
// onlyUprightLit, arbitration-rules.ts): a fuller glyph the recogniser reads there took the cell's unlit ("ghost")
// segments for lit. The crop is a line box as the reader cuts it: scripts/gen-panels.ts seed 234 frame 136 (helper
// ghost49's set), the code E051 on a seven-segment LCD whose unlit segments show faintly. Its display-enhanced view
// brings the 1's ghost segments up, and the recogniser reads E058 there at 0.96; the cells read E051, but their 1 was
// known by its narrow ink alone, so the sure recogniser stood and the frame reported E058, another fault's code.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { enhanceForDisplay } from '../../src/vision/ocr/enhance.js';
import { interpretLine, segmentsSpeak } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { onlyUprightLit } from '../../src/vision/ocr/segment-lattice.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const CROP = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/code-e051-ghost-lit-one-read-8.png');

describe('a lone upright among ghost segments', { timeout: 180_000 }, () => {
  const r = realReader();

  test('shows its other segments dark, and the line is E051 on the enhanced view too', async () => {
    const crop = frameToRgb(await decodeImageFile(CROP));
    const cells = readSegmentCells(crop)!;
    const last = cells.cells[cells.cells.length - 1]!;
    assert.equal(last.shape, '1', JSON.stringify(cells.cells.map((c) => [c.x0, c.x1, c.shape])));
    assert.equal(onlyUprightLit(last.beside), true, JSON.stringify(last.beside));
    // The first cells (E, 0, 5) are whole glyphs, not uprights.
    assert.equal(cells.cells.slice(0, -1).every((c) => !c.shape && !onlyUprightLit(c.beside)), true);
    const [, enhanced] = await recogniseCrops(r.reader, [crop, enhanceForDisplay(crop)]);
    assert.equal(enhanced!.greedy.text, 'E058', 'the recogniser reads the ghost-lit 1 as an 8 on the enhanced view');
    const line = interpretLine(crop, enhanced!, r.reader.dictionary, { grammar: new LineGrammar() });
    assert.equal(line.reading?.kind, 'alarm', JSON.stringify(line));
    assert.equal(line.text.replace(/\s/g, ''), 'E051', JSON.stringify(line));
    assert.equal(line.cells, 'E051');
  });

  test('a 7 read over such an upright keeps the shape rule; an 8 does not', () => {
    const g = new LineGrammar();
    const seg = { fit: 0.9, gaps: 0, unexplained: 0, hidden: 0, segments: 7 as const, shaped: [false, false, true], darkBeside: [false, false, true] };
    const cells = g.classifyText('F91', 0.7);
    // A sure recogniser's 7 over an upright whose top bar may stand off its sampled place stands (F97, not F91) ...
    assert.equal(segmentsSpeak({ ...seg, text: 'F91' }, 3, cells, g.classifyText('F97', 0.97), 0.97), false);
    // ... and so does its 8 where the upright's cell was not seen dark around it ...
    assert.equal(segmentsSpeak({ ...seg, text: 'F91', darkBeside: [false, false, false] }, 3, cells, g.classifyText('F98', 0.97), 0.97), false);
    // ... but not where it was: the 8's other segments are the ghosts the cells see dark.
    assert.equal(segmentsSpeak({ ...seg, text: 'F91' }, 3, cells, g.classifyText('F98', 0.97), 0.97), true);
  });
});
