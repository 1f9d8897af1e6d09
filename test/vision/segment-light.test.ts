// The segment reader under bad light (segment-light.ts, segment-cells.ts,
// segment-glyphs.ts, segment-lattice.ts): display lines drawn with ImageMagick
// and fonts-dseg, then a lamp's reflection laid over them the way a camera
// sees it (a blurred grey ellipse, screen-composited: the background turns
// light and the strokes' contrast shrinks), or the exposure turned down with
// noise. Each line here was misread by the reader before it modelled the
// light: the glare taken for the background colour (strokes read inverted),
// glared segments dropped against one threshold, ghost segments read lit,
// the seven-/fourteen-segment choice swayed by a cell. (The two dim-display
// cases at the end guard against regressions; the old reader read them too.)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { RgbImage } from '../../src/vision/image.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { glyphLikelihoods } from '../../src/vision/ocr/segment-glyphs.js';
import { segmentReading } from '../../src/vision/ocr/segment-lattice.js';
import { JUDGEABLE_GAIN, lineLight } from '../../src/vision/ocr/segment-light.js';
import { tempDir } from '../helpers/tmp.js';
import { readPpm } from '../helpers/ppm.js';

const DSEG = '/usr/share/fonts/truetype/dseg';
const dir = tempDir('segment-light');

interface Draw {
  font: string;
  text: string;
  fg: string;
  bg: string;
  /** Unlit segments drawn faintly in this colour (every segment position of each cell). */
  ghost?: string;
  /** A lamp's reflection: centre x, y, radii, grey level 0..100 (screen-composited), blur sigma. */
  glare?: [number, number, number, number, number, number];
  /** Further ImageMagick operators (exposure, noise). */
  camera?: string[];
}

function draw(d: Draw): RgbImage {
  const file = join(dir, 'line.ppm');
  const f = ['-font', join(DSEG, `${d.font}.ttf`), '-pointsize', '56'];
  const all = d.text.replace(/[^ .]/g, d.font.startsWith('DSEG14') ? '~' : '8');
  const args = d.ghost
    ? ['-background', d.bg, '(', ...f, '-fill', d.ghost, `label:${all}`, ')', '(', '-background', 'none', ...f, '-fill', d.fg, `label:${d.text}`, ')',
      '-gravity', 'east', '-composite', '+gravity']
    : ['-background', d.bg, '-fill', d.fg, ...f, `label:${d.text}`];
  args.push('-bordercolor', d.bg, '-border', '14x10');
  if (d.glare) {
    const [x, y, rx, ry, grey, sigma] = d.glare;
    args.push('(', '+clone', '-fill', 'black', '-colorize', '100', '-fill', `gray(${grey}%)`, '-draw', `ellipse ${x},${y} ${rx},${ry} 0,360`,
      '-blur', `0x${sigma}`, ')', '-compose', 'screen', '-composite');
  }
  execFileSync('convert', [...args, ...(d.camera ?? []), '-depth', '8', file]);
  return readPpm(file);
}

/** The best glyph of each cell as its segments alone say (shapes: 1, -, .), spaces kept. */
function cellsRead(img: RgbImage): { text: string; segments: 7 | 14 } {
  const line = readSegmentCells(img);
  assert.ok(line, 'a segment line is found');
  const text = line.cells.map((c) => (c.spaceBefore ? ' ' : '') + (c.shape ?? [...glyphLikelihoods(c.lit, line.segments)].sort((a, b) => b[1] - a[1])[0]![0])).join('');
  return { text, segments: line.segments };
}

