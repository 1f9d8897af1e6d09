import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
const [dir, ...files] = process.argv.slice(2);
const labels = readFileSync(join(dir!, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
for (const f of files) {
  const l = labels.find((x: { file: string }) => x.file === f);
  const p = l.panel;
  const left = Math.max(0, p.x - 10), top = Math.max(0, p.y - 10);
  const width = Math.min(l.width - left, p.width + 20), height = Math.min(l.height - top, p.height + 20);
  await sharp(join(dir!, f)).extract({ left, top, width, height }).resize({ width: Math.max(300, width) }).png().toFile(`/tmp/i11n-${f.split('-')[0]}.png`);
}
