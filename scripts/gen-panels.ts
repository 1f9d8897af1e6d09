// Development set for panel reading: full camera-sized frames (640×360 …
// 1920×1080) of a cluttered machine scene with one panel display somewhere in
// it, showing an alarm code or a status line. Displays are drawn with every
// DSEG7/DSEG14 variant of Debian's fonts-dseg, dot-matrix and terminal fonts
// where installed, and plain fonts (DejaVu, Liberation); LED colours, LCD
// backlights, inverted LCDs, unlit "ghost" segments, glare, dark and
// over-exposed scenes, blur, noise, tilt and JPEG. Deterministic from a seed.
//
//   node --import tsx scripts/gen-panels.ts [--out DIR] [--count N] [--seed S]
//
// Writes DIR/NNNN-*.{jpg,png} and DIR/labels.jsonl (one PanelLabel per line).
// Needs ImageMagick `convert`/`identify`, fonts-dseg and fonts-dejavu-core.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { seededRandom } from '../src/inference/selftest.js';

const run = promisify(execFile);

export type DisplayKind = 'seven-segment' | 'fourteen-segment' | 'dot-matrix' | 'plain';

export interface PanelLabel {
  file: string;
  width: number;
  height: number;
  /** What the display shows, upper case, as a person reads it. */
  text: string;
  kind: 'alarm' | 'status';
  /** The alarm code (kind alarm), else null. */
  alarm: string | null;
  /** Name and value of a status line (kind status); name is '' for a bare value. */
  status?: { name: string; value: string };
  display: DisplayKind;
  font: string;
  effects: string[];
  /** Where the panel lies in the frame (before tilt). */
  panel: { x: number; y: number; width: number; height: number };
}

export interface GenerateOptions {
  outDir: string;
  count: number;
  seed?: number;
  /** Frame sizes to draw from (default 640×360 … 1920×1080). */
  sizes?: Array<[number, number]>;
  /** Only these display kinds (default all). */
  displays?: DisplayKind[];
  /** Fixed texts instead of random ones (cycled), optionally on a given kind of display. */
  texts?: Array<{ text: string; kind: 'alarm' | 'status'; display?: DisplayKind }>;
  /** Clean frames only: no blur, noise, glare, dark or JPEG (for small test sets). */
  clean?: boolean;
}

const DSEG_DIR = '/usr/share/fonts/truetype/dseg';
const SIZES: Array<[number, number]> = [[640, 360], [800, 450], [960, 540], [1024, 576], [1280, 720], [1920, 1080]];
/** Characters a seven-segment display can show legibly (as upper case). */
const SEVEN_SEG_OK = /^[0-9ABCDEFHIJLNOPRSTUY .\-]+$/;

function fontsOf(dir: string, match: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => match.test(f)).sort().map((f) => join(dir, f));
}

export function availableFonts(): Record<DisplayKind, string[]> {
  // DSEG7SEGGCHAN draws each digit as a cartoon face: a novelty, not a display.
  const seven = fontsOf(DSEG_DIR, /^DSEG7(?!SEGGCHAN).*\.ttf$/);
  const fourteen = fontsOf(DSEG_DIR, /^DSEG14.*\.ttf$/);
  if (!seven.length || !fourteen.length) throw new Error(`fonts-dseg is not installed (${DSEG_DIR}); apt-get install fonts-dseg`);
  const plain = [
    ...fontsOf('/usr/share/fonts/truetype/dejavu', /^DejaVuSans(Mono|Condensed)?(-Bold)?\.ttf$/),
    ...fontsOf('/usr/share/fonts/truetype/liberation2', /^Liberation(Sans|Mono)-(Regular|Bold)\.ttf$/),
  ];
  const dot = [...fontsOf('/usr/share/fonts/truetype/dotgothic16', /\.ttf$/), ...fontsOf('/usr/share/fonts/truetype/3270', /\.ttf$/)];
  // A set made with fewer fonts is another set under the same seed: every font family is required, so that a seed
  // names the same frames on every machine (scripts/setup.sh installs them).
  const missing = [['fonts-dejavu-core', /DejaVu/], ['fonts-liberation2', /Liberation/], ['fonts-dotgothic16', /DotGothic/], ['fonts-3270', /3270/]]
    .filter(([, family]) => ![...plain, ...dot].some((f) => (family as RegExp).test(f))).map(([pkg]) => pkg as string);
  if (missing.length) throw new Error(`fonts for the panel generator are missing; apt-get install ${missing.join(' ')}`);
  return { 'seven-segment': seven, 'fourteen-segment': fourteen, 'dot-matrix': dot, plain };
}

