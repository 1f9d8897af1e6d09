// Stretching detector boxes over the whole code, piece by piece
// (line-extension.ts extendOverPieces) on drawn displays, no models: a tilted
// display whose box stops before the trailing 1, a 1 after a blank cell (ERR 11:
// a 1 lights only its cell's right segments), a leading letter whitened by
// glare and standing apart from the digits, unlit segments ahead of the code
// (not taken in), a window edge that looks like a
// stroke next to the first digit (the box must stop at the display's border),
// a glyph of another colour beside the line; a long row of digits is one line
// (display-regions.ts); a window outline and its text line stay two boxes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RgbImage } from '../../src/vision/image.js';
import { findStrokes } from '../../src/vision/ocr/display-regions.js';
import { extendOverPieces, joinOverlapping } from '../../src/vision/ocr/line-extension.js';
import { boxBounds, type Point, type TextBox } from '../../src/vision/ocr/text-boxes.js';

type Rgb = [number, number, number];
interface Rect { x0: number; y0: number; x1: number; y1: number; rgb: Rgb }

const SEGS: Record<string, string> = { '8': 'abcdefg', '1': 'bc', E: 'adefg', F: 'aefg', '3': 'abcdg' };
const CW = 44, CH = 70, T = 6, TOP = 85;

/** The segment rectangles of `ch` drawn in a cell at x (display coordinates). */
function glyph(ch: string, x: number, rgb: Rgb): Rect[] {
  const y = TOP, out: Rect[] = [];
  const r = (x0: number, y0: number, x1: number, y1: number): void => void out.push({ x0, y0, x1, y1, rgb });
  for (const s of SEGS[ch]!) {
    if (s === 'a') r(x + T, y, x + CW - T, y + T);
    if (s === 'g') r(x + T, y + CH / 2 - T / 2, x + CW - T, y + CH / 2 + T / 2);
    if (s === 'd') r(x + T, y + CH - T, x + CW - T, y + CH);
    if (s === 'f') r(x, y + T + 1, x + T, y + CH / 2 - T / 2 - 1);
    if (s === 'b') r(x + CW - T, y + T + 1, x + CW, y + CH / 2 - T / 2 - 1);
    if (s === 'e') r(x, y + CH / 2 + T / 2 + 1, x + T, y + CH - T - 1);
    if (s === 'c') r(x + CW - T, y + CH / 2 + T / 2 + 1, x + CW, y + CH - T - 1);
  }
  return out;
}

/**
 * A wall, a bezel, a window and the given rectangles, all turned by `angle` degrees about the image centre
 * (each pixel takes the colour of the display point it shows).
 */
function scene(W: number, H: number, window: { x0: number; x1: number; rgb: Rgb }, bezel: Rgb, marks: Rect[], angle = 0): RgbImage {
  const data = new Float32Array(W * H * 3);
  const cx = W / 2, cy = H / 2, c = Math.cos((angle * Math.PI) / 180), s = Math.sin((angle * Math.PI) / 180);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const u = cx + (x - cx) * c + (y - cy) * s, v = cy - (x - cx) * s + (y - cy) * c;
      let rgb: Rgb = [120, 118, 112];
      if (u >= window.x0 - 8 && u < window.x1 + 8 && v >= 52 && v < 188) rgb = bezel;
      if (u >= window.x0 && u < window.x1 && v >= 60 && v < 180) rgb = window.rgb;
      for (const m of marks) if (u >= m.x0 && u < m.x1 && v >= m.y0 && v < m.y1) rgb = m.rgb;
      data.set(rgb, (y * W + x) * 3);
    }
  }
  return { data, width: W, height: H };
}

/** A box given in display coordinates, turned like the scene. */
function turnedBox(W: number, H: number, x0: number, y0: number, x1: number, y1: number, angle = 0): TextBox {
  const cx = W / 2, cy = H / 2, c = Math.cos((angle * Math.PI) / 180), s = Math.sin((angle * Math.PI) / 180);
  const p = (u: number, v: number): Point => [cx + (u - cx) * c - (v - cy) * s, cy + (u - cx) * s + (v - cy) * c];
  return { points: [p(x0, y0), p(x1, y0), p(x1, y1), p(x0, y1)], score: 0.9 };
}

