// Development aid: the line crops of a generated set kept once, with the recogniser's likeliest classes per step, so
// that the line choice or the dot-matrix measure can be re-run on them in seconds while they change (no detector, no
// recogniser, no frame logic). Not a benchmark.
//   node --import tsx bench/_kept-crops.ts keep DIR FROM COUNT OUTDIR
//     finds each frame's line boxes with the real detector and recogniser and keeps every crop whose centre lies on
//     the display (OUTDIR/FRAME-N.ppm) and the index OUTDIR/crops.json (label, lines, top classes per step)
//   node --import tsx bench/_kept-crops.ts lines CROPDIR... [--all] [--display=KIND]
//     the whole line choice (line-arbitration.ts interpretLine with the segment reader and the default grammar, no
//     catalog) with the kept classes as the lattice: per frame the alarm codes its display's lines give against the
//     label; prints the misses (or --all) with each line's recogniser text, chosen text and cells, then a tally
//   node --import tsx bench/_kept-crops.ts dots CROPDIR... [--all] [--save=DIR]
//     the dot-matrix measure (dot-matrix.ts) per kept line, by display kind, the lines on the wrong side of
//     DOT_MATRIX_SCORE (or --all), and the quantiles; --save=DIR writes each dot-matrix line's joined dots
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PanelLabel } from '../scripts/gen-panels.js';
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import type { Lattice } from '../src/vision/ocr/constrained-ctc.js';
import { CharacterDictionary } from '../src/vision/ocr/ctc.js';
import { DOT_MATRIX_SCORE, dotMatrixLine, joinDots } from '../src/vision/ocr/dot-matrix.js';
import { interpretLine } from '../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../src/vision/ocr/line-grammar.js';
import { bundledOcrModels, PanelReader } from '../src/vision/ocr/panel-reader.js';
import { boxBounds, cropTextBox } from '../src/vision/ocr/text-boxes.js';
import { readPpm, recogniserOf, topClasses, writePpm } from './_line-crops.js';
import { norm, readLabels } from './_set.js';

interface Kept { file: string; x: number; greedy: string; confidence: number; classes: number; steps: Array<Array<[number, number]>> }
type KeptFrame = PanelLabel & { lines: Kept[] };
const argv = process.argv.slice(2);
const [name, ...pos] = argv.filter((a) => !a.startsWith('--'));
const showAll = argv.includes('--all');
const option = (o: string): string | undefined => argv.find((a) => a.startsWith(`--${o}=`))?.slice(o.length + 3);
const framesOf = (dir: string): KeptFrame[] => JSON.parse(readFileSync(join(dir, 'crops.json'), 'utf8')) as KeptFrame[];
/** The kept classes of a line as a lattice (the classes not kept at a step have probability 0). */
const latticeOf = (k: Kept): Lattice => {
  const probs = new Float32Array(k.steps.length * k.classes);
  k.steps.forEach((row, t) => { for (const [c, p] of row) probs[t * k.classes + c] = p; });
  return { probs, offset: 0, steps: k.steps.length, classes: k.classes };
};

