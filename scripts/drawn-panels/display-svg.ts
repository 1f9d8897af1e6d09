// One display window drawn as SVG from geometry: segment cells (7/14/16),
// decimal points and colons, or a 5×7 dot matrix; lit, unlit ("ghost") and
// LED glow, LCD reflector shadow, VFD mesh. Used by scripts/gen-panels-drawn.ts.
import { dotRows, litSegments, segmentLines, segmentSvg, type SegmentKind, type SegmentShape, type SegmentStyle } from './glyph-geometry.js';

export type Rng = () => number;
export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
export const between = (r: Rng, a: number, b: number): number => a + (b - a) * r();

/** Mixes two #rrggbb colours (share of the second). */
export function mix(a: string, b: string, share: number): string {
  const c = (hex: string, i: number): number => parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16);
  return '#' + [0, 1, 2].map((i) => Math.round(c(a, i) * (1 - share) + c(b, i) * share).toString(16).padStart(2, '0')).join('');
}

export interface Look {
  name: string;
  bg: string;
  fg: string;
  /** Unlit segments/dots; null = invisible. */
  ghost: string | null;
  /** LED/VFD glow radius as a share of the stroke thickness (0 = none). */
  glow: number;
  /** Over-exposed core of lit LED segments. */
  core?: string;
  /** LCD reflector shadow: offset as a share of the thickness. */
  shadow?: number;
  mesh?: boolean;
}

export function pickLook(r: Rng): Look {
  const roll = r();
  const ghostOf = (bg: string, fg: string, p: number, lo: number, hi: number): string | null => (r() < p ? mix(bg, fg, between(r, lo, hi)) : null);
  if (roll < 0.42) {
    const [name, fg] = pick(r, [['led-red', '#ff2418'], ['led-red', '#ff3a22'], ['led-amber', '#ffa010'], ['led-green', '#38ff58'],
      ['led-blue', '#3a86ff'], ['led-white', '#eef2ff'], ['led-orange', '#ff6a10']] as const);
    const bg = mix(pick(r, ['#000000', '#070707', '#0c0c0e']), fg, between(r, 0, 0.1));
    return { name, fg, bg, ghost: ghostOf(bg, fg, 0.5, 0.05, 0.22), glow: between(r, 0.2, 1.1), core: r() < 0.4 ? mix(fg, '#ffffff', between(r, 0.35, 0.7)) : undefined };
  }
  if (roll < 0.78) {
    const [name, bg, fg] = pick(r, [['lcd-grey-green', '#9fb48a', '#18221a'], ['lcd-grey-green', '#b4c2a4', '#22281e'], ['lcd-grey', '#c4c8c4', '#141614'],
      ['lcd-blue-white', '#d6e2ee', '#0e1c3a'], ['lcd-yellow-green', '#b8c858', '#1e2410'], ['lcd-blue', '#2448c8', '#eef4ff'],
      ['lcd-inverted', '#0c1410', '#c8ff70'], ['lcd-inverted', '#101216', '#f0f0e8'], ['lcd-inverted', '#0a0a18', '#ffb840']] as const);
    const dark = name === 'lcd-blue' || name === 'lcd-inverted';
    return { name, bg, fg, ghost: ghostOf(bg, fg, 0.45, 0.04, 0.16), glow: dark ? between(r, 0, 0.3) : 0, shadow: !dark && r() < 0.5 ? between(r, 0.2, 0.6) : undefined };
  }
  if (roll < 0.9) {
    const fg = pick(r, ['#5affd8', '#70ffe8', '#48f0c0']);
    return { name: 'vfd', fg, bg: pick(r, ['#04100e', '#061412', '#020806']), ghost: ghostOf('#061412', fg, 0.5, 0.04, 0.12), glow: between(r, 0.3, 0.9), mesh: r() < 0.7 };
  }
  const fg = pick(r, ['#ff2a1a', '#38ff58', '#ffb020']);
  return { name: 'led-dim', fg: mix('#000000', fg, between(r, 0.45, 0.7)), bg: '#060606', ghost: null, glow: between(r, 0.1, 0.5) };
}

export type DrawnDisplay = 'seven-segment' | 'fourteen-segment' | 'sixteen-segment' | 'dot-matrix';

export interface DisplaySpec {
  display: DrawnDisplay;
  text: string;
  /** Character height in pixels. */
  height: number;
  look: Look;
}

export interface DrawnWindow { svg: string; defs: string; width: number; height: number; style: string }

