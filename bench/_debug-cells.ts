// bench/_ocr-debug.ts subcommands that show what the cell readers see on a line: the segment cells readSegmentCells
// finds (cells), the lit view and glare gain as text (lit) or as an image beside the crop (lit-png), and the 5×7
// dots a dot-matrix line's characters sample to (rom). Not a benchmark.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeImageFile, encodeFramePng, frameToRgb, type RgbImage } from '../src/vision/image.js';
import { dotGlyphs, romDigit, romDigits } from '../src/vision/ocr/dot-rom-digits.js';
import { litView } from '../src/vision/ocr/lit-view.js';
import { cellLetter } from '../src/vision/ocr/cell-letters.js';
import { readSegmentCells } from '../src/vision/ocr/segment-cells.js';
import { lineLight } from '../src/vision/ocr/segment-light.js';
import { cellLikelihoods } from '../src/vision/ocr/segment16.js';
import { boxBounds } from '../src/vision/ocr/text-boxes.js';
import { optionOf, type Command } from './_debug-read.js';
import { eachLineCrop, saveCrop } from './_line-crops.js';

const two = (o: Record<string, number> | undefined): string => Object.entries(o ?? {}).map(([k, v]) => `${k}${(v ?? NaN).toFixed(2)}`).join(' ');

export const cellCommands: Record<string, Command> = {
  cells: {
    usage: 'cells FRAME... [--line=N] [--near-x=X] [--save=DIR]: each line box\'s segment cells: segments, shear and band, then per cell '
      + 'its extent, a space or dash before it, its shape, lit peak, lit level per segment, standing scores, the three likeliest '
      + 'glyphs and the code letter prefix-letter.ts names in it; --line / --near-x keep one line (by index, by box x within 40 px), '
      + '--save=DIR writes each crop kept, unscaled, as DIR/FRAME-line-N.png',
    async run(files, argv) {
      const only = optionOf(argv, 'line'), nearX = optionOf(argv, 'near-x'), save = optionOf(argv, 'save');
      if (save) mkdirSync(save, { recursive: true });
      await eachLineCrop(files, async ({ file, index, box, crop, rec }) => {
        if (only !== undefined && Number(only) !== index) return null;
        if (nearX !== undefined && Math.abs(boxBounds(box).x - Number(nearX)) > 40) return null;
        if (save) saveCrop(crop, save, `${basename(file).replace(/\.\w+$/, '')}-line-${index}`, true);
        const line = readSegmentCells(crop);
        if (!line) return `greedy=${JSON.stringify(rec.greedy.text)} no cells`;
        const rows = line.cells.map((c) => {
          const top = [...cellLikelihoods(c, line.segments)].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([ch, l]) => `${ch}:${l.toFixed(3)}`).join(' ');
          return `    [${c.x0.toFixed(0)}-${c.x1.toFixed(0)}]${c.spaceBefore ? ' SP' : ''}${c.dashBefore ? ' DASH?' : ''}${c.shape ? ` '${c.shape}'` : ''} peak=${(c.peak ?? NaN).toFixed(2)}`
            + ` ${top} letter=${cellLetter(c, line.segments !== 7)} | ${two(c.lit as Record<string, number>)}`
            + (c.standing ? `\n        standing: ${two(c.standing as Record<string, number>)}` : '')
            + (c.beside ? `\n        beside: ${two(c.beside as Record<string, number>)}` : '')
            + (c.cellWide ? `\n        cell wide: ${two(c.cellWide as Record<string, number>)}` : '');
        });
        return `greedy=${JSON.stringify(rec.greedy.text)} ${line.segments}seg shear=${line.shear.toFixed(3)} band=${line.top}..${line.bottom}\n${rows.join('\n')}`;
      });
    },
  },
  lit: {
    usage: 'lit FRAME...: each line crop\'s lit view (lit-view.ts) as text, \'#\' full ink, \'+\' part, \'.\' none, then its glare gain '
      + '(segment-light.ts) in tenths (\'9\' 0.9 or more): where unlit ("ghost") segments or a streak come out as ink',
    async run(files) {
      const COLS = 90;
      await eachLineCrop(files, async ({ crop }) => {
        if (crop.width < 40) return null;
        const lit = litView(crop), light = lineLight(crop);
        if (!lit || !light) return 'no light';
        const s = Math.max(1, crop.width / COLS), rows = Math.max(1, Math.round(crop.height / (2 * s)));
        const ink: string[] = [], gain: string[] = [];
        for (let r = 0; r < rows; r++) {
          let a = '', g = '';
          for (let c = 0; c < Math.min(COLS, Math.floor(crop.width / s)); c++) {
            const i = Math.min(crop.height - 1, Math.floor((r + 0.5) * 2 * s)) * crop.width + Math.floor((c + 0.5) * s);
            const v = 1 - lit.data[3 * i]! / 255;
            a += v > 0.9 ? '#' : v > 0.2 ? '+' : '.';
            g += String(Math.min(9, Math.floor(light.gain[i]! * 10)));
          }
          ink.push(`    ${a}`); gain.push(`    ${g}`);
        }
        return `\n${ink.join('\n')}\n${gain.join('\n')}`;
      });
    },
  },
  'lit-png': {
    usage: 'lit-png CROP.png...: writes each saved line crop (read --save, cells --save) with its lit view below it, scaled 4×, as CROP-lit.png',
    async run(files) {
      const SCALE = 4;
      for (const file of files) {
        const crop: RgbImage = frameToRgb(await decodeImageFile(file));
        const lit = litView(crop);
        if (!lit) { process.stdout.write(`${file}: no lit view\n`); continue; }
        const w = crop.width, h = crop.height, W = w * SCALE, H = 2 * h * SCALE;
        const data = Buffer.alloc(W * H * 3);
        for (let y = 0; y < H; y++) {
          for (let x = 0; x < W; x++) {
            const sx = Math.floor(x / SCALE), sy = Math.floor(y / SCALE) % h, src = y < h * SCALE ? crop : lit;
            for (let c = 0; c < 3; c++) data[3 * (y * W + x) + c] = Math.max(0, Math.min(255, Math.round(src.data[3 * (sy * w + sx) + c]!)));
          }
        }
        const out = file.replace(/\.png$/, '-lit.png');
        writeFileSync(out, await encodeFramePng({ data, width: W, height: H, channels: 3 } as never));
        process.stdout.write(`${out}\n`);
      }
    },
  },
  rom: {
    usage: 'rom LINE.png [TEXT]: the 5×7 dots dot-rom-digits.ts samples per character of a saved dot-matrix line crop, the digit each '
      + 'spells, and what romDigits makes of a reading TEXT',
    async run([file, text]) {
      const img = frameToRgb(await decodeImageFile(file!));
      const glyphs = dotGlyphs(img);
      for (const g of glyphs ?? []) {
        if (!g) { console.log('(no full cell)'); continue; }
        for (let r = 0; r < 7; r++) console.log(g.slice(5 * r, 5 * r + 5).map((b) => (b ? '#' : '.')).join(''));
        console.log(romDigit(g) ?? '-', '');
      }
      console.log(glyphs?.length, 'runs;', JSON.stringify(romDigits(img, text ?? '')));
    },
  },
};
