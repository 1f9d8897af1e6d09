// Development set of panels drawn from geometry, independent of
// scripts/gen-panels.ts (which draws with fonts): 7-, 14- and 16-segment cells
// as SVG polygons (hexagonal, rectangular, bevelled, round; slant 0–12°,
// thin/thick, gaps; decimal points, colons; unlit segments faint or
// invisible) and 5×7 dot matrices, lit as LEDs (red, amber, green, blue,
// white), LCDs (grey-green, blue-white, inverted, reflective with a shadow)
// or cyan VFDs; set in a bezel with legends and buttons inside a cluttered
// full camera frame (640×360 … 1920×1080), then seen by a camera: perspective,
// glare spots/streaks/washes, low light, motion or focus blur, noise, JPEG.
// Rendered with rsvg-convert (librsvg2-bin) and ImageMagick. Deterministic
// from a seed; same labels.jsonl format as gen-panels (bench/ocr.ts reads it).
//
//   node --import tsx scripts/gen-panels-drawn.ts [--out DIR] [--count N] [--seed S] [--effect glare-streak]
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { seededRandom } from '../src/inference/selftest.js';
import { between, drawDisplay, mix, pick, pickLook, type DrawnDisplay, type Rng } from './drawn-panels/display-svg.js';
import { SEVEN_SEGMENT_CHARS } from './drawn-panels/glyph-geometry.js';
import type { PanelLabel } from './gen-panels.js';

const run = promisify(execFile);

export type DrawnPanelLabel = Omit<PanelLabel, 'display'> & { display: DrawnDisplay };

export interface DrawnOptions {
  outDir: string;
  count: number;
  seed?: number;
  /** Clean frames only (no camera defects), for small test sets. */
  clean?: boolean;
  /** Fixed texts (cycled) instead of random ones, optionally on a given display. */
  texts?: Array<{ text: string; kind: 'alarm' | 'status'; display?: DrawnDisplay }>;
  /** Development only: draw this glare on every frame (the random draws are taken as usual, so the rest of each frame is as without it). */
  effect?: 'glare-streak';
}

const SIZES: Array<[number, number]> = [[640, 360], [800, 450], [960, 540], [1024, 576], [1280, 720], [1600, 900], [1920, 1080]];
const num = (r: Rng, n: number): string => Array.from({ length: n }, () => String(Math.floor(r() * 10))).join('');

// Alarm codes and status lines of the kinds a machine shows (the same families as gen-panels, drawn independently).
const ALARMS: Array<(r: Rng) => string> = [
  (r) => `E-${num(r, 3)}`, (r) => `E${num(r, 2)}`, (r) => `E${num(r, 3)}`, (r) => `AL${num(r, 4)}`, (r) => `AL${num(r, 3)}`,
  (r) => `F${num(r, 2)}`, (r) => `F${num(r, 3)}`, (r) => `ERR ${num(r, 2)}`, (r) => `ERR-${num(r, 3)}`, (r) => `A${num(r, 2)}`,
  (r) => `ALM ${num(r, 2)}`, (r) => `FLT ${num(r, 2)}`, (r) => `F-${num(r, 2)}`, (r) => `H${num(r, 2)}`, (r) => `C-${num(r, 2)}`,
];
const value = (r: Rng, lo: number, hi: number): string => String(Math.floor(between(r, lo, hi)));
const STATUSES: Array<(r: Rng) => { name: string; value: string }> = [
  (r) => ({ name: 'RUN', value: value(r, 50, 3600) }), (r) => ({ name: 'SPEED', value: value(r, 50, 3600) }),
  (r) => ({ name: 'TEMP', value: `${value(r, 15, 120)}C` }), (r) => ({ name: 'MODE', value: pick(r, ['AUTO', 'MANUAL', 'MAN']) }),
  (r) => ({ name: 'LOAD', value: `${value(r, 1, 100)}%` }), (r) => ({ name: 'SET', value: value(r, 50, 3600) }),
  (r) => ({ name: 'PRES', value: `${value(r, 0, 10)}.${num(r, 1)}` }), (r) => ({ name: '', value: value(r, 0, 9999) }),
  (r) => ({ name: '', value: `${value(r, 0, 999)}.${num(r, 1)}` }), (r) => ({ name: 'READY', value: '' }),
  (r) => ({ name: 'FREQ', value: `${value(r, 5, 60)}.${num(r, 1)}` }), (r) => ({ name: 'RPM', value: value(r, 50, 3600) }),
  (r) => ({ name: '', value: `${value(r, 0, 24).padStart(2, '0')}:${value(r, 0, 60).padStart(2, '0')}` }),
];