type Rng = () => number;
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const between = (r: Rng, a: number, b: number): number => a + (b - a) * r();
const digits = (r: Rng, n: number): string => Array.from({ length: n }, () => String(Math.floor(r() * 10))).join('');

const ALARMS: Array<(r: Rng) => string> = [
  (r) => `E-${digits(r, 3)}`, (r) => `E${digits(r, 2)}`, (r) => `E${digits(r, 3)}`, (r) => `AL${digits(r, 4)}`,
  (r) => `AL${digits(r, 3)}`, (r) => `F${digits(r, 2)}`, (r) => `F${digits(r, 3)}`, (r) => `ERR ${digits(r, 2)}`,
  (r) => `ERR-${digits(r, 3)}`, (r) => `A${digits(r, 2)}`, (r) => `ALM ${digits(r, 2)}`, (r) => `FLT ${digits(r, 2)}`,
  (r) => `F-${digits(r, 2)}`, (r) => `H${digits(r, 2)}`, (r) => `C-${digits(r, 2)}`,
];
const rpm = (r: Rng): string => String(Math.floor(between(r, 100, 3000)));
const STATUSES: Array<(r: Rng) => { name: string; value: string }> = [
  (r) => ({ name: 'RUN', value: rpm(r) }), (r) => ({ name: 'SPEED', value: rpm(r) }),
  (r) => ({ name: 'TEMP', value: `${Math.floor(between(r, 20, 99))}C` }), (r) => ({ name: 'MODE', value: pick(r, ['AUTO', 'MANUAL', 'MAN']) }),
  (r) => ({ name: 'LOAD', value: `${Math.floor(between(r, 5, 99))}%` }), (r) => ({ name: 'SET', value: rpm(r) }),
  (r) => ({ name: 'PRES', value: `${Math.floor(between(r, 1, 9))}.${digits(r, 1)}` }), (r) => ({ name: '', value: rpm(r) }),
  (r) => ({ name: '', value: `${Math.floor(between(r, 10, 99))}.${digits(r, 1)}` }), (r) => ({ name: 'READY', value: '' }),
  (r) => ({ name: 'FREQ', value: `${Math.floor(between(r, 10, 60))}.${digits(r, 1)}` }), (r) => ({ name: 'RPM', value: rpm(r) }),
];

/** Unlit segments: the background with a little of the lit colour. */
function mix(bg: string, fg: string, share: number): string {
  const c = (hex: string, i: number): number => parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16);
  return '#' + [0, 1, 2].map((i) => Math.round(c(bg, i) * (1 - share) + c(fg, i) * share).toString(16).padStart(2, '0')).join('');
}

interface Look { fg: string; bg: string; ghost?: string; effect: string }
const LED = ['#ff2a1a', '#ff3b2f', '#36ff5a', '#ffb020', '#40e0ff', '#f4f4ff', '#3a7bff', '#ff5080'];
function displayLook(r: Rng, display: DisplayKind): Look {
  const roll = r();
  if (display === 'plain' && roll < 0.4) return pick(r, [
    { fg: '#111111', bg: '#f2f0ea', effect: 'printed' }, { fg: '#ffffff', bg: '#1d3f8f', effect: 'printed-blue' },
    { fg: '#101010', bg: '#f4d21f', effect: 'printed-yellow' },
  ]);
  if (roll < 0.45) {
    const fg = pick(r, LED);
    const bg = pick(r, ['#000000', '#0b0303', '#050805', '#101010']);
    return { fg, bg, ghost: r() < 0.4 ? mix(bg, fg, between(r, 0.08, 0.18)) : undefined, effect: 'led' };
  }
  if (roll < 0.8) {
    const [fg, bg] = pick(r, [['#1c2418', '#9db38a'], ['#202820', '#b8c4b0'], ['#101418', '#c8d0d8'], ['#222222', '#e0d89a'], ['#0a1030', '#7fb0e8']]);
    return { fg: fg!, bg: bg!, ghost: r() < 0.3 ? mix(bg!, fg!, between(r, 0.08, 0.18)) : undefined, effect: 'lcd' };
  }
  const [fg, bg] = pick(r, [['#e8f4ff', '#1438a0'], ['#f0f0f0', '#202a60'], ['#b8ff60', '#10200a']]);
  return { fg: fg!, bg: bg!, effect: 'lcd-inverted' };
}

