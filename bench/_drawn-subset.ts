// Development aid: renders only some kind of frame among frames FROM..TO-1 of a drawn-panel seed (the frames
// gen-panels-drawn.ts would render at those indices, same names and labels), to collect many frames of one kind
// without rendering the rest: --dots keeps dot-matrix displays, --glare frames drawn with glare, --alarms alarm
// frames; filters combine (all must hold); with none, every frame is rendered.
//   node --import tsx bench/_drawn-subset.ts OUT SEED FROM TO [--dots] [--glare] [--alarms]
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { seededRandom } from '../src/inference/selftest.js';
import { frameSvg, type DrawnPanelLabel } from '../scripts/gen-panels-drawn.js';

const run = promisify(execFile);
const [out, seed, from, to] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const dotsOnly = process.argv.includes('--dots');
const glareOnly = process.argv.includes('--glare');
const alarmsOnly = process.argv.includes('--alarms');
const tmp = join(out!, '.parts');
mkdirSync(tmp, { recursive: true });
const labels: DrawnPanelLabel[] = [];
for (let i = Number(from); i < Number(to); i++) {
  const { svg, camera, label } = frameSvg(i, seededRandom(Number(seed) * 7919 + i * 31 + 5), { outDir: out!, count: Number(to), seed: Number(seed) });
  if (dotsOnly && label.display !== 'dot-matrix') continue;
  if (glareOnly && !label.effects.some((e) => e.startsWith('glare'))) continue;
  if (alarmsOnly && !label.alarm) continue;
  const svgFile = join(tmp, `frame-${i}.svg`), png = join(tmp, `frame-${i}.png`);
  writeFileSync(svgFile, svg);
  await run('rsvg-convert', ['-o', png, svgFile]);
  const file = join(out!, label.file);
  await run('convert', [png, '-alpha', 'off', ...camera, '-strip', ...(file.endsWith('.png') ? [`PNG24:${file}`] : [file])]);
  labels.push(label);
}
writeFileSync(join(out!, 'labels.jsonl'), labels.map((l) => JSON.stringify(l)).join('\n') + '\n');
process.stderr.write(`${labels.length} frames in ${out}\n`);
