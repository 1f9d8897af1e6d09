// Development aid: each line crop's lit view (lit-view.ts) and its glare gain (segment-light.ts) as text, to see
// where unlit ("ghost") segments come out as ink. '#' full ink, '+' part ink, '.' none; a second block gives the
// gain in tenths ('9' gain 0.9 or more).
//   node --import tsx bench/_ghost40-lit.ts FRAME...
import { eachLineCrop } from './_dev-lines.js';
import { litView } from '../src/vision/ocr/lit-view.js';
import { lineLight } from '../src/vision/ocr/segment-light.js';

const COLS = 90;
await eachLineCrop(process.argv.slice(2), async (crop) => {
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
  return `${crop.width}x${crop.height}\n${ink.join('\n')}\n${gain.join('\n')}`;
});