function pickText(r: Rng, display: DisplayKind, fixed?: { text: string; kind: 'alarm' | 'status' }): Pick<PanelLabel, 'text' | 'kind' | 'alarm' | 'status'> {
  if (fixed) {
    const [name, ...value] = fixed.text.split(' ');
    return { text: fixed.text, kind: fixed.kind, alarm: fixed.kind === 'alarm' ? fixed.text : null,
      ...(fixed.kind === 'status' ? { status: value.length ? { name: name!, value: value.join(' ') } : { name: '', value: fixed.text } } : {}) };
  }
  for (;;) {
    if (r() < 0.5) {
      const code = pick(r, ALARMS)(r);
      if (display === 'seven-segment' && !SEVEN_SEG_OK.test(code)) continue;
      return { text: code, kind: 'alarm', alarm: code };
    }
    const s = pick(r, STATUSES)(r);
    const text = [s.name, s.value].filter(Boolean).join(' ');
    if (display === 'seven-segment' && !SEVEN_SEG_OK.test(text)) continue;
    return { text, kind: 'status', alarm: null, status: s };
  }
}

/** The glyph that lights every segment, for the unlit-segment background. */
function ghostOf(text: string, display: DisplayKind): string {
  const all = display === 'fourteen-segment' ? '~' : '8';
  return [...text].map((c) => (c === ' ' ? ' ' : c === '.' ? '.' : all)).join('');
}

/** DSEG fonts draw lower-case letters as the segment shapes a real display uses (b, d, n, o, r, t, u). */
function asDisplayed(text: string, display: DisplayKind): string {
  if (display !== 'seven-segment') return text;
  return [...text].map((c) => ('BDNORTU'.includes(c) ? c.toLowerCase() : c)).join('');
}

const STICKERS = ['CAUTION', 'HOT SURFACE', 'PUSH', 'EMERGENCY STOP', 'ACME', 'HYDRAULIC', 'DANGER', 'OIL', 'MAIN POWER', 'Keep clear'];