function pickText(r: Rng, display: DrawnDisplay): Pick<PanelLabel, 'text' | 'kind' | 'alarm' | 'status'> {
  for (;;) {
    if (r() < 0.55) {
      const code = pick(r, ALARMS)(r);
      if (display === 'seven-segment' && !SEVEN_SEGMENT_CHARS.test(code)) continue;
      return { text: code, kind: 'alarm', alarm: code };
    }
    const s = pick(r, STATUSES)(r);
    const text = [s.name, s.value].filter(Boolean).join(' ');
    if (display === 'seven-segment' && !SEVEN_SEGMENT_CHARS.test(text)) continue;
    if (display !== 'dot-matrix' && text.includes(':') && text.includes('.')) continue;
    return { text, kind: 'status', alarm: null, status: s };
  }
}

const LEGENDS = ['STATUS', 'DISPLAY', 'MENU', 'RESET', 'POWER', 'ENTER', 'ESC', 'START', 'STOP', 'JOG', 'PROG', 'FUNC', 'SHIFT'];
const STICKERS = ['CAUTION', 'HOT SURFACE', 'DANGER', 'HIGH VOLTAGE', 'KEEP CLEAR', 'OIL', 'LOCK OUT', 'EMERGENCY STOP', 'HYDRAULIC', 'AIR'];
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const f = (v: number): string => v.toFixed(1);

function clutter(r: Rng, W: number, H: number): string {
  const out: string[] = [];
  for (let k = 0, n = 6 + Math.floor(r() * 10); k < n; k++) {
    const x = r() * W, y = r() * H, w = between(r, 0.05, 0.4) * W, h = between(r, 0.05, 0.4) * H;
    const c = pick(r, ['#c8c8c0', '#3060a0', '#e0a020', '#707070', '#262626', '#a03020', '#50805a', '#9098a0']);
    const roll = r();
    if (roll < 0.35) out.push(`<rect x="${f(x)}" y="${f(y)}" width="${f(w)}" height="${f(h)}" rx="${f(between(r, 0, 12))}" fill="${c}" stroke="${mix(c, '#000000', 0.4)}" stroke-width="2"/>`);
    else if (roll < 0.55) {
      const rad = H * between(r, 0.015, 0.05);
      const lamp = r() < 0.4;
      out.push(`<circle cx="${f(x)}" cy="${f(y)}" r="${f(rad * 1.3)}" fill="#303030"/><circle cx="${f(x)}" cy="${f(y)}" r="${f(rad)}" fill="${lamp ? pick(r, ['#ff3020', '#30ff40', '#ffc020']) : c}"${lamp ? ' filter="url(#lamp)"' : ''}/>`);
    } else if (roll < 0.75) {
      out.push(`<path d="M${f(x)} ${f(y)} C${f(x + w)} ${f(y - h)} ${f(x - w)} ${f(y + 2 * h)} ${f(x + w)} ${f(y + h)}" stroke="${pick(r, ['#111111', '#303030', '#2040a0', '#a02020', '#e0c020'])}" stroke-width="${f(between(r, 3, 14))}" fill="none"/>`);
    } else if (roll < 0.85) {
      const lines = Array.from({ length: 6 + Math.floor(r() * 8) }, (_, i) => `M${f(x)} ${f(y + i * 7)}h${f(w * 0.5)}`).join('');
      out.push(`<path d="${lines}" stroke="#1a1a1a" stroke-width="3"/>`);
    } else {
      const size = H * between(r, 0.022, 0.045), word = pick(r, STICKERS);
      const [fg, bg] = pick(r, [['#000000', '#f4d21f'], ['#ffffff', '#b01818'], ['#202020', '#f0f0f0']]);
      out.push(`<g transform="translate(${f(x)},${f(y)}) rotate(${f(between(r, -5, 5))})"><rect x="${f(-size * 0.3)}" y="${f(-size * 1.1)}" width="${f(word.length * size * 0.72 + size * 0.6)}" height="${f(size * 1.5)}" fill="${bg}"/>`
        + `<text font-family="DejaVu Sans" font-weight="bold" font-size="${f(size)}" fill="${fg}">${esc(word)}</text></g>`);
    }
  }
  return out.join('');
}