let uid = 0;
const f = (v: number): string => v.toFixed(2);

/** Draws the window's content at the origin; width/height include the padding. */
export function drawDisplay(r: Rng, spec: DisplaySpec): DrawnWindow {
  return spec.display === 'dot-matrix' ? drawDots(r, spec) : drawSegments(r, spec);
}

function glowFilter(id: string, radius: number): string {
  return `<filter id="${id}" x="-30%" y="-30%" width="160%" height="160%"><feGaussianBlur stdDeviation="${f(radius)}"/>`
    + `<feMerge><feMergeNode/><feMergeNode/><feMergeNode in="SourceGraphic"/></feMerge></filter>`;
}

interface Cell { ch: string; dot: boolean; colon: boolean }

function cellsOf(text: string): Cell[] {
  const cells: Cell[] = [];
  for (const ch of text) {
    if (ch === '.' && cells.length && !cells[cells.length - 1]!.dot) cells[cells.length - 1]!.dot = true;
    else if (ch === ':') cells.push({ ch: ':', dot: false, colon: true });
    else cells.push({ ch, dot: false, colon: false });
  }
  return cells;
}

function drawSegments(r: Rng, spec: DisplaySpec): DrawnWindow {
  const kind: SegmentKind = spec.display === 'seven-segment' ? 7 : spec.display === 'fourteen-segment' ? 14 : 16;
  const H = spec.height;
  const style = pick(r, ['hex', 'hex', 'rect', 'bevel', 'round'] as SegmentStyle[]);
  const shape: SegmentShape = {
    kind, style, height: H, width: H * (kind === 7 ? between(r, 0.42, 0.62) : between(r, 0.52, 0.72)),
    thickness: H * (kind === 7 ? between(r, 0.07, 0.16) : between(r, 0.06, 0.12)), gap: H * between(r, 0, 0.025),
    slantDeg: r() < 0.6 ? between(r, 3, 12) : 0, tails: r() < 0.7, hook7: r() < 0.25, lowerU: r() < 0.5, slashZero: r() < 0.3,
  };
  const look = spec.look;
  const t = shape.thickness;
  const spacing = H * between(r, 0.14, 0.34);
  const cells = cellsOf(spec.text);
  // Fixed-width displays: blank cells before (numbers, right-aligned) or after.
  const extra = r() < 0.5 ? Math.floor(r() * 3) : 0;
  const blanks: Cell[] = Array.from({ length: extra }, () => ({ ch: ' ', dot: false, colon: false }));
  const all = r() < 0.6 ? [...blanks, ...cells] : [...cells, ...blanks];
  const hasDots = r() < 0.5 || cells.some((c) => c.dot);
  const padX = H * between(r, 0.25, 0.7), padY = H * between(r, 0.18, 0.45);
  const slant = Math.tan((shape.slantDeg * Math.PI) / 180);
  const lines = segmentLines(shape);
  const lit: string[] = [], unlit: string[] = [];
  let x = padX;
  for (const c of all) {
    const cellW = c.colon ? t * 2.2 : shape.width;
    const place = (svg: string, on: boolean): void => {
      const g = `<g transform="translate(${f(x)},${f(padY + H)}) skewX(${f(-shape.slantDeg)}) translate(0,${f(-H)})">${svg}</g>`;
      (on ? lit : unlit).push(g);
    };
    if (c.colon) {
      const dot = (y: number): string => `<rect x="${f(t * 0.6)}" y="${f(y - t * 0.5)}" width="${f(t)}" height="${f(t)}"/>`;
      place(dot(H * 0.3) + dot(H * 0.7), true);
    } else {
      const on = litSegments(c.ch, shape) ?? new Set<string>();
      for (const seg of lines) place(segmentSvg(seg, shape), on.has(seg.name));
      if (hasDots) {
        const d = t * between(r, 1, 1.3);
        const dp = style === 'round' ? `<circle cx="${f(shape.width + spacing * 0.5)}" cy="${f(H - d / 2)}" r="${f(d / 2)}"/>`
          : `<rect x="${f(shape.width + spacing * 0.5 - d / 2)}" y="${f(H - d)}" width="${f(d)}" height="${f(d)}"/>`;
        place(dp, c.dot);
      }
    }
    x += cellW + spacing;
  }
  const width = x - spacing + padX + slant * H, height = H + 2 * padY;
  const defs: string[] = [];
  const body: string[] = [`<rect width="${f(width)}" height="${f(height)}" fill="${look.bg}"/>`];
  if (look.ghost) body.push(`<g fill="${look.ghost}" stroke="${look.ghost}">${unlit.join('')}</g>`);
  if (look.shadow) {
    const o = t * look.shadow;
    body.push(`<g fill="${mix(look.bg, '#000000', 0.22)}" stroke="${mix(look.bg, '#000000', 0.22)}" transform="translate(${f(o)},${f(o)})">${lit.join('')}</g>`);
  }
  let filter = '';
  if (look.glow > 0) {
    const id = `glow${uid++}`;
    defs.push(glowFilter(id, t * look.glow));
    filter = ` filter="url(#${id})"`;
  }
  body.push(`<g fill="${look.fg}" stroke="${look.fg}"${filter}>${lit.join('')}</g>`);
  if (look.core) body.push(`<g fill="${look.core}" stroke="${look.core}" opacity="0.9">${lit.join('').replace(/stroke-width="([\d.]+)"/g, (_, w) => `stroke-width="${f(Number(w) * 0.5)}"`)}</g>`);
  // Polygons carry no stroke (it would fatten them); round-capped strokes need it.
  const drawn = body.join('').replace(/ stroke="[^"]*"/g, (m) => (style === 'round' ? m : '')) + (look.mesh ? meshOf(width, height, Math.max(2, t * 0.45)) : '');
  return { svg: drawn, defs: defs.join(''), width, height, style: `${kind}seg-${style}-slant${shape.slantDeg.toFixed(0)}-t${(t / H).toFixed(2)}-g${(shape.gap / H).toFixed(3)}` };
}

