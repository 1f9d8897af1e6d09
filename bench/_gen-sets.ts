// Development aid: sets of one kind of frame, for hunting one kind of miss without reading a whole development set.
// Each subcommand is a former one-off generator (named in brackets; tests cite frames by them) and renders exactly
// the frames it did for the same arguments. Not measurement sets: measure on scripts/gen-panels*.ts sets.
//   node --import tsx bench/_gen-sets.ts SUBCOMMAND ARGS...   (no subcommand: the list)
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { availableFonts, renderFrame, type DisplayKind, type PanelLabel } from '../scripts/gen-panels.js';
import { frameSvg, generateDrawnPanelSet, type DrawnPanelLabel } from '../scripts/gen-panels-drawn.js';
import { seededRandom } from '../src/inference/selftest.js';

type Text = { text: string; kind: 'alarm' | 'status'; display: 'seven-segment' | 'fourteen-segment' | 'sixteen-segment' | 'dot-matrix' };
const SEVEN = /^[0-9ABCDEFHIJLNOPRSTUY .\-:]+$/;
const argv = process.argv.slice(2);
const [name, ...pos] = argv.filter((a) => !a.startsWith('--'));
const flag = (f: string): boolean => argv.includes(f);
const rng = (seed: number): (() => number) => seededRandom(seed);

/**
 * A drawn set of status frames only (OUT COUNT SEED from the command line), the texts drawn from the families
 * `families` makes with its random integer, each on one of `displays` (seven-segment only where it can draw the text).
 */
async function statusSet(seedOf: (seed: number) => number, families: (int: (lo: number, hi: number) => string) => Array<() => string>, displays: readonly Text['display'][]): Promise<void> {
  const [count, seed] = [Number(pos[1] ?? 60), Number(pos[2] ?? 1)];
  const r = rng(seedOf(seed));
  const statuses = families((lo, hi) => String(lo + Math.floor(r() * (hi - lo))));
  const texts = Array.from({ length: count }, () => {
    const text = statuses[Math.floor(r() * statuses.length)]!();
    let display = displays[Math.floor(r() * displays.length)]!;
    if (display === 'seven-segment' && !SEVEN.test(text)) display = 'fourteen-segment';
    return { text, kind: 'status' as const, display };
  });
  await generateDrawnPanelSet({ outDir: pos[0]!, count, seed, texts });
}

/** Frames FROM..TO-1 of a drawn-panel seed (as gen-panels-drawn.ts renders them at those indices) that `keep` accepts. */
async function drawnSubset(out: string, seed: number, from: number, to: number, keep: (l: DrawnPanelLabel) => boolean): Promise<void> {
  const run = promisify(execFile);
  const tmp = join(out, '.parts');
  mkdirSync(tmp, { recursive: true });
  const labels: DrawnPanelLabel[] = [];
  for (let i = from; i < to; i++) {
    const { svg, camera, label } = frameSvg(i, seededRandom(seed * 7919 + i * 31 + 5), { outDir: out, count: to, seed });
    if (!keep(label)) continue;
    const svgFile = join(tmp, `frame-${i}.svg`), png = join(tmp, `frame-${i}.png`);
    writeFileSync(svgFile, svg);
    await run('rsvg-convert', ['-o', png, svgFile]);
    const file = join(out, label.file);
    await run('convert', [png, '-alpha', 'off', ...camera, '-strip', ...(file.endsWith('.png') ? [`PNG24:${file}`] : [file])]);
    labels.push(label);
  }
  writeFileSync(join(out, 'labels.jsonl'), labels.map((l) => JSON.stringify(l)).join('\n') + '\n');
  process.stderr.write(`${labels.length} frames in ${out}\n`);
}

