// bench/_ocr-debug.ts subcommands about one box of a frame and what lies past its ends: the box read as the reader
// reads it with the box-end cues and stroke pieces near it (box), the widened crop's luminance as text (past), bare
// numbers read again on crops widened to the left (wide), and one line crop written out for a test fixture (save).
// Not a benchmark.
import { execFileSync } from 'node:child_process';
import type { RgbImage } from '../src/vision/image.js';
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { cutEnds, emitsAtEnd, endsToReRead, luminance, widenBox, widenedFor } from '../src/vision/ocr/box-ends.js';
import { findStrokes } from '../src/vision/ocr/display-regions.js';
import { glarePastEnds } from '../src/vision/ocr/glare-past-ends.js';
import { inkPastEnds } from '../src/vision/ocr/ink-past-ends.js';
import { interpretLine } from '../src/vision/ocr/line-arbitration.js';
import { extendOverPieces } from '../src/vision/ocr/line-extension.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cropTextBox } from '../src/vision/ocr/text-boxes.js';
import { grammarOf, optionOf, type Command } from './_debug-read.js';
import { axisBox, recogniserOf, writePpm } from './_line-crops.js';

const frameOf = async (file: string): Promise<RgbImage> => frameToRgb(await decodeImageFile(file));
const boxArgs = (n: string[]): ReturnType<typeof axisBox> => { const [x, y, w, h] = n.map(Number) as [number, number, number, number]; return axisBox(x, y, w, h); };