if (name === 'keep') {
  const [dir, from, count, out] = [pos[0]!, Number(pos[1] ?? 0), Number(pos[2] ?? 40), pos[3]];
  if (!out) throw new Error('usage: _kept-crops.ts keep DIR FROM COUNT OUTDIR');
  mkdirSync(out, { recursive: true });
  const reader = await PanelReader.create({ reuseUnchanged: false });
  const recognise = recogniserOf(reader);
  const index: KeptFrame[] = [];
  for (const l of readLabels(dir, { from, count })) {
    const rgb = frameToRgb(await decodeImageFile(join(dir, l.file)));
    const p = l.panel;
    const onDisplay = (await reader.lineBoxes(rgb)).boxes.filter((b) => {
      const r = boxBounds(b), cx = r.x + r.width / 2, cy = r.y + r.height / 2;
      return cx >= p.x && cx <= p.x + p.width && cy >= p.y && cy <= p.y + p.height;
    });
    const crops = onDisplay.map((b) => cropTextBox(rgb, b));
    const recs = crops.length ? await recognise(crops) : [];
    const lines = crops.map((c, i) => {
      const file = `${l.file.replace(/\.\w+$/, '')}-${i}.ppm`;
      writePpm(join(out, file), c);
      const { lattice, greedy } = recs[i]!;
      const steps = Array.from({ length: lattice.steps }, (_, t) => topClasses(lattice, t, 6).map(([k, v]) => [k, Math.round(v * 1e4) / 1e4] as [number, number]));
      return { file, x: boxBounds(onDisplay[i]!).x, greedy: greedy.text, confidence: greedy.confidence, classes: lattice.classes, steps };
    });
    index.push({ ...l, lines });
    process.stderr.write('.');
  }
  writeFileSync(join(out, 'crops.json'), JSON.stringify(index));
  process.stderr.write(`\n${index.length} frames\n`);
  await reader.close();
} else if (name === 'lines') {
  const grammar = new LineGrammar(), only = option('display');
  let dict: CharacterDictionary | null = null;
  const tally = new Map<string, { right: number; n: number }>();
  let statusAsAlarm = 0;
  for (const dir of pos) {
    for (const f of framesOf(dir)) {
      if (only && f.display !== only) continue;
      const codes = new Set<string>();
      const shown: string[] = [];
      for (const k of [...f.lines].sort((a, b) => a.x - b.x)) {
        dict ??= await CharacterDictionary.load(bundledOcrModels().dictionary, k.classes);
        const it = interpretLine(readPpm(join(dir, k.file)), { greedy: { text: k.greedy, confidence: k.confidence }, lattice: latticeOf(k) }, dict, { grammar });
        if (it.reading?.kind === 'alarm') codes.add(norm(it.reading.code ?? it.reading.text));
        shown.push(`${JSON.stringify(k.greedy)}→${JSON.stringify(it.text)}${it.reading?.kind === 'alarm' ? '!' : ''}${it.cells !== undefined ? ` {${it.cells}}` : ''}`);
      }
      const ok = f.alarm ? codes.size === 1 && codes.has(norm(f.alarm)) : codes.size === 0;
      if (!f.alarm && codes.size) statusAsAlarm++;
      const key = `${f.display} ${f.alarm ? 'alarm' : 'status'}`;
      const t = tally.get(key) ?? { right: 0, n: 0 };
      t.n++;
      if (ok) t.right++;
      tally.set(key, t);
      if (showAll || !ok) process.stdout.write(`${ok ? 'right' : 'MISS '} ${f.file} ${f.font} [${f.effects.join(',')}] "${f.text}" → [${[...codes].join(',')}] ${shown.join('  ')}\n`);
    }
  }
  let r = 0, n = 0;
  for (const [k, t] of [...tally].sort()) { process.stdout.write(`${k.padEnd(28)} ${t.right}/${t.n}\n`); if (k.endsWith('alarm')) { r += t.right; n += t.n; } }
  process.stdout.write(`alarm frames right ${r}/${n} = ${(r / Math.max(1, n)).toFixed(3)}; status frames read as alarms ${statusAsAlarm}\n`);
} else if (name === 'dots') {
  const save = option('save');
  if (save) mkdirSync(save, { recursive: true });
  const scores = new Map<string, number[]>();
  let ms = 0, n = 0;
  for (const dir of pos) {
    for (const f of framesOf(dir)) {
      for (const k of f.lines) {
        const img = readPpm(join(dir, k.file));
        const t = performance.now();
        const d = dotMatrixLine(img);
        ms += performance.now() - t;
        n++;
        const s = d ? d.score : -1;
        scores.set(f.display, [...(scores.get(f.display) ?? []), s]);
        const dm = f.display === 'dot-matrix';
        if (showAll || (dm && s < DOT_MATRIX_SCORE) || (!dm && s >= DOT_MATRIX_SCORE)) {
          process.stdout.write(`${f.display.padEnd(17)} ${s.toFixed(3)} p=${d?.pitch.toFixed(1)} dn=${d?.down.toFixed(2)} ac=${d?.across.toFixed(2)} ${img.width}x${img.height} ${dir.split('/').pop()}/${k.file} "${f.text}" rec="${k.greedy}" [${f.effects.join(',')}] ${f.font}\n`);
        }
        if (save && d && dm) writePpm(join(save, k.file.replace('.ppm', '-joined.ppm')), joinDots(img, d));
      }
    }
  }
  const q = (v: number[], p: number): number => [...v].sort((a, b) => a - b)[Math.round(p * (v.length - 1))]!;
  for (const [k, v] of [...scores].sort()) {
    const above = v.filter((s) => s >= DOT_MATRIX_SCORE).length;
    process.stdout.write(`${k.padEnd(17)} lines ${v.length}  ≥${DOT_MATRIX_SCORE}: ${above}  min ${q(v, 0).toFixed(3)} p10 ${q(v, 0.1).toFixed(3)} median ${q(v, 0.5).toFixed(3)} p90 ${q(v, 0.9).toFixed(3)} max ${q(v, 1).toFixed(3)}\n`);
  }
  process.stdout.write(`${(ms / Math.max(1, n)).toFixed(2)} ms per line\n`);
} else {
  process.stderr.write('usage: bench/_kept-crops.ts keep DIR FROM COUNT OUTDIR | lines CROPDIR... [--all] [--display=KIND] | dots CROPDIR... [--all] [--save=DIR]\n');
  process.exit(1);
}
