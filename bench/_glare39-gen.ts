// Development aid (glare39): renders only the alarm frames with glare among frames FROM..TO-1 of a drawn-panel seed
// (the frames gen-panels-drawn.ts would render at those indices, same names and labels), to collect many glare frames
// without rendering the rest.
//   node --import tsx bench/_glare39-gen.ts OUT SEED FROM TO
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
  if (!label.alarm || !label.effects.some((e) => e.startsWith('glare'))) continue;
  const svgFile = join(tmp, `frame-${i}.svg`), png = join(tmp, `frame-${i}.png`);
  writeFileSync(svgFile, svg);
  await run('rsvg-convert', ['-o', png, svgFile]);
  const file = join(out!, label.file);
  await run('convert', [png, '-alpha', 'off', ...camera, '-strip', ...(file.endsWith('.png') ? [`PNG24:${file}`] : [file])]);
  labels.push(label);
}
writeFileSync(join(out!, 'labels.jsonl'), labels.map((l) => JSON.stringify(l)).join('\n') + '\n');
process.stderr.write(`${labels.length} glare alarm frames in ${out}\n`);