export const boxCommands: Record<string, Command> = {
  box: {
    usage: 'box FRAME X Y W H [--catalog]: the axis-aligned box (as the other subcommands print boxes) read as the reader reads it, its '
      + 'box-end cues (cutEnds, emitsAtEnd, inkPastEnds, glarePastEnds), the reading on the box widened where endsToReRead asks, the '
      + 'stroke pieces (findStrokes) near it with their colour and the box extendOverPieces makes of it',
    async run([file, ...n], argv) {
      const reader = await PanelReader.create({ reuseUnchanged: false });
      const recognise = recogniserOf(reader), grammar = grammarOf(argv);
      const img = await frameOf(file!), box = boxArgs(n);
      const [x, y, w, h] = n.map(Number) as [number, number, number, number];
      const crop = cropTextBox(img, box);
      const [r] = await recognise([crop]);
      const line = interpretLine(crop, r!, reader.dictionary, { grammar });
      console.log(`greedy=${JSON.stringify(r!.greedy.text)} → ${JSON.stringify(line.text)} ${line.reading?.kind} c=${line.confidence.toFixed(3)} seg=${line.segment}`);
      console.log('cutEnds', cutEnds(crop), 'emitsAtEnd', emitsAtEnd(r!.lattice), 'inkPastEnds', inkPastEnds(img, box), 'glarePastEnds', glarePastEnds(img, box));
      const e = endsToReRead(line, crop, r!.lattice, () => inkPastEnds(img, box));
      console.log('endsToReRead', e);
      if (e) {
        const wc = cropTextBox(img, widenedFor(box, e));
        const [r2] = await recognise([wc]);
        const l2 = interpretLine(wc, r2!, reader.dictionary, { grammar });
        console.log(`wider greedy=${JSON.stringify(r2!.greedy.text)} → ${JSON.stringify(l2.text)} ${l2.reading?.kind} c=${l2.confidence.toFixed(3)}`);
      }
      await reader.close();
      const { pieces } = findStrokes(img);
      for (const p of pieces) {
        if (p.x + p.width < x - 3 * h || p.x > x + w + 3 * h || p.y + p.height < y - h || p.y > y + 2 * h) continue;
        console.log(`piece x=${p.x.toFixed(0)} y=${p.y.toFixed(0)} w=${p.width.toFixed(0)} h=${p.height.toFixed(0)} rgb=${p.rgb.map((c) => c.toFixed(0)).join(',')}`);
      }
      console.log('extended', JSON.stringify(extendOverPieces(box, pieces, img).points.map((p) => p.map((c) => Math.round(c)))));
    },
  },
  past: {
    usage: 'past FRAME X Y W H [--tail=N]: the crop of the box widened at both ends (box-ends.ts widenBox) as ASCII luminance, every '
      + 'second row; --tail=N only its last N columns (every third column and sixth row on a large crop), to see what lies past its end',
    async run([file, ...n], argv) {
      const c = cropTextBox(await frameOf(file!), widenBox(boxArgs(n), true, true));
      const tail = optionOf(argv, 'tail');
      const x0 = tail ? Math.max(0, c.width - Number(tail)) : 0, dx = tail && c.width > Number(tail) ? 3 : 1, dy = tail && c.height > 60 ? 6 : 2;
      console.log(c.width, c.height);
      for (let yy = 0; yy < c.height; yy += dy) {
        let s = '';
        for (let xx = x0; xx < c.width; xx += dx) s += ' .:-=+*#%@'[Math.min(9, Math.floor(luminance(c, xx, yy) / 25.6))];
        console.log(String(yy).padStart(3), s);
      }
    },
  },
  wide: {
    usage: 'wide FRAME: each line read as a bare number (a status value, no letters) read again on crops widened to the left by 1.5 to '
      + '3.5 box heights, plain and with the crop\'s slow light (glare) taken out: did the box leave a code\'s letters out?',
    async run([file]) {
      const reader = await PanelReader.create({ reuseUnchanged: false });
      const recognise = recogniserOf(reader), grammar = grammarOf([]);
      const img = await frameOf(file!);
      for (const l of await reader.read(img, { grammar })) {
        console.log(`line ${JSON.stringify(l.text)} ${l.reading?.kind} seg=${l.segment} c=${l.confidence.toFixed(2)} box=${JSON.stringify(l.box)}`);
        if (!/^-?\d{1,4}$/.test(l.text.replace(/\s+/g, ''))) continue;
        const box = axisBox(l.box.x, l.box.y, l.box.width, l.box.height);
        for (const by of [1.5, 2, 2.5, 3, 3.5]) {
          const crop = cropTextBox(img, widenBox(box, true, false, by));
          for (const [name, c] of [['plain', crop], ['flat', flattened(crop)]] as const) {
            const [r] = await recognise([c]);
            const i = interpretLine(c, r!, reader.dictionary, { grammar });
            console.log(`   by=${by} ${name}: greedy=${JSON.stringify(r!.greedy.text)} c=${r!.greedy.confidence.toFixed(2)} → ${JSON.stringify(i.text)} ${i.reading?.kind} c=${i.confidence.toFixed(2)}`);
          }
        }
      }
      await reader.close();
    },
  },
  save: {
    usage: 'save FRAME WIDTHxHEIGHT OUT.png: the frame\'s line crop of that size (as the other subcommands print it), unscaled, as PNG '
      + '(for a test fixture under test/fixtures/); X,Y,W,H in place of the size: that axis-aligned box\'s crop (a box the reader widened)',
    async run([file, size, out]) {
      const reader = await PanelReader.create({ reuseUnchanged: false });
      const img = await frameOf(file!);
      const crop = size!.includes(',') ? cropTextBox(img, boxArgs(size!.split(',')))
        : (await reader.lineBoxes(img)).boxes.map((b) => cropTextBox(img, b)).find((c) => `${c.width}x${c.height}` === size);
      await reader.close();
      if (!crop) throw new Error(`no line crop of ${size}`);
      writePpm(`${out}.ppm`, crop);
      execFileSync('convert', [`${out}.ppm`, out!]);
      execFileSync('rm', [`${out}.ppm`]);
    },
  },
};

/** The crop with a wide box blur of its grey level taken out per pixel, stretched back to 0..255 (dev only). */
function flattened(c: RgbImage): RgbImage {
  const w = c.width, h = c.height, r = Math.max(2, Math.round(h * 0.6));
  const g = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) g[i] = 0.299 * c.data[3 * i]! + 0.587 * c.data[3 * i + 1]! + 0.114 * c.data[3 * i + 2]!;
  const bg = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let s = 0, n = 0;
    for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy += 2) for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx += 2) { s += g[yy * w + xx]!; n++; }
    bg[y * w + x] = s / n;
  }
  const d = new Float32Array(w * h);
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < w * h; i++) { d[i] = g[i]! - bg[i]!; lo = Math.min(lo, d[i]!); hi = Math.max(hi, d[i]!); }
  const out = new Float32Array(3 * w * h);
  for (let i = 0; i < w * h; i++) { const v = (255 * (d[i]! - lo)) / Math.max(1, hi - lo); out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = v; }
  return { width: w, height: h, data: out };
}