function glareOver(r: Rng, w: number, h: number, effects: string[], force?: 'glare-streak'): string {
  const drawn = r(), roll = force === 'glare-streak' ? 0.5 : drawn;
  if (roll < 0.45) {
    effects.push('glare-spot');
    const a = between(r, 0.45, 0.95);
    return `<ellipse cx="${f(between(r, 0.1, 0.9) * w)}" cy="${f(between(r, 0.2, 0.8) * h)}" rx="${f(between(r, 0.1, 0.35) * w)}" ry="${f(between(r, 0.3, 0.9) * h)}" fill="url(#spot)" opacity="${a.toFixed(2)}" style="mix-blend-mode:screen"/>`;
  }
  if (roll < 0.75) {
    effects.push('glare-streak');
    const x = between(r, 0.1, 0.9) * w, bw = between(r, 0.03, 0.12) * w;
    return `<rect x="${f(x - bw / 2)}" y="${f(-h)}" width="${f(bw)}" height="${f(3 * h)}" fill="url(#streak)" opacity="${between(r, 0.4, 0.85).toFixed(2)}" transform="rotate(${f(between(r, -35, 35))},${f(x)},${f(h / 2)})" style="mix-blend-mode:screen"/>`;
  }
  effects.push('glare-wash');
  return `<rect width="${f(w)}" height="${f(h)}" fill="url(#wash)" opacity="${between(r, 0.25, 0.55).toFixed(2)}" style="mix-blend-mode:screen"/>`;
}