/** Renders one frame; returns its label. */
export async function renderFrame(index: number, r: Rng, opts: GenerateOptions, fonts: Record<DisplayKind, string[]>, tmp: string): Promise<PanelLabel> {
  const [W, H] = pick(r, opts.sizes ?? SIZES);
  const displays = opts.displays ?? ['seven-segment', 'seven-segment', 'fourteen-segment', 'fourteen-segment', 'dot-matrix', 'plain'];
  const fixed = opts.texts?.[index % opts.texts.length];
  const drawn = pick(r, displays);
  const display = fixed?.display ?? drawn;
  const font = pick(r, fonts[display]);
  const content = pickText(r, display, fixed);
  const look = displayLook(r, display);
  const effects = [look.effect];
  const clean = opts.clean ?? false;

  // 1. The display window with its text, padded, inside a bezel.
  const pt = Math.round(H * between(r, 0.05, 0.11));
  const shown = asDisplayed(content.text, display);
  const panelPng = join(tmp, `panel-${index}.png`);
  const textArgs = ['-font', font, '-pointsize', String(pt)];
  const args: string[] = [];
  if (look.ghost && display !== 'plain') {
    effects.push('ghost-segments');
    args.push('-background', look.bg, '(', ...textArgs, '-fill', look.ghost, `label:${ghostOf(shown, display)}`, ')',
      '(', '-background', 'none', ...textArgs, '-fill', look.fg, `label:${shown}`, ')', '-gravity', 'east', '-composite', '+gravity');
  } else {
    args.push('-background', look.bg, '-fill', look.fg, ...textArgs, `label:${shown}`);
  }
  const padX = Math.round(pt * between(r, 0.3, 0.8)), padY = Math.round(pt * between(r, 0.2, 0.5));
  args.push('-bordercolor', look.bg, '-border', `${padX}x${padY}`);
  const glare = !clean && r() < 0.3;
  const glareAt = [between(r, 0.2, 0.8), between(r, 0.2, 0.8), between(r, 0.5, 0.9)] as const;
  const bezel = pick(r, ['#2a2a2e', '#3c3f44', '#1b1b1b', '#5a5e66', '#d0d0c8']);
  const bezelPx = Math.max(4, Math.round(pt * 0.25));
  await run('convert', [...args, '-strip', `PNG24:${panelPng}`]);
  const [tw, th] = (await run('identify', ['-format', '%w %h', panelPng])).stdout.trim().split(' ').map(Number) as [number, number];
  const panelArgs = [panelPng];
  if (glare) {
    // A soft reflection of a lamp on the window.
    effects.push('glare');
    panelArgs.push('(', '+clone', '-fill', 'black', '-colorize', '100', '-fill', `gray(${Math.round(glareAt[2] * 100)}%)`,
      '-draw', `ellipse ${Math.round(tw * glareAt[0])},${Math.round(th * glareAt[1])} ${Math.round(tw * 0.2)},${Math.round(th * 0.45)} 0,360`,
      '-blur', `0x${Math.max(2, Math.round(th / 5))}`, ')', '-compose', 'screen', '-composite', '-compose', 'over');
  }
  panelArgs.push('-bordercolor', bezel, '-border', String(bezelPx));
  const pw = tw + 2 * bezelPx, ph = th + 2 * bezelPx;
  let scale = 1;
  if (pw > W * 0.8) scale = (W * 0.8) / pw;
  const sw = Math.round(pw * scale), sh = Math.round(ph * scale);
  const tilt = clean ? between(r, -2, 2) : between(r, -9, 9);
  if (Math.abs(tilt) > 3) effects.push('tilt');
  const px = Math.round(between(r, 0.02, 0.98) * (W - sw)), py = Math.round(between(r, 0.05, 0.95) * (H - sh));

  // 2. The scene: gradient wall, machine parts, cables, buttons, stickers; then the panel.
  const scene: string[] = ['-size', `${W}x${H}`, `gradient:${pick(r, ['#6b7076', '#8a8f86', '#404850', '#b0a898'])}-${pick(r, ['#2e3236', '#55504a', '#9aa0a6', '#1e2226'])}`];
  for (let k = 0; k < 6 + Math.floor(r() * 8); k++) {
    const x0 = Math.round(r() * W), y0 = Math.round(r() * H);
    const x1 = x0 + Math.round(between(r, 0.05, 0.4) * W), y1 = y0 + Math.round(between(r, 0.05, 0.4) * H);
    const c = pick(r, ['#c8c8c0', '#3060a0', '#e0a020', '#707070', '#202020', '#a03020', '#50805a']);
    const shape = r();
    if (shape < 0.5) scene.push('-fill', c, '-draw', `rectangle ${x0},${y0} ${x1},${y1}`);
    else if (shape < 0.75) scene.push('-fill', c, '-draw', `circle ${x0},${y0} ${x0 + Math.round(H * between(r, 0.02, 0.06))},${y0}`);
    else scene.push('-stroke', c, '-strokewidth', String(Math.round(between(r, 2, 8))), '-draw', `line ${x0},${y0} ${x1},${y1 - y0 > 0 ? y0 : y1}`, '-stroke', 'none');
  }
  for (let k = 0; k < Math.floor(r() * 3); k++) {
    const word = pick(r, STICKERS);
    const size = Math.round(H * between(r, 0.025, 0.05));
    const [sfg, sbg] = pick(r, [['black', '#f4d21f'], ['white', '#b01818'], ['#202020', '#f0f0f0']]);
    scene.push('(', '-background', sbg!, '-fill', sfg!, '-font', pick(r, fonts.plain), '-pointsize', String(size), `label:${word}`,
      '-bordercolor', sbg!, '-border', String(Math.round(size * 0.3)), ')', '-geometry', `+${Math.round(r() * W * 0.8)}+${Math.round(r() * H * 0.9)}`, '-composite');
  }
  scene.push('(', ...panelArgs, ...(scale !== 1 ? ['-resize', `${sw}x${sh}!`] : []), '-background', 'none', '-rotate', tilt.toFixed(2), ')',
    '-geometry', `+${px}+${py}`, '-composite');
  // 3. Camera: exposure, blur, noise, compression.
  if (!clean) {
    const light = r();
    if (light < 0.15) { effects.push('dark'); scene.push('-modulate', String(Math.round(between(r, 30, 50)))); }
    else if (light < 0.25) { effects.push('over-exposed'); scene.push('-modulate', String(Math.round(between(r, 125, 150)))); }
    if (r() < 0.3) { effects.push('blur'); scene.push('-blur', `0x${(H / 360 * between(r, 0.5, 1.4)).toFixed(2)}`); }
    // ImageMagick draws its noise from its own generator: seeded from the frame's seed, a set is the same pixels every time.
    if (r() < 0.3) { effects.push('noise'); scene.push('-seed', String(frameSeed(opts.seed, index)), '-attenuate', between(r, 0.3, 0.8).toFixed(2), '+noise', 'Gaussian'); }
  }
  const jpeg = !clean && r() < 0.6;
  const name = `${String(index).padStart(4, '0')}-${display}-${content.kind}.${jpeg ? 'jpg' : 'png'}`;
  if (jpeg) { effects.push('jpeg'); scene.push('-quality', String(Math.round(between(r, 45, 90)))); }
  await run('convert', [...scene, '-strip', ...(jpeg ? [join(opts.outDir, name)] : [`PNG24:${join(opts.outDir, name)}`])]);
  return { file: name, width: W, height: H, ...content, display, font: font.split('/').pop()!.replace(/\.ttf$/, ''), effects,
    panel: { x: px, y: py, width: sw, height: sh } };
}

