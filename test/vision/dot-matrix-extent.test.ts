// Dot-matrix lines the detector found in part (src/vision/ocr/dot-matrix-extent.ts): a box over the first
// characters of a dot-matrix line must grow over the rest of the line (past a space too), and stop at the last lit
// dot, not run on over the module's unlit dots (a box that does is cut back); a printed label or a segment display
// beside it, or another display further along, stays out; a box that is no dot-matrix line is left as it is.
// Lines are drawn here in code.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RgbImage } from '../../src/vision/image.js';
import { extendDotMatrixBox, extendDotMatrixBoxes } from '../../src/vision/ocr/dot-matrix-extent.js';
import { boxBounds, type TextBox } from '../../src/vision/ocr/text-boxes.js';
import { drawLine, type Look, type Style } from '../helpers/dot-lines.js';

const LOOKS: Look[] = [
  { pitch: 5, ink: [255, 60, 40], ground: [20, 8, 8], blur: 1, seed: 1 },
  { pitch: 7, ink: [90, 255, 120], ground: [10, 20, 12], blur: 2, seed: 2 },
  { pitch: 5, ink: [30, 40, 30], ground: [160, 180, 140], blur: 1, seed: 3 },
];

interface Piece { text: string; style: Style; at: number }

/**
 * A frame with the pieces drawn one after another on one baseline (`at`: the piece's left end, in dot pitches from
 * the frame's left), on the display's ground colour; unlit dots shown faintly. Returns the frame and where each
 * character cell starts (frame x).
 */
function frame(pieces: Piece[], look: Look): { img: RgbImage; cells: number[][] } {
  const p = look.pitch, margin = Math.round(1.5 * p);
  const drawn = pieces.map((q) => drawLine(q.text, q.style, look, { ghost: q.style === 'dots' ? 0.15 : 0 }));
  const w = Math.max(...pieces.map((q, i) => Math.round(q.at * p) + drawn[i]!.width)) + 4 * p, h = drawn[0]!.height + 8 * p;
  const data = new Float32Array(w * h * 3);
  for (let i = 0; i < w * h; i++) for (let c = 0; c < 3; c++) data[3 * i + c] = look.ground[c]!;
  const cells = pieces.map((q, i) => {
    const d = drawn[i]!, x0 = Math.round(q.at * p), y0 = 4 * p;
    for (let y = 0; y < d.height; y++) data.set(d.data.subarray(3 * y * d.width, 3 * (y + 1) * d.width), 3 * ((y0 + y) * w + x0));
    return [...q.text].map((_, k) => x0 + margin + k * 6 * p);
  });
  return { img: { data, width: w, height: h }, cells };
}

/** An upright box from x0 to x1 around the text band (the detector's margin of about a pitch above and below). */
function box(x0: number, x1: number, look: Look): TextBox {
  const p = look.pitch, margin = Math.round(1.5 * p), y0 = 4 * p + margin - p, y1 = 4 * p + margin + 8 * p;
  return { points: [[x0, y0], [x1, y0], [x1, y1], [x0, y1]], score: 0.8 };
}