/** Builds one frame's SVG and the camera's ImageMagick arguments; returns its label. */
export function frameSvg(index: number, r: Rng, opts: DrawnOptions): { svg: string; camera: string[]; label: DrawnPanelLabel } {
  const [W, H] = pick(r, SIZES);
  const fixed = opts.texts?.[index % opts.texts.length];
  const display: DrawnDisplay = fixed?.display ?? pick(r, ['seven-segment', 'seven-segment', 'seven-segment', 'fourteen-segment', 'fourteen-segment', 'sixteen-segment', 'dot-matrix', 'dot-matrix'] as const);
  const content = fixed ? { text: fixed.text, kind: fixed.kind, alarm: fixed.kind === 'alarm' ? fixed.text : null,
    ...(fixed.kind === 'status' ? { status: { name: fixed.text.split(' ').length > 1 ? fixed.text.split(' ')[0]! : '', value: fixed.text.split(' ').slice(fixed.text.split(' ').length > 1 ? 1 : 0).join(' ') } } : {}) }
    : pickText(r, display);
  const look = pickLook(r);
  const clean = opts.clean ?? false;
  const effects = [look.name];
  if (look.ghost) effects.push('ghost-segments');
  let charH = H * between(r, 0.04, 0.1);
  const win = drawDisplay(r, { display, text: content.text, height: charH, look });
  const margin = charH * between(r, 0.25, 0.7);
  const maxW = W * 0.82;
  let scale = 1;
  if (win.width + 2 * margin > maxW) { scale = maxW / (win.width + 2 * margin); charH *= scale; }
  const legend = r() < 0.6 ? pick(r, LEGENDS) : null;
  const buttons = r() < 0.5 ? 2 + Math.floor(r() * 3) : 0;
  const winW = win.width * scale, winH = win.height * scale;
  const legendH = legend ? charH * 0.45 : 0, buttonH = buttons ? charH * 0.8 : 0;
  const pw = winW + 2 * margin, ph = winH + 2 * margin + legendH + buttonH;
  const px = between(r, 0.02, 0.98) * (W - pw), py = between(r, 0.04, 0.96) * (H - ph);
  const tilt = clean ? between(r, -2, 2) : between(r, -8, 8), skew = clean ? 0 : between(r, -6, 6);
  if (Math.abs(tilt) > 3 || Math.abs(skew) > 3) effects.push('tilt');
  const bezel = pick(r, ['#2a2a2e', '#3c3f44', '#1b1b1b', '#5a5e66', '#d0d0c8', '#e8e4da', '#24344c']);
  const ink = parseInt(bezel.slice(1, 3), 16) > 128 ? '#202020' : '#e8e8e8';
  const wy = margin + legendH;
  const panel: string[] = [
    `<rect width="${f(pw)}" height="${f(ph)}" rx="${f(margin * 0.4)}" fill="${bezel}" stroke="${mix(bezel, '#000000', 0.5)}" stroke-width="${f(Math.max(1, margin * 0.08))}"/>`,
    `<rect x="${f(margin * 0.6)}" y="${f(wy - margin * 0.4)}" width="${f(winW + margin * 0.8)}" height="${f(winH + margin * 0.8)}" fill="${mix(bezel, '#000000', 0.45)}"/>`,
    `<g transform="translate(${f(margin)},${f(wy)}) scale(${scale.toFixed(4)})">${win.svg}</g>`,
  ];
  if (legend) panel.push(`<text x="${f(margin)}" y="${f(margin * 0.5 + legendH * 0.8)}" font-family="DejaVu Sans" font-size="${f(legendH * 0.8)}" fill="${ink}">${legend}</text>`);
  for (let b = 0; b < buttons; b++) {
    const bw = (winW - margin) / buttons, bx = margin + b * (bw + margin / buttons);
    panel.push(`<rect x="${f(bx)}" y="${f(wy + winH + margin * 0.5)}" width="${f(bw * 0.7)}" height="${f(buttonH * 0.7)}" rx="${f(buttonH * 0.15)}" fill="${pick(r, ['#505050', '#2050a0', '#a02020', '#30a040', '#c0c0c0'])}"/>`);
  }
  if ((!clean && r() < 0.4) || opts.effect) panel.push(`<g transform="translate(${f(margin)},${f(wy)})"><clipPath id="wclip${index}"><rect width="${f(winW)}" height="${f(winH)}"/></clipPath><g clip-path="url(#wclip${index})">${glareOver(r, winW, winH, effects, opts.effect)}</g></g>`);
  const shade = `<rect width="${W}" height="${H}" fill="url(#vignette)" opacity="${between(r, 0.1, 0.6).toFixed(2)}"/>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}"><defs>${win.defs}`
    + `<linearGradient id="wall" x1="0" y1="0" x2="${f(r())}" y2="1"><stop offset="0" stop-color="${pick(r, ['#6b7076', '#8a8f86', '#404850', '#b0a898', '#d8d8d0'])}"/><stop offset="1" stop-color="${pick(r, ['#2e3236', '#55504a', '#9aa0a6', '#1e2226'])}"/></linearGradient>`
    + `<radialGradient id="spot"><stop offset="0" stop-color="#ffffff"/><stop offset="0.4" stop-color="#ffffff" stop-opacity="0.8"/><stop offset="1" stop-color="#ffffff" stop-opacity="0"/></radialGradient>`
    + `<linearGradient id="streak"><stop offset="0" stop-color="#ffffff" stop-opacity="0"/><stop offset="0.5" stop-color="#ffffff"/><stop offset="1" stop-color="#ffffff" stop-opacity="0"/></linearGradient>`
    + `<linearGradient id="wash" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#ffffff"/><stop offset="1" stop-color="#ffffff" stop-opacity="0.1"/></linearGradient>`
    + `<radialGradient id="vignette" cx="${f(between(r, 0.3, 0.7))}" cy="${f(between(r, 0.3, 0.7))}" r="0.8"><stop offset="0.4" stop-color="#000000" stop-opacity="0"/><stop offset="1" stop-color="#000000"/></radialGradient>`
    + `<filter id="lamp" x="-50%" y="-50%" width="200%" height="200%"><feGaussianBlur stdDeviation="4"/><feMerge><feMergeNode/><feMergeNode in="SourceGraphic"/></feMerge></filter></defs>`
    + `<rect width="${W}" height="${H}" fill="url(#wall)"/>${clutter(r, W, H)}`
    + `<g transform="translate(${f(px)},${f(py)}) rotate(${f(tilt)},${f(pw / 2)},${f(ph / 2)}) skewX(${f(skew)})">${panel.join('')}</g>${shade}</svg>`;

  // The camera: perspective of the whole scene, exposure, blur, noise, JPEG.
  const camera: string[] = [];
  if (!clean && r() < 0.5) {
    effects.push('perspective');
    const k = (): number => between(r, -0.06, 0.06);
    const pts = [[0, 0], [W, 0], [W, H], [0, H]].map(([x, y]) => `${x},${y} ${f(x! + k() * W)},${f(y! + k() * H)}`);
    camera.push('-virtual-pixel', 'edge', '-distort', 'Perspective', pts.join(' '));
  }
  if (!clean) {
    const light = r();
    if (light < 0.2) { effects.push('dark'); camera.push('-modulate', String(Math.round(between(r, 25, 50)))); }
    else if (light < 0.3) { effects.push('over-exposed'); camera.push('-modulate', String(Math.round(between(r, 120, 150)))); }
    const blur = r();
    if (blur < 0.15) { effects.push('motion-blur'); camera.push('-motion-blur', `0x${(H / 360 * between(r, 1, 3)).toFixed(1)}+${Math.round(between(r, 0, 180))}`); }
    else if (blur < 0.35) { effects.push('blur'); camera.push('-blur', `0x${(H / 360 * between(r, 0.4, 1.3)).toFixed(2)}`); }
    // ImageMagick draws its noise from its own generator: seeded from the frame's seed, a set is the same pixels every time.
    if (r() < 0.35) { effects.push('noise'); camera.push('-seed', String(frameSeed(opts.seed, index)), '-attenuate', between(r, 0.3, 0.9).toFixed(2), '+noise', 'Gaussian'); }
  }
  const jpeg = !clean && r() < 0.65;
  if (jpeg) { effects.push('jpeg'); camera.push('-quality', String(Math.round(between(r, 40, 90)))); }
  const file = `${String(index).padStart(4, '0')}-${display}-${content.kind}.${jpeg ? 'jpg' : 'png'}`;
  return { svg, camera, label: { file, width: W, height: H, ...content, display, font: win.style, effects,
    panel: { x: Math.round(px), y: Math.round(py), width: Math.round(pw), height: Math.round(ph) } } };
}

