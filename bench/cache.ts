// bench/cache: what the feature cache saves.
//  1. The same image diagnosed cold (decode + analysis + fusion each time) vs
//     answered from the SQLite-backed feature cache (peer: the same pipeline
//     without the cache, measured in this run).
//  2. A static scene from a fixed camera at 10 fps for 10 s: every frame
//     analysed vs only frames that changed since the last analysed one.
// The analysis is a CPU-heavy stand-in (sharp decode + repeated blurs over the
// grey image, like a small convolutional front end), so the figures compare
// the caching logic, not a particular model.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { cacheKey, FeatureCache } from '../src/cache/feature-cache.js';
import { contentKey, FrameChangeDetector } from '../src/cache/frame-hash.js';
import { loadFaultCatalog } from '../src/diagnosis/catalog.js';
import { Diagnoser } from '../src/diagnosis/diagnoser.js';
import type { Frame, VisionFindings } from '../src/types.js';

const root = join(import.meta.dirname, '..');
const say = (s: string) => process.stderr.write(`${s}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function blurPasses(px: Float32Array, w: number, h: number, passes: number): Float32Array {
  let cur = px;
  for (let p = 0; p < passes; p++) {
    const next = new Float32Array(cur.length);
    for (let y = 1; y < h - 1; y++) {
      for (let x = 1; x < w - 1; x++) {
        const i = y * w + x;
        next[i] = (cur[i - 1]! + cur[i + 1]! + cur[i - w]! + cur[i + w]! + cur[i]!) / 5;
      }
    }
    cur = next;
  }
  return cur;
}

async function analyseImage(bytes: Buffer): Promise<VisionFindings> {
  const { data, info } = await sharp(bytes).resize({ width: 640, withoutEnlargement: true }).greyscale().raw().toBuffer({ resolveWithObject: true });
  const out = blurPasses(Float32Array.from(data), info.width, info.height, 12);
  const mean = out.reduce((a, b) => a + b, 0) / out.length;
  return { quality: 0.9, anomalyScore: Math.round(mean) / 100, text: ['E-042'], alarmCodes: ['E-042'] };
}

function analyseFrame(f: Frame): number {
  const grey = new Float32Array(f.width * f.height);
  for (let i = 0; i < grey.length; i++) grey[i] = f.data[i * 3]!;
  const out = blurPasses(grey, f.width, f.height, 3);
  return out[out.length >> 1]!;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function sceneFrame(seq: number, alarmLit: boolean): Frame {
  const w = 640, h = 480, rnd = lcg(seq + 1);
  const data = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = 70 + ((x * 100) / w) | 0;
      if (x > 200 && x < 440 && y > 160 && y < 320) v = 25;
      if (alarmLit && x > 300 && x < 320 && y > 190 && y < 290) v = 220;
      v = Math.max(0, Math.min(255, v + Math.round((rnd() - 0.5) * 12)));
      const i = (y * w + x) * 3;
      data[i] = v; data[i + 1] = v; data[i + 2] = v;
    }
  }
  return { data, width: w, height: h, channels: 3, ts: seq * 100, seq, source: 'cam0' };
}

const dir = mkdtempSync(join(tmpdir(), 'faultsense-bench-cache-'));
try {
  const catalog = loadFaultCatalog(join(root, 'config/faults.example.yaml'));
  const diagnoser = new Diagnoser(catalog, { deviceId: 'bench' });
  const imageFile = join(root, 'demo/panel-alarm.png');
  const image = existsSync(imageFile) ? readFileSync(imageFile)
    : await sharp({ create: { width: 640, height: 360, channels: 3, background: '#203020' } }).png().toBuffer();

  // 1. Repeated diagnose of one image.
  const runs = 7;
  const cold: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    diagnoser.diagnose({ vision: await analyseImage(image) });
    cold.push(performance.now() - t0);
  }
  const cache = new FeatureCache({ file: join(dir, 'features.sqlite'), maxBytes: 64e6, ttlSec: 3600 });
  cache.open();
  const diagnoseCached = async () => {
    const t0 = performance.now();
    const key = cacheKey({ content: contentKey(image), model: 'panel-analysis', version: '1' });
    const { value, hit } = await cache.getOrCompute(key, { modality: 'vision', tags: ['panel'] }, () => analyseImage(image));
    diagnoser.diagnose({ vision: value, cacheHit: hit });
    return performance.now() - t0;
  };
  await diagnoseCached(); // warms the cache (a miss)
  const cached: number[] = [];
  for (let i = 0; i < runs * 3; i++) cached.push(await diagnoseCached());
  cache.close();
  const coldMs = median(cold), cachedMs = median(cached);
  say(`same image: cold ${coldMs.toFixed(2)} ms, cached ${cachedMs.toFixed(3)} ms (median of ${runs} / ${runs * 3})`);

  // 2. Static scene, 10 fps for 10 s, one change (an alarm lamp) half way.
  const frames = Array.from({ length: 100 }, (_, i) => sceneFrame(i, i >= 50));
  let t0 = performance.now();
  for (const f of frames) analyseFrame(f);
  const withoutMs = performance.now() - t0;
  const detector = new FrameChangeDetector({ threshold: 6 });
  t0 = performance.now();
  for (const f of frames) if (detector.shouldAnalyse(f)) analyseFrame(f);
  const withMs = performance.now() - t0;
  say(`static scene 10 fps × 10 s: every frame ${withoutMs.toFixed(0)} ms, with unchanged-frame skip ${withMs.toFixed(0)} ms ` +
    `(${detector.analysed} of ${frames.length} frames analysed)`);

  const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;
  process.stdout.write(JSON.stringify({
    bench: 'cache',
    ratio: round(cachedMs / coldMs, 4),
    peer: 'same diagnose pipeline without the cache',
    ours_ms: round(cachedMs),
    peer_ms: round(coldMs),
    repeat_reduction_pct: round((1 - cachedMs / coldMs) * 100, 2),
    static_ratio: round(withMs / withoutMs, 4),
    static_with_skip_ms: round(withMs, 1),
    static_every_frame_ms: round(withoutMs, 1),
    static_frames: frames.length,
    static_frames_analysed: detector.analysed,
  }) + '\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