/** The extent of a (turned) box along the display's rows, in display coordinates. */
function alongRow(W: number, H: number, b: TextBox, angle = 0): { u0: number; u1: number } {
  const cx = W / 2, cy = H / 2, c = Math.cos((angle * Math.PI) / 180), s = Math.sin((angle * Math.PI) / 180);
  const us = b.points.map(([x, y]) => cx + (x - cx) * c + (y - cy) * s);
  return { u0: Math.min(...us), u1: Math.max(...us) };
}

const RED: Rgb = [255, 40, 30];
const BLACK: Rgb = [0, 0, 0];

describe('stretching a box over the whole code, piece by piece', () => {
  test('a display turned by 8°: the box over 8 8 8 is stretched over the trailing 1', () => {
    const W = 560, H = 300, angle = 8;
    const text = ['8', '8', '8', '1'].flatMap((ch, k) => glyph(ch, 100 + k * 70, RED));
    const img = scene(W, H, { x0: 62, x1: 440, rgb: BLACK }, [200, 200, 195], text, angle);
    const box = turnedBox(W, H, 90, 75, 100 + 2 * 70 + CW + 8, 165, angle);
    const { u0, u1 } = alongRow(W, H, extendOverPieces(box, findStrokes(img).pieces, img), angle);
    assert.ok(u1 >= 100 + 3 * 70 + CW - 2, `reaches the 1: ends at ${u1.toFixed(1)}`);
    assert.ok(u1 <= 100 + 3 * 70 + CW + 20, `not past its margin: ends at ${u1.toFixed(1)}`);
    assert.ok(Math.abs(u0 - 90) < 1, `the start is kept: ${u0.toFixed(1)}`);
  });

  test('unlit ("ghost") segments ahead of the code, the lit colour dimmed, do not stretch the box', () => {
    const W = 560, H = 300;
    const ghost: Rgb = [70, 12, 9];
    const marks = [...['8', '8'].flatMap((ch, k) => glyph(ch, 100 + k * 70, ghost)), ...['F', '3', '1'].flatMap((ch, k) => glyph(ch, 240 + k * 70, RED))];
    const img = scene(W, H, { x0: 62, x1: 460, rgb: BLACK }, [200, 200, 195], marks);
    const box = turnedBox(W, H, 230, 75, 240 + 2 * 70 + CW + 8, 165);
    const { u0 } = alongRow(W, H, extendOverPieces(box, findStrokes(img).pieces, img));
    assert.ok(Math.abs(u0 - 230) < 1, `the start is kept: ${u0.toFixed(1)}`);
  });

  test('a leading E whitened by glare, apart from the digits, is taken in; a glyph of another hue is not', () => {
    const W = 560, H = 300;
    const blue: Rgb = [40, 70, 160], glared: Rgb = [130, 160, 250];
    const digits = ['3', '8', '1'].flatMap((ch, k) => glyph(ch, 200 + k * 70, blue));
    const box = turnedBox(W, H, 190, 75, 200 + 2 * 70 + CW + 8, 165);
    const withE = scene(W, H, { x0: 62, x1: 440, rgb: BLACK }, [200, 200, 195], [...glyph('E', 100, glared), ...digits]);
    assert.equal(findStrokes(withE).lines.filter((l) => l.x < 150).length, 0, 'the E is no stroke line of its own, nor in the digits\' line');
    const { u0 } = alongRow(W, H, extendOverPieces(box, findStrokes(withE).pieces, withE));
    assert.ok(u0 <= 100 && u0 >= 85, `stretched over the E: starts at ${u0.toFixed(1)}`);
    const green: Rgb = [40, 220, 60];
    const withOther = scene(W, H, { x0: 62, x1: 440, rgb: BLACK }, [200, 200, 195], [...glyph('E', 100, green), ...digits]);
    assert.ok(Math.abs(alongRow(W, H, extendOverPieces(box, findStrokes(withOther).pieces, withOther)).u0 - 190) < 1, 'a green glyph beside blue digits is not theirs');
  });

  test('ERR 11: a 1 drawn at the right of its cell after a blank cell is taken in; one two blank cells away is not', () => {
    // Cells a pitch of 54 apart (44 wide): 8 8 8, a blank cell, then 1 1 (a 1 lights only its cell's right segments).
    const W = 560, H = 300, pitch = 54;
    const cells = ['8', '8', '8', ' ', '1', '1'];
    const text = cells.flatMap((ch, k) => (ch === ' ' ? [] : glyph(ch, 100 + k * pitch, RED)));
    const lastOne = 100 + 5 * pitch + CW;
    const img = scene(W, H, { x0: 62, x1: lastOne + 30, rgb: BLACK }, [200, 200, 195], text);
    const box = turnedBox(W, H, 90, 75, 100 + 2 * pitch + CW + 8, 165);
    const { u0, u1 } = alongRow(W, H, extendOverPieces(box, findStrokes(img).pieces, img));
    assert.ok(u1 >= lastOne - 2 && u1 <= lastOne + 20, `reaches the last 1: ends at ${u1.toFixed(1)}`);
    assert.ok(Math.abs(u0 - 90) < 1, `the start is kept: ${u0.toFixed(1)}`);
    // Two blank cells before the 1: farther than a glyph's pitch with a space, whatever its cell.
    const farText = ['8', '8', '8', ' ', ' ', '1'].flatMap((ch, k) => (ch === ' ' ? [] : glyph(ch, 100 + k * pitch, RED)));
    const far = scene(W, H, { x0: 62, x1: lastOne + 30, rgb: BLACK }, [200, 200, 195], farText);
    assert.ok(alongRow(W, H, extendOverPieces(box, findStrokes(far).pieces, far)).u1 < 100 + 3 * pitch, 'a lone 1 two cells on is not the line\'s');
  });

  test('a window edge that looks like a stroke beside the first digit does not stretch the box', () => {
    const W = 560, H = 300;
    const lcd: Rgb = [190, 200, 180], ink: Rgb = [30, 30, 30];
    const digits = ['8', '8', '3'].flatMap((ch, k) => glyph(ch, 100 + k * 70, ink));
    // A dark rim as tall as the digits along the window's left border, the grey bezel right beyond it.
    const rim: Rect = { x0: 62, y0: TOP, x1: 66, y1: TOP + CH, rgb: [0, 0, 0] };
    const img = scene(W, H, { x0: 62, x1: 440, rgb: lcd }, [90, 90, 90], [rim, ...digits]);
    const box = turnedBox(W, H, 90, 75, 100 + 2 * 70 + CW + 8, 165);
    const { u0 } = alongRow(W, H, extendOverPieces(box, findStrokes(img).pieces, img));
    assert.ok(u0 >= 85, `stops at the display's border: starts at ${u0.toFixed(1)}`);
    // The same mark inside the window, with the display's background on both sides, is a glyph (a 1).
    const inside: Rect = { ...rim, x0: 72, x1: 78 };
    const img2 = scene(W, H, { x0: 50, x1: 440, rgb: lcd }, [90, 90, 90], [inside, ...digits]);
    assert.ok(alongRow(W, H, extendOverPieces(box, findStrokes(img2).pieces, img2)).u0 <= 72, 'a 1 on the display is taken in');
  });
});

describe('display lines', () => {
  test('a row of six digits is one stroke line (longer than four heights)', () => {
    const text = ['8', '8', '3', '8', 'E', '8'].flatMap((ch, k) => glyph(ch, 90 + k * 70, RED));
    const img = scene(640, 260, { x0: 62, x1: 560, rgb: BLACK }, [200, 200, 195], text);
    const lines = findStrokes(img).lines;
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assert.ok(lines[0]!.width > 4.5 * lines[0]!.height, JSON.stringify(lines));
  });

  test('a window outline and the text line inside it stay two boxes; two words of one line become one', () => {
    const box = (x0: number, y0: number, x1: number, y1: number): TextBox => ({ points: [[x0, y0], [x1, y0], [x1, y1], [x0, y1]], score: 0 });
    const outline = box(160, 140, 300, 262), text = box(186, 166, 278, 224);
    assert.equal(joinOverlapping([outline, text]).length, 2);
    const words = joinOverlapping([box(100, 80, 300, 140), box(110, 82, 310, 141)]);
    assert.equal(words.length, 1);
    assert.deepEqual(boxBounds(words[0]!), { x: 100, y: 80, width: 210, height: 61 });
  });
});
