// A lit last glyph is no ghost because a haze of light darkens towards the line's end (ghost-characters.ts). A
// character's strength was only its contrast against the window's middle ground (the median of the crop's top and
// bottom rows). Under a haze that fades towards one end (a glare wash over a blurred dot-matrix LED), a glyph where the
// haze has faded stands as far above its own ground as the others stand above theirs, yet measures weak against the
// middle ground: F81 was reported F8. A character is now weak only when it is also weak against its own ground (the
// rows right above and below it). The line is drawn here in code, with the light a held frame measured (the middle
// ground 66; the F's own ground 94, the 8's 106 under the haze, the 1's 40), so no model is needed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RgbImage } from '../../src/vision/image.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import { ghostEnds } from '../../src/vision/ocr/ghost-characters.js';
import { latticeOf } from '../helpers/lattice.js';

const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.:%'];
const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 2);
const W = 170, H = 40;

/** The window's ground along the line: a haze brightest over the 8, fading to dark past the 1. */
const HAZE: ReadonlyArray<readonly [number, number]> = [[0, 60], [18, 94], [56, 115], [80, 80], [101, 40], [W, 40]];
function ground(x: number): number {
  for (let i = 1; i < HAZE.length; i++) {
    const [x0, y0] = HAZE[i - 1]!, [x1, y1] = HAZE[i]!;
    if (x <= x1) return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  return HAZE[HAZE.length - 1]![1];
}

/** Which glyph (F, 8, 1) inks a pixel, if any: bars 4 px wide, rows 6 to 34. */
function glyphAt(x: number, y: number): 'F' | '8' | '1' | null {
  if (y < 6 || y > 34) return null;
  const bar = y <= 9 || (y >= 19 && y <= 22);
  if (x >= 10 && x <= 26 && (x <= 13 || bar)) return 'F';
  if (x >= 48 && x <= 64 && (x <= 51 || x >= 61 || bar || y >= 31)) return '8';
  if (x >= 100 && x <= 103) return '1';
  return null;
}

/** The line with each glyph lit `ink` grey levels above the ground under it (the 1 at `oneInk`). */
function line(ink: number, oneInk: number): RgbImage {
  const data = new Float32Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const g = glyphAt(x, y);
      data.fill(ground(x) + (g === '1' ? oneInk : g ? ink : 0), 3 * (y * W + x), 3 * (y * W + x) + 3);
    }
  }
  return { data, width: W, height: H };
}

/** The recogniser's lattice of the line: F, 8 and 1 emitted surely at the steps over their middles, blank elsewhere. */
function lattice() {
  const steps = Math.ceil((48 * W) / H / 8);
  const at = (x: number): number => Math.round(x / ((8 / 48) * H) - 0.5);
  const s: Array<Record<string, number>> = Array.from({ length: steps }, () => ({}));
  s[at(18)] = { F: 0.97 };
  s[at(56)] = { '8': 0.97 };
  s[at(101)] = { '1': 0.97 };
  return latticeOf(dict, s);
}

describe('a haze fading along a line does not make its lit last glyph a ghost', () => {
  test('F81 with its 1 where the haze has faded keeps its 1', () => {
    assert.equal(ghostEnds(line(75, 75), lattice(), dict), null);
  });

  test('a last upright lit faintly above its own ground is still a ghost', () => {
    assert.equal(ghostEnds(line(75, 15), lattice(), dict)?.trail, 1);
  });
});
