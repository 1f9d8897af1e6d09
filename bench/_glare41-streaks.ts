// Development aid (glare41): renders, among frames FROM..TO-1 of a drawn-panel seed, only the frames drawn with a
// glare streak over a display with ghost segments (the frames gen-panels-drawn.ts would render at those indices,
// same names and labels): where a streak read as ink lights unlit segments on the lit view.
//   node --import tsx bench/_glare41-streaks.ts OUT SEED FROM TO
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { seededRandom } from '../src/inference/selftest.js';
import { frameSvg, type DrawnPanelLabel } from '../scripts/gen-panels-drawn.js';

const run = promisify(execFile);
const [out, seed, from, to] = process.argv.slice(2);
const tmp = join(out!, '.parts');
mkdirSync(tmp, { recursive: true });
const labels: DrawnPanelLabel[] = [];
for (let i = Number(from); i < Number(to); i++) {
  const { svg, camera, label } = frameSvg(i, seededRandom(Number(seed) * 7919 + i * 31 + 5), { outDir: out!, count: Number(to), seed: Number(seed) });
  if (!label.effects.includes('glare-streak') || !label.effects.includes('ghost-segments')) continue;
  const svgFile = join(tmp, `frame-${i}.svg`), png = join(tmp, `frame-${i}.png`);
  writeFileSync(svgFile, svg);
  await run('rsvg-convert', ['-o', png, svgFile]);
  const file = join(out!, label.file);
  await run('convert', [png, '-alpha', 'off', ...camera, '-strip', ...(file.endsWith('.png') ? [`PNG24:${file}`] : [file])]);
  labels.push(label);
}
writeFileSync(join(out!, 'labels.jsonl'), labels.map((l) => JSON.stringify(l)).join('\n') + '\n');
process.stderr.write(`${labels.length} frames in ${out}\n`);