describe('dot-matrix lines found in part', () => {
  test('a box over the first characters grows over the rest of the line, past a space, and stops at its last lit dot', () => {
    for (const look of LOOKS) {
      const p = look.pitch;
      for (const [text, shown] of [['AL169   ', 2], ['ERR 62  ', 3], ['E-770   ', 1]] as const) {
        const { img, cells } = frame([{ text, style: 'dots', at: 2 }], look);
        const c = cells[0]!;
        const last = text.trimEnd().length;
        const b = boxBounds(extendDotMatrixBox(img, box(c[0]! - p, c[shown]! - 0.5 * p, look)));
        const end = c[last - 1]! + 5 * p;
        assert.ok(b.x + b.width >= end && b.x + b.width <= end + 2.5 * p,
          `${text.trim()} at pitch ${p}: box ends at ${(b.x + b.width).toFixed(0)}, the last lit dot at ${end}`);
        assert.ok(b.x <= c[0]! - 0.5 * p && b.x >= c[0]! - 2.5 * p, `${text.trim()}: box starts at ${b.x.toFixed(0)}, the text at ${c[0]}`);
      }
    }
  });

  test('a box that runs on over the unlit cells of the module is cut back to its last lit dot', () => {
    for (const look of LOOKS) {
      const p = look.pitch;
      const { img, cells } = frame([{ text: 'ERR 62   ', style: 'dots', at: 2 }], look);
      const c = cells[0]!;
      const b = boxBounds(extendDotMatrixBox(img, box(c[0]! - p, c[8]! + 5 * p, look)));
      const end = c[5]! + 5 * p;
      assert.ok(b.x + b.width >= end && b.x + b.width <= end + 2.5 * p, `pitch ${p}: box ends at ${(b.x + b.width).toFixed(0)}, the last lit dot at ${end}`);
      // A box that ends at the line's end is left as it is.
      const whole = box(c[0]! - p, end + 1.5 * p, look);
      assert.equal(extendDotMatrixBox(img, whole), whole);
    }
  });

  test('trimming only (a box the second look found): the unlit cells are cut off, and a box over part of the line does not grow', () => {
    for (const look of LOOKS) {
      const p = look.pitch;
      const { img, cells } = frame([{ text: 'ERR 62   ', style: 'dots', at: 2 }], look);
      const c = cells[0]!;
      const end = c[5]! + 5 * p;
      const long = boxBounds(extendDotMatrixBoxes(img, [box(c[0]! - p, c[8]! + 5 * p, look)], false)[0]!);
      assert.ok(long.x + long.width >= end && long.x + long.width <= end + 2.5 * p, `pitch ${p}: box ends at ${(long.x + long.width).toFixed(0)}, the last lit dot at ${end}`);
      const part = box(c[0]! - p, c[2]! + 5.5 * p, look);
      assert.equal(extendDotMatrixBoxes(img, [part], false)[0], part, `pitch ${p}: a box over ERR alone stays as it is`);
      assert.notEqual(extendDotMatrixBoxes(img, [part])[0], part, `pitch ${p}: the first pass's extension does grow it`);
    }
  });

  test('a box over the last characters grows to the left as well', () => {
    const look = LOOKS[1]!, p = look.pitch;
    const { img, cells } = frame([{ text: ' AL4991', style: 'dots', at: 2 }], look);
    const c = cells[0]!;
    const b = boxBounds(extendDotMatrixBox(img, box(c[4]! - 0.5 * p, c[6]! + 6 * p, look)));
    assert.ok(b.x <= c[1]! && b.x >= c[1]! - 2.5 * p, `box starts at ${b.x.toFixed(0)}, the text at ${c[1]}`);
  });

  test('a printed label or a segment display beside the line, and another display further along, stay out', () => {
    for (const look of LOOKS) {
      const p = look.pitch;
      for (const beside of [{ text: 'RUN', style: 'pixels' }, { text: '88', style: 'segments' }, { text: 'F-42', style: 'dots', gap: 14 }] as const) {
        const gap = beside.gap ?? 3;
        const { img, cells } = frame([{ text: 'E16', style: 'dots', at: 2 }, { text: beside.text, style: beside.style, at: 2 + 3 * 6 + 3 + gap }], look);
        const c = cells[0]!;
        const b = boxBounds(extendDotMatrixBox(img, box(c[0]! - p, c[1]! + 5.5 * p, look)));
        const next = cells[1]![0]!;
        assert.ok(b.x + b.width < next, `E16 beside ${beside.style} ${beside.text} at pitch ${p}: box ends at ${(b.x + b.width).toFixed(0)}, ${beside.text} starts at ${next}`);
        assert.ok(b.x + b.width >= c[2]! + 5 * p, `E16 beside ${beside.text} at pitch ${p}: the line's own 6 is covered (box ends at ${(b.x + b.width).toFixed(0)})`);
      }
    }
  });

  test('boxes of one line join into one; a box that is no dot-matrix line is left as it is', () => {
    const look = LOOKS[0]!, p = look.pitch;
    const { img, cells } = frame([{ text: 'ERR 62', style: 'dots', at: 2 }], look);
    const c = cells[0]!;
    const joined = extendDotMatrixBoxes(img, [box(c[0]! - p, c[3]!, look), box(c[4]! - p, c[5]! + 6 * p, look)]);
    assert.equal(joined.length, 1, 'ERR and 62 become one box');
    const b = boxBounds(joined[0]!);
    assert.ok(b.x <= c[0]! && b.x + b.width >= c[5]! + 5 * p);
    const seg = frame([{ text: 'E 62', style: 'segments', at: 2 }], look);
    const s = box(seg.cells[0]![0]! - p, seg.cells[0]![1]!, look);
    assert.equal(extendDotMatrixBox(seg.img, s), s);
  });
});
