// Vision anomaly detection on the development set (bench/sets/vision-scenes.ts):
// per scene (a machine front from a fixed camera, 640×480) the baseline is fitted
// on 24 normal frames (light within ±12 %), then 24 normal frames and 24 frames
// with a defect (missing bolt ≈1 % of the frame, scratch, stain, foreign object,
// missing label, open cover) are scored under ±25 % light, gradients, shadows,
// noise and JPEG. Three detectors in the same run, each calibrated on held-out
// normal frames so 1.0 is its threshold:
//   ours       the fitted baseline's ONNX graph through ONNX Runtime
//   pixel      a naive per-pixel Gaussian of grey levels (160×120)
//   frame-diff difference to the mean normal frame (160×120)
// Figures: AUC (defects vs normal), recall and false alarms per 50 normal at 1.0, and
// for ours the share of defects whose centre lies inside the reported box.
//   npm run bench -- vision-anomaly [--scenes N] [--seed N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auc, quantile } from '../src/audio/linalg.js';
import { newBaselineDocument, writeBaselineDocument } from '../src/baseline/store.js';
import { fitVisionBaselineWith, loadVisionBaseline, TsVisionScorer } from '../src/baseline/vision.js';
import { frameToGray, resizeArea } from '../src/vision/image.js';
import type { Frame } from '../src/types.js';
import { visionDevSet, type VisionSample } from './sets/vision-scenes.js';

const arg = (k: string, d: number): number => { const i = process.argv.indexOf(k); return i > 0 ? Number(process.argv[i + 1]) : d; };
const tune = (() => { const i = process.argv.indexOf('--tune'); return i > 0 ? process.argv[i + 1] : undefined; })();
const methods = ['ours', 'pixel', 'frame-diff'] as const;
type Method = typeof methods[number];
interface Row { sample: VisionSample; score: number; boxHit?: boolean }
const rows: Record<Method, Row[]> = { ours: [], pixel: [], 'frame-diff': [] };

const small = (f: Frame): Float32Array => resizeArea(frameToGray(f), 160, 120).data;
function blurMax(v: Float32Array, w = 160, h = 120): number {
  let best = 0;
  for (let y = 1; y < h - 1; y++) for (let x = 1; x < w - 1; x++) {
    let s = 0;
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) s += v[(y + dy) * w + x + dx]!;
    best = Math.max(best, s / 9);
  }
  return best;
}
/** Per-pixel detectors fitted on all but every 5th fit frame, calibrated (99th pct) on those. */
function pixelPeers(fit: Frame[]): { pixel: (f: Frame) => number; diff: (f: Frame) => number } {
  const imgs = fit.map(small);
  const train = imgs.filter((_, i) => i % 5 !== 4), held = imgs.filter((_, i) => i % 5 === 4);
  const n = imgs[0]!.length;
  const mean = new Float32Array(n), sd = new Float32Array(n);
  for (const im of train) for (let i = 0; i < n; i++) mean[i] += im[i]! / train.length;
  for (const im of train) for (let i = 0; i < n; i++) sd[i] += (im[i]! - mean[i]!) ** 2 / train.length;
  for (let i = 0; i < n; i++) sd[i] = Math.sqrt(sd[i]!) + 2;
  const rawPixel = (im: Float32Array): number => blurMax(im.map((v, i) => Math.abs(v - mean[i]!) / sd[i]!));
  const rawDiff = (im: Float32Array): number => blurMax(im.map((v, i) => Math.abs(v - mean[i]!)));
  const sp = quantile(held.map(rawPixel), 0.99), sdf = quantile(held.map(rawDiff), 0.99);
  return { pixel: (f) => rawPixel(small(f)) / sp, diff: (f) => rawDiff(small(f)) / sdf };
}