describe('segment lines under glare', () => {
  test('a lamp reflection over a pink LED: the strokes stay the lit colour (A56, not F56 with the glare taken for the background)', () => {
    const img = draw({ font: 'DSEG7Classic-LightItalic', text: 'A56', fg: '#ff5080', bg: '#000000', glare: [60, 45, 45, 40, 85, 12] });
    const light = lineLight(img)!;
    assert.equal(light.polarity, 'bright');
    assert.equal(cellsRead(img).text, 'A56');
  });

  test('glare over a green LED with ghost segments: glared lit segments count, unlit ones do not (F929, not F 29 or F329)', () => {
    const img = draw({ font: 'DSEG7Classic-Regular', text: 'F929', fg: '#36ff5a', bg: '#050805', ghost: '#1a2a1c', glare: [95, 45, 40, 38, 88, 10] });
    assert.equal(cellsRead(img).text, 'F929');
  });

  test('glare over a white LED with ghost segments, thin italic strokes: AL885 (was 11 885)', () => {
    const img = draw({ font: 'DSEG7ModernMini-LightItalic', text: 'AL885', fg: '#f4f4ff', bg: '#101010', ghost: '#2a2a2c', glare: [60, 45, 45, 40, 80, 12] });
    assert.equal(cellsRead(img).text, 'AL885');
  });

  test('glare over a dark-on-light LCD: the glared dash and 3 are read (E-317; was E 317)', () => {
    const img = draw({ font: 'DSEG7Modern-Regular', text: 'E-317', fg: '#1c2418', bg: '#9db38a', glare: [70, 45, 45, 40, 80, 12] });
    const light = lineLight(img)!;
    assert.equal(light.polarity, 'dark');
    assert.equal(cellsRead(img).text.replace(/ /g, ''), 'E-317');
  });

  test('glare over an amber LED: C-93 with the c and dash in the glare (was C 93)', () => {
    assert.equal(cellsRead(draw({ font: 'DSEG7Classic-Bold', text: 'C-93', fg: '#ffb020', bg: '#000000', glare: [60, 45, 50, 40, 75, 12] })).text, 'C-93');
  });

  test('fourteen segments on an inverted LCD, glare over the 7: ALM 72 (was ALM 73)', () => {
    const r = cellsRead(draw({ font: 'DSEG14Classic-Regular', text: 'ALM 72', fg: '#e8f4ff', bg: '#1438a0', glare: [200, 45, 50, 40, 85, 12] }));
    assert.equal(r.segments, 14);
    assert.equal(r.text, 'ALM 72');
  });

  test('seven segments decided for the line: rUn 751 on an inverted LCD under glare stays seven-segment and reads RUN (was N 751)', () => {
    const r = cellsRead(draw({ font: 'DSEG7ClassicMini-Bold', text: 'rUn 751', fg: '#f0f0f0', bg: '#202a60', glare: [70, 45, 50, 40, 80, 12] }));
    assert.equal(r.segments, 7);
    assert.equal(r.text, 'RUN 751');
  });

  test('the gain map: about 1 away from the glare, low under it, the glared background never taken for strokes', () => {
    const img = draw({ font: 'DSEG7Classic-Regular', text: '8888', fg: '#ff2a1a', bg: '#000000', glare: [40, 45, 30, 30, 95, 6] });
    const light = lineLight(img)!;
    const at = (x: number, y: number): number => light.gain[y * img.width + x]!;
    assert.ok(at(img.width - 10, 45) > 0.8, `gain far from the glare ${at(img.width - 10, 45)}`);
    assert.ok(at(40, 45) < 0.3, `gain under the glare ${at(40, 45)}`);
    // Stroke light is measured above the local background: the glare's own light is not stroke light.
    assert.ok(light.map[45 * img.width + 40]! < 0.5);
  });
});

describe('unjudged segments and dim displays', () => {
  test('segments glare left unjudged (NaN) speak for no glyph: 7 and 0 stay open when only a, b, c are seen lit', () => {
    const l = glyphLikelihoods({ a: 1, b: 1, c: 1, d: NaN, e: NaN, f: NaN, g: 0 }, 7);
    assert.ok(l.get('7')! > 0.3 && l.get('0')! > 0.3, `7 ${l.get('7')} 0 ${l.get('0')}`);
    // A judged dark middle bar still rules out the glyphs that light it.
    assert.ok(l.get('8')! < 0.05 * l.get('0')!);
    assert.ok(JUDGEABLE_GAIN > 0 && JUDGEABLE_GAIN < 0.5);
  });

  test('a cell glare left mostly unjudged is not read from its segments (the recogniser reads it)', () => {
    const dict = CharacterDictionary.fromKeys([...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.'], undefined);
    const line = {
      cells: [
        { x0: 0, x1: 30, lit: { a: 1, b: 0, c: 0, d: 1, e: 1, f: 1, g: 1 }, spaceBefore: false },
        { x0: 40, x1: 70, lit: { a: NaN, b: NaN, c: NaN, d: NaN, e: 1, f: NaN, g: NaN }, spaceBefore: false },
      ],
      segments: 7 as const, shear: 0, top: 0, bottom: 48,
    };
    const steps = 10, probs = new Float32Array(steps * dict.size);
    for (let t = 0; t < steps; t++) probs[t * dict.size] = 1;
    const r = segmentReading(line, { probs, offset: 0, steps, classes: dict.size }, dict, 80, 48)!;
    assert.equal(r.unexplained, 1);
  });

  test('thin Light italic strokes on an LCD with ghost segments, small: E69 (middle bars lit; the 9\'s upper left segment stays in its cell)', () => {
    for (const [fg, bg, ghost] of [['#222222', '#e0d89a', '#cbc48c'], ['#1c2418', '#9db38a', '#8fa47e']]) {
      for (const size of ['50%', '60%']) {
        const img = draw({ font: 'DSEG7ModernMini-LightItalic', text: 'E69', fg: fg!, bg: bg!, ghost, camera: ['-resize', size] });
        assert.equal(cellsRead(img).text, 'E69', `${fg} on ${bg} at ${size}`);
      }
    }
  });

  test('an under-exposed, noisy red LED with ghost segments: E69', () => {
    const img = draw({ font: 'DSEG7Classic-Italic', text: 'E69', fg: '#ff2a1a', bg: '#0b0303', ghost: '#2a0a08', camera: ['-modulate', '35', '-attenuate', '0.5', '+noise', 'Gaussian'] });
    assert.equal(cellsRead(img).text, 'E69');
  });
});
