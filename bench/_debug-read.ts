// bench/_ocr-debug.ts subcommands that show how each line of a frame is read: the lines as the reader reports them
// (lines), each line box's recogniser reading, segment-cell reading, grammar reading and the reading interpretLine
// chooses (read), and the line read on each of its views alone (views). Not a benchmark.
import { mkdirSync } from 'node:fs';
import { basename } from 'node:path';
import type { RgbImage } from '../src/vision/image.js';
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { dotCells } from '../src/vision/ocr/dot-cells.js';
import { dotMatrixLine, isDotMatrix, joinDots } from '../src/vision/ocr/dot-matrix.js';
import { enhanceForDisplay } from '../src/vision/ocr/enhance.js';
import { interpretLine } from '../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../src/vision/ocr/line-grammar.js';
import { litView } from '../src/vision/ocr/lit-view.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { segmentLikelihood } from '../src/vision/ocr/segment-confusion.js';
import { readSegmentCells } from '../src/vision/ocr/segment-cells.js';
import { segmentReading } from '../src/vision/ocr/segment-lattice.js';
import { replacesReading } from '../src/vision/ocr/view-choice.js';
import { eachLineCrop, latticeSteps, saveCrop, topClasses } from './_line-crops.js';
import { CATALOG_PATTERNS } from './_set.js';

export type Command = { usage: string; run: (files: string[], argv: string[]) => Promise<void> };

/** The grammar a subcommand reads with: the default, or the bench's catalog with --catalog. */
export const grammarOf = (argv: string[]): LineGrammar => new LineGrammar(argv.includes('--catalog') ? { alarmPatterns: CATALOG_PATTERNS } : {});
/** The value of --NAME=VALUE, if given. */
export const optionOf = (argv: string[], name: string): string | undefined => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

const fx = (v: number): string => v.toFixed(3);

export const readCommands: Record<string, Command> = {
  lines: {
    usage: 'lines FRAME... [--catalog]: the lines the reader reports (text, raw, kind, view, look that found it, box)',
    async run(files, argv) {
      const reader = await PanelReader.create({ reuseUnchanged: false });
      const round = (b: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, Math.round(v)]));
      for (const f of files) {
        console.log(f);
        for (const l of await reader.read(frameToRgb(await decodeImageFile(f)), { grammar: grammarOf(argv) })) {
          console.log('  ' + JSON.stringify({ text: l.text, raw: l.raw, kind: l.reading?.kind, view: l.view, confidence: +l.confidence.toFixed(2), found: l.found, box: round({ ...l.box }) }));
        }
      }
      await reader.close();
    },
  },
  read: {
    usage: 'read FRAME... [--catalog] [--steps] [--top] [--save=DIR]: per line box, the recogniser\'s greedy text, the dot-matrix measure, '
      + 'the segment cells\' reading, the grammar\'s reading and the one interpretLine chooses; --steps the three likeliest classes where the '
      + 'greedy path changes, --top the four likeliest at every step not surely blank, --save=DIR each crop as DIR/FRAME-line-N.png (scaled) and .ppm',
    async run(files, argv) {
      const grammar = grammarOf(argv), save = optionOf(argv, 'save');
      if (save) mkdirSync(save, { recursive: true });
      await eachLineCrop(files, async ({ file, index, crop: c, rec }, _r, reader) => {
        const dict = reader.dictionary;
        if (save) saveCrop(c, save, `${basename(file).replace(/\.\w+$/, '')}-line-${index}`);
        const line = readSegmentCells(c);
        const seg = line && line.cells.length >= 2 ? segmentReading(line, rec.lattice, dict, c.width, c.height) : null;
        const dm = dotMatrixLine(c), isDm = isDotMatrix(dm);
        const likely = segmentLikelihood(c, rec.greedy.text.replace(/[^\p{L}\p{N}]/gu, '').length, line);
        const g = grammar.readLine(rec.lattice, dict, { text: rec.greedy.text.trim(), confidence: rec.greedy.confidence }, { confusion: 0.04 + 0.26 * likely, segment: likely });
        const chosen = interpretLine(c, rec, dict, { grammar, dotMatrix: isDm });
        const out = [`greedy=${JSON.stringify(rec.greedy.text)} c=${fx(rec.greedy.confidence)} dots=${dm?.score.toFixed(2)}/${isDm}`
          + (seg ? ` cells=${JSON.stringify(seg.text)} ${line!.segments}seg fit=${seg.fit.toFixed(2)} unexpl=${seg.unexplained} gaps=${seg.gaps} hidden=${seg.hidden ?? 0} segc=${seg.confidence.toFixed(2)}` : ''),
        `    grammar (segment likelihood ${likely.toFixed(2)}): ${JSON.stringify(g)}`,
        `    → ${JSON.stringify(chosen.text)} ${chosen.reading?.kind} c=${fx(chosen.confidence)}${chosen.cells ? ' BY CELLS' : ''}`];
        if (argv.includes('--steps')) out.push(`    ${latticeSteps(rec.lattice, dict)}`);
        if (argv.includes('--top')) {
          for (let t = 0; t < rec.lattice.steps; t++) {
            const row = topClasses(rec.lattice, t, 4);
            if (row[0]![0] === 0 && row[0]![1] > 0.95) continue;
            out.push(`    t${t}: ` + row.map(([k, p]) => `${JSON.stringify(dict.chars[k] ?? '?')}:${fx(p)}`).join(' '));
          }
        }
        return out.join('\n');
      });
    },
  },
  views: {
    usage: 'views FRAME... [--catalog]: each line read on its plain crop (in the frame\'s batch) and, each alone in a batch, on its '
      + 'enhanced view, its dots joined at the measured pitch, its lit view; what interpretLine makes of each, whether view-choice.ts '
      + 'lets the enhanced reading replace the plain one, and the character cells a dot lattice\'s lit dots fill (dot-cells.ts)',
    async run(files, argv) {
      const grammar = grammarOf(argv);
      await eachLineCrop(files, async ({ crop, rec }, recognise, reader) => {
        const d = dotMatrixLine(crop);
        const seen = (name: string, r: typeof rec): string => {
          const i = interpretLine(crop, r, reader.dictionary, { grammar });
          return `    ${name.padEnd(8)} ${JSON.stringify(r.greedy.text)} c=${fx(r.greedy.confidence)} → ${JSON.stringify(i.text)} ${i.reading?.kind} c=${fx(i.confidence)} seg=${i.segment}${i.cells ? ' cells' : ''}`;
        };
        const out = [`dm=${d ? `${d.score.toFixed(2)}/p${d.pitch.toFixed(1)}/${d.polarity}` : '-'} dot cells=${dotCells(crop, d)}`, seen('plain', rec)];
        const views: Array<[string, RgbImage | null]> = [['enhanced', enhanceForDisplay(crop)], ['joined', d && d.pitch > 0 ? joinDots(crop, d) : null], ['lit', litView(crop)]];
        for (const [name, v] of views) {
          if (!v) continue;
          const [r] = await recognise([v]);
          out.push(seen(name, r!) + (name === 'enhanced' ? `  retried=${rec.greedy.confidence < 0.9} enhanced-wins=${replacesReading(r!.greedy, rec.greedy, grammar)}` : ''));
        }
        return out.join('\n');
      });
    },
  },
};