const t0 = performance.now();
const sets = await visionDevSet({ scenes: arg('--scenes', 2), seed: arg('--seed', 1) });
const genMs = performance.now() - t0;
for (const set of sets) {
  const dir = mkdtempSync(join(tmpdir(), 'faultsense-bench-vision-'));
  try {
    // --tune W,R,P,NF,RF (work width, illumination radius, peak weight, noise floor, relative floor): explore settings.
    if (tune) {
      for (const t of tune.split(';')) {
        const [w, r, p, nf, rf] = t.split(',').map(Number);
        const f = await fitVisionBaselineWith(set.fit, { outDir: dir, inputs: ['bench'] }, { workWidth: w, illuminationRadius: r, peakWeight: p, noiseFloor: nf, relativeFloor: rf });
        const sc = new TsVisionScorer(f.model, 640, 480);
        const sc2 = await Promise.all(set.test.map(async (x) => ({ s: (await sc.score(x.frame)).score, d: !!x.defect })));
        const nm = sc2.filter((x) => !x.d).map((x) => x.s), dm = sc2.filter((x) => x.d).map((x) => x.s);
        process.stderr.write(`tune ${t} scene ${set.scene}: auc ${auc(dm, nm).toFixed(3)} normal max ${Math.max(...nm).toFixed(2)} med ${quantile(nm, 0.5).toFixed(2)} defects<max(normal) ${dm.filter((v) => v <= Math.max(...nm)).length} min defect ${Math.min(...dm).toFixed(2)}\n`);
      }
    }
    const fit = await fitVisionBaselineWith(set.fit, { outDir: dir, inputs: ['bench'] }, {});
    const doc = newBaselineDocument();
    doc.modalities.vision = fit.meta;
    writeBaselineDocument(dir, doc);
    const { scorer } = await loadVisionBaseline(dir);
    const peers = pixelPeers(set.fit);
    for (const sample of set.test) {
      const r = await scorer.score(sample.frame);
      const b = sample.box;
      const hit = b ? insideBox(b.x + b.width / 2, b.y + b.height / 2, r.box, 8) : undefined;
      rows.ours.push({ sample, score: r.score, boxHit: hit });
      rows.pixel.push({ sample, score: peers.pixel(sample.frame) });
      rows['frame-diff'].push({ sample, score: peers.diff(sample.frame) });
    }
    await scorer.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function insideBox(x: number, y: number, b: { x: number; y: number; width: number; height: number }, tol: number): boolean {
  return x >= b.x - tol && x <= b.x + b.width + tol && y >= b.y - tol && y <= b.y + b.height + tol;
}
const r3 = (v: number): number => Math.round(v * 1000) / 1000;
function figures(list: Row[]): Record<string, unknown> {
  const normal = list.filter((r) => !r.sample.defect), bad = list.filter((r) => r.sample.defect);
  const byKind: Record<string, number> = {};
  for (const k of new Set(bad.map((r) => r.sample.defect!))) {
    const mine = bad.filter((r) => r.sample.defect === k);
    byKind[k] = r3(mine.filter((r) => r.score >= 1).length / mine.length);
  }
  const hits = bad.filter((r) => r.boxHit !== undefined);
  return {
    auc: r3(auc(bad.map((r) => r.score), normal.map((r) => r.score))),
    recall: r3(bad.filter((r) => r.score >= 1).length / bad.length),
    false_alarms_per_50: r3((normal.filter((r) => r.score >= 1).length / normal.length) * 50),
    normal_median: r3(quantile(normal.map((r) => r.score), 0.5)),
    normal_max: r3(Math.max(...normal.map((r) => r.score))),
    defect_median: r3(quantile(bad.map((r) => r.score), 0.5)),
    ...(hits.length ? { box_hit: r3(hits.filter((r) => r.boxHit).length / hits.length) } : {}),
    recall_by_defect: byKind,
  };
}
const out = Object.fromEntries(methods.map((m) => [m, figures(rows[m])])) as Record<Method, Record<string, number>>;
for (const m of methods) process.stderr.write(`${m.padEnd(10)} ${JSON.stringify(out[m])}\n`);
for (const r of rows.ours) {
  if (r.sample.defect && (r.score < 1 || !r.boxHit)) process.stderr.write(`  ${r.sample.defect}: score ${r3(r.score)} box ${r.boxHit ? 'hit' : 'missed'}\n`);
  if (!r.sample.defect && r.score >= 1) process.stderr.write(`  false alarm: ${r.sample.frame.source} score ${r3(r.score)}\n`);
}
process.stderr.write(`${sets.length} scenes, ${rows.ours.length} test frames, generated in ${(genMs / 1000).toFixed(1)} s, total ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
console.log(JSON.stringify({
  bench: 'vision-anomaly', ratio: r3(out.ours.auc / out.pixel.auc), peer: 'per-pixel Gaussian', ours_auc: out.ours.auc, peer_auc: out.pixel.auc,
  frame_diff_auc: out['frame-diff'].auc, scenes: sets.length, frames: rows.ours.length, ...out,
}));