/** The seed of frame `index` of a set: its random choices and its camera noise come from it alone. */
const frameSeed = (seed: number | undefined, index: number): number => (seed ?? 1) * 7919 + index * 31 + 5;

/** Renders `count` frames (two at a time) and writes labels.jsonl. */
export async function generateDrawnPanelSet(opts: DrawnOptions): Promise<DrawnPanelLabel[]> {
  mkdirSync(opts.outDir, { recursive: true });
  const tmp = join(opts.outDir, '.parts');
  mkdirSync(tmp, { recursive: true });
  const labels: DrawnPanelLabel[] = new Array(opts.count);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < opts.count; i = next++) {
      const { svg, camera, label } = frameSvg(i, seededRandom(frameSeed(opts.seed, i)), opts);
      const svgFile = join(tmp, `frame-${i}.svg`), png = join(tmp, `frame-${i}.png`);
      writeFileSync(svgFile, svg);
      await run('rsvg-convert', ['-o', png, svgFile]);
      const out = join(opts.outDir, label.file);
      await run('convert', [png, '-alpha', 'off', ...camera, '-strip', ...(out.endsWith('.png') ? [`PNG24:${out}`] : [out])]);
      labels[i] = label;
    }
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
  const outDir = arg('out', 'bench/out/panels-drawn');
  const t0 = Date.now();
  const labels = await generateDrawnPanelSet({ outDir, count: Number(arg('count', '240')), seed: Number(arg('seed', '1')),
    ...(arg('effect', '') === 'glare-streak' ? { effect: 'glare-streak' as const } : {}) });
  const by = (k: (l: DrawnPanelLabel) => string): Record<string, number> => labels.reduce<Record<string, number>>((m, l) => ({ ...m, [k(l)]: (m[k(l)] ?? 0) + 1 }), {});
  process.stderr.write(`${labels.length} frames in ${outDir} (${((Date.now() - t0) / 1000).toFixed(1)} s): ${JSON.stringify(by((l) => l.display))} ${JSON.stringify(by((l) => l.kind))}\n`);
}