/** The seed of frame `index` of a set: its random choices and its camera noise come from it alone. */
const frameSeed = (seed: number | undefined, index: number): number => (seed ?? 1) * 100003 + index;

/** Renders `count` frames (two at a time) and writes labels.jsonl. */
export async function generatePanelSet(opts: GenerateOptions): Promise<PanelLabel[]> {
  mkdirSync(opts.outDir, { recursive: true });
  const tmp = join(opts.outDir, '.parts');
  mkdirSync(tmp, { recursive: true });
  const fonts = availableFonts();
  const seed = opts.seed ?? 1;
  const labels: PanelLabel[] = new Array(opts.count);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < opts.count; i = next++) labels[i] = await renderFrame(i, seededRandom(frameSeed(seed, i)), opts, fonts, tmp);
  };
  await Promise.all([worker(), worker()]);
  writeFileSync(join(opts.outDir, 'labels.jsonl'), labels.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return labels;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const arg = (name: string, def: string): string => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1]! : def;
  };
  const outDir = arg('out', 'bench/out/panels');
  const count = Number(arg('count', '240'));
  const t0 = Date.now();
  const labels = await generatePanelSet({ outDir, count, seed: Number(arg('seed', '1')) });
  const by = (k: (l: PanelLabel) => string): Record<string, number> => labels.reduce<Record<string, number>>((m, l) => ({ ...m, [k(l)]: (m[k(l)] ?? 0) + 1 }), {});
  process.stderr.write(`${labels.length} frames in ${outDir} (${((Date.now() - t0) / 1000).toFixed(1)} s): ${JSON.stringify(by((l) => l.display))} ${JSON.stringify(by((l) => l.kind))}\n`);
}