function meshOf(width: number, height: number, pitch: number): string {
  const lines: string[] = [];
  for (let x = 0; x < width; x += pitch) lines.push(`M${f(x)} 0V${f(height)}`);
  for (let y = 0; y < height; y += pitch) lines.push(`M0 ${f(y)}H${f(width)}`);
  return `<path d="${lines.join('')}" stroke="#000000" stroke-opacity="0.35" stroke-width="${f(pitch * 0.2)}" fill="none"/>`;
}

function drawDots(r: Rng, spec: DisplaySpec): DrawnWindow {
  const pitch = spec.height / 7;
  const dot = pitch * between(r, 0.72, 0.92);
  const round = spec.look.glow > 0 || r() < 0.3;
  const gapCells = pitch * between(r, 0.8, 1.6);
  const padX = spec.height * between(r, 0.25, 0.6), padY = spec.height * between(r, 0.2, 0.4);
  const minCells = Math.max(spec.text.length, Math.round(between(r, 8, 16)));
  const text = r() < 0.7 ? spec.text.padEnd(minCells) : spec.text.padStart(minCells);
  const lit: string[] = [], unlit: string[] = [];
  [...text].forEach((ch, i) => {
    const rows = dotRows(ch) ?? dotRows(' ')!;
    const x0 = padX + i * (5 * pitch + gapCells);
    rows.forEach((row, y) => [...row].forEach((bit, x) => {
      const cx = x0 + x * pitch + pitch / 2, cy = padY + y * pitch + pitch / 2;
      const el = round ? `<circle cx="${f(cx)}" cy="${f(cy)}" r="${f(dot / 2)}"/>` : `<rect x="${f(cx - dot / 2)}" y="${f(cy - dot / 2)}" width="${f(dot)}" height="${f(dot)}"/>`;
      (bit === '1' ? lit : unlit).push(el);
    }));
  });
  const width = padX * 2 + text.length * (5 * pitch + gapCells) - gapCells, height = padY * 2 + spec.height;
  const look = spec.look;
  const defs: string[] = [];
  const body = [`<rect width="${f(width)}" height="${f(height)}" fill="${look.bg}"/>`];
  // Character modules show every unlit dot faintly more often than segment displays.
  const ghost = look.ghost ?? (r() < 0.5 ? mix(look.bg, look.fg, between(r, 0.05, 0.14)) : null);
  if (ghost) body.push(`<g fill="${ghost}">${unlit.join('')}</g>`);
  let filter = '';
  if (look.glow > 0) {
    const id = `glow${uid++}`;
    defs.push(glowFilter(id, pitch * look.glow * 0.6));
    filter = ` filter="url(#${id})"`;
  }
  body.push(`<g fill="${look.fg}"${filter}>${lit.join('')}</g>`);
  return { svg: body.join(''), defs: defs.join(''), width, height, style: `dots5x7-${round ? 'round' : 'square'}-fill${(dot / pitch).toFixed(2)}` };
}