const commands: Record<string, { usage: string; run: () => Promise<void> }> = {
  drawn: {
    usage: 'drawn OUT SEED FROM TO [--dots] [--glare] [--streaks] [--alarms] [--ghosts] [--streak-ghosts]: frames FROM..TO-1 of a drawn-panel seed, only '
      + 'those that pass every filter given (dot-matrix displays, drawn with glare, with a glare streak, alarm frames, faint unlit segments, a glare streak over ghost segments) '
      + '[_drawn-subset.ts; --streak-ghosts: _glare41-streaks.ts]',
    run: () => drawnSubset(pos[0]!, Number(pos[1]), Number(pos[2]), Number(pos[3]), (l) => (!flag('--dots') || l.display === 'dot-matrix')
      && (!flag('--glare') || l.effects.some((e) => e.startsWith('glare'))) && (!flag('--streaks') || l.effects.includes('glare-streak'))
      && (!flag('--alarms') || !!l.alarm) && (!flag('--ghosts') || l.effects.includes('ghost-segments'))
      && (!flag('--streak-ghosts') || (l.effects.includes('glare-streak') && l.effects.includes('ghost-segments')))),
  },
  font: {
    usage: 'font OUT SEED FROM TO: frames FROM..TO-1 of a gen-panels.ts set (the frames a set of TO frames ends with) [_speed41-gen-tail.ts]',
    async run() {
      const [out, seed, from, to] = [pos[0]!, Number(pos[1]), Number(pos[2]), Number(pos[3])];
      const tmp = join(out, '.parts');
      mkdirSync(tmp, { recursive: true });
      const fonts = availableFonts();
      let next = from;
      const worker = async (): Promise<void> => {
        for (let i = next++; i < to; i = next++) await renderFrame(i, seededRandom(seed * 100003 + i), { outDir: out, count: to, seed }, fonts, tmp);
      };
      await Promise.all([worker(), worker()]);
      console.log(`frames ${from}..${to - 1} in ${out}`);
    },
  },
  statuses: {
    usage: 'statuses OUT [COUNT] [SEED]: drawn status frames only, every status family the generator draws, on any display [_status39-gen.ts]',
    run: () => statusSet((seed) => seed * 11 + 7, (int) => [() => `RUN ${int(50, 3600)}`, () => `SPEED ${int(50, 3600)}`, () => `TEMP ${int(15, 120)}C`,
      () => `LOAD ${int(1, 100)}%`, () => `SET ${int(50, 3600)}`, () => `PRES ${int(0, 10)}.${int(0, 10)}`, () => `FREQ ${int(5, 60)}.${int(0, 10)}`,
      () => `RPM ${int(50, 3600)}`, () => `${int(0, 999)}.${int(0, 10)}`, () => int(0, 9999), () => 'MODE AUTO', () => 'READY'],
    ['seven-segment', 'seven-segment', 'fourteen-segment', 'fourteen-segment', 'sixteen-segment', 'dot-matrix']),
  },
  'named-statuses': {
    usage: 'named-statuses OUT [COUNT] [SEED]: drawn named status lines only (RUN, FREQ, LOAD, SET, PRES, RPM, TEMP) on seven- and '
      + 'fourteen-segment displays [_status41-gen.ts]',
    run: () => statusSet((seed) => seed * 13 + 5, (int) => [() => `RUN ${int(50, 3600)}`, () => `FREQ ${int(5, 60)}.${int(0, 10)}`, () => `LOAD ${int(1, 100)}%`,
      () => `SET ${int(50, 3600)}`, () => `PRES ${int(0, 10)}.${int(0, 10)}`, () => `RPM ${int(50, 3600)}`, () => `TEMP ${int(15, 120)}C`],
    ['seven-segment', 'fourteen-segment']),
  },
  'letter-codes': {
    usage: 'letter-codes OUT [COUNT] [SEED]: drawn, three in four frames an alarm code with a letter prefix (FLT, ERR, ALM, C-, H, F, A, AL, '
      + 'E-), the rest statuses, on seven- and fourteen-segment displays [_i11ad-gen.ts]',
    async run() {
      const [count, seed] = [Number(pos[1] ?? 60), Number(pos[2] ?? 1)];
      const r = rng(seed * 7 + 3);
      const num = (n: number): string => Array.from({ length: n }, () => String(Math.floor(r() * 10))).join('');
      const codes = [() => `FLT ${num(2)}`, () => `ERR ${num(2)}`, () => `ERR-${num(3)}`, () => `ALM ${num(2)}`, () => `C-${num(2)}`,
        () => `H${num(2)}`, () => `F${num(2)}`, () => `A${num(2)}`, () => `AL${num(3)}`, () => `E-${num(3)}`];
      const statuses = [() => `RUN ${100 + Math.floor(r() * 3000)}`, () => `TEMP ${15 + Math.floor(r() * 90)}C`, () => 'MODE AUTO', () => `SET ${num(3)}`,
        () => `LOAD ${1 + Math.floor(r() * 99)}%`, () => 'READY', () => `RPM ${num(4)}`];
      const texts = Array.from({ length: count }, (_, i) => {
        const alarm = i % 4 !== 3;
        const pool = alarm ? codes : statuses;
        const text = pool[Math.floor(r() * pool.length)]!();
        const display = r() < 0.6 && SEVEN.test(text) ? 'seven-segment' as const : 'fourteen-segment' as const;
        return { text, kind: alarm ? 'alarm' as const : 'status' as const, display };
      });
      await generateDrawnPanelSet({ outDir: pos[0]!, count, seed, texts });
    },
  },
  'wide-segments': {
    usage: 'wide-segments OUT [COUNT] [SEED]: drawn fourteen- and sixteen-segment displays only (alternating), codes and statuses of the '
      + 'generator\'s families [_i11q-gen.mts]',
    async run() {
      const [count, seed] = [Number(pos[1] ?? 100), Number(pos[2] ?? 1)];
      let s = seed * 7919 + 17;
      const r = (): number => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
      const num = (n: number): string => Array.from({ length: n }, () => String(Math.floor(r() * 10))).join('');
      const pick = <T,>(a: T[]): T => a[Math.floor(r() * a.length)]!;
      const alarms = [() => `E-${num(3)}`, () => `E${num(2)}`, () => `E${num(3)}`, () => `AL${num(4)}`, () => `AL${num(3)}`, () => `F${num(2)}`,
        () => `F${num(3)}`, () => `ERR ${num(2)}`, () => `ERR-${num(3)}`, () => `A${num(2)}`, () => `ALM ${num(2)}`, () => `FLT ${num(2)}`,
        () => `F-${num(2)}`, () => `H${num(2)}`, () => `C-${num(2)}`];
      const statuses = [() => `RUN ${50 + Math.floor(r() * 3500)}`, () => `SPEED ${50 + Math.floor(r() * 3500)}`, () => `TEMP ${15 + Math.floor(r() * 100)}C`,
        () => `MODE ${pick(['AUTO', 'MANUAL', 'MAN'])}`, () => `LOAD ${1 + Math.floor(r() * 99)}%`, () => `RPM ${50 + Math.floor(r() * 3500)}`, () => 'READY'];
      const texts = Array.from({ length: count }, (_, i) => {
        const display = i % 2 ? 'sixteen-segment' as const : 'fourteen-segment' as const;
        return r() < 0.7 ? { text: pick(alarms)(), kind: 'alarm' as const, display } : { text: pick(statuses)(), kind: 'status' as const, display };
      });
      await generateDrawnPanelSet({ outDir: pos[0]!, count, seed, texts });
    },
  },
  dashed: {
    usage: 'dashed OUT COUNT SEED [--font=RE] [--only14]: gen-panels.ts frames whose codes hold a dash (ERR-ddd, E-ddd, C-dd, F-dd); '
      + '--font=RE only segment fonts whose file name matches, --only14 fourteen-segment only (else a third seven-segment) [_dash41-dashed.ts]',
    async run() {
      const [out, count, seed] = [pos[0]!, Number(pos[1]), Number(pos[2])];
      const fontRe = new RegExp(argv.find((a) => a.startsWith('--font='))?.slice(7) ?? '.');
      const r = rng(seed * 31 + 7);
      const d = (n: number): string => Array.from({ length: n }, () => String(Math.floor(r() * 10))).join('');
      const forms = [(): string => `ERR-${d(3)}`, (): string => `E-${d(3)}`, (): string => `C-${d(2)}`, (): string => `F-${d(2)}`];
      const texts = Array.from({ length: count }, (_, i) => ({
        text: forms[i % forms.length]!(), kind: 'alarm' as const, display: (!flag('--only14') && i % 3 === 2 ? 'seven-segment' : 'fourteen-segment') as DisplayKind,
      }));
      const all = availableFonts();
      const fonts = { ...all, 'seven-segment': all['seven-segment'].filter((f) => fontRe.test(f)), 'fourteen-segment': all['fourteen-segment'].filter((f) => fontRe.test(f)) };
      const tmp = join(out, '.parts');
      mkdirSync(tmp, { recursive: true });
      const labels: PanelLabel[] = [];
      // A display kind --font leaves no font for (DSEG7 names no fourteen-segment font) has its frames left out; the
      // others are drawn as they would be without the filter (each frame's randomness comes from its index).
      for (const kind of ['seven-segment', 'fourteen-segment'] as const) {
        if (!fonts[kind].length) process.stderr.write(`dashed: --font leaves no ${kind} font; its frames are left out\n`);
      }
      for (let i = 0; i < count; i++) {
        if (!fonts[texts[i]!.display as 'seven-segment' | 'fourteen-segment'].length) continue;
        labels.push(await renderFrame(i, seededRandom(seed * 100003 + i), { outDir: out, count, texts }, fonts, tmp));
      }
      writeFileSync(join(out, 'labels.jsonl'), labels.map((l) => JSON.stringify(l)).join('\n') + '\n');
    },
  },
};

const command = name ? commands[name] : undefined;
if (!command) {
  process.stderr.write(`usage: node --import tsx bench/_gen-sets.ts SUBCOMMAND ARGS...\n${Object.values(commands).map((c) => `  ${c.usage}`).join('\n')}\n`);
  process.exit(name ? 1 : 0);
}
await command.run();
