// bench/rec-int8: INT8 variants of the PP-OCRv4 recogniser made by `models
// quantize`'s code on the panel set, judged by its accuracy gate on held-back
// panels (fp32 detector, the variant recogniser, the decoded text against the
// labels) and its latency against fp32 measured in the same run (taking turns):
//   per-tensor  — every op with an integer kernel, one weight scale per tensor
//   per-channel — the same with one weight scale per output channel
//   per-channel + exclude-sensitive — attention MatMuls and the character classifier kept in float
//   ... + unfolded — the same without the graph rewrites before Q/DQ placement (affine
//                    blocks folded into Conv weights, Relu/Clip absorbed): the placement before them
// Peer: the fp32 recogniser. Ratio = fp32 ms / variant ms of the best-accuracy variant.
//
//   npm run bench -- rec-int8      (BENCH_PANELS=DIR, BENCH_LIMIT=N calibration inputs, default 16)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InferenceEngine } from '../src/inference/engine.js';
import { ModelRegistry } from '../src/inference/registry.js';
import { quantizeModel, type QuantizeRequest } from '../src/quantize/variant.js';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const log = (s: string) => process.stderr.write(`${s}\n`);
const panelsDir = process.env.BENCH_PANELS ?? join(root, '.tmp', 'calibration-panels');
if (!existsSync(join(panelsDir, 'labels.tsv'))) {
  log(`rendering the panel set into ${panelsDir}`);
  execFileSync('bash', [join(root, 'scripts', 'make-calibration-panels.sh'), panelsDir, '60', '7'], { stdio: 'inherit' });
}
const limit = Number(process.env.BENCH_LIMIT ?? 16);
const engine = new InferenceEngine({ accelerators: [{ backend: 'ort-node', ep: 'cpu', options: {} }] });
const TH = { minTextAgreement: 0.99, maxAccuracyDrop: 0.01, minCorrelation: 0.99, maxRelativeError: 0.05 };
const variants: Array<[string, Partial<QuantizeRequest>]> = [
  ['per-tensor', { perChannel: false }],
  ['per-channel', { perChannel: true }],
  ['per-channel+exclude-sensitive', { perChannel: true, excludeSensitive: true }],
  ['per-channel+exclude-sensitive+unfolded', { perChannel: true, excludeSensitive: true, fold: false }],
];
const only = process.env.BENCH_VARIANTS?.split(',');
const figures: Record<string, Record<string, unknown>> = {};
for (const [name, opts] of variants) {
  if (only && !only.includes(name)) continue;
  const state = mkdtempSync(join(tmpdir(), 'faultsense-bench-rec-int8-'));
  try {
    const t0 = performance.now();
    const r = await quantizeModel(new ModelRegistry({ stateDir: state }), engine, {
      ref: 'pp-ocrv4-rec', precision: 'int8', calibrateDir: panelsDir, method: 'percentile', limit, thresholds: TH, ...opts,
      onProgress: (s) => log(`${name}: ${s}`),
    });
    const lat = r.info.latency!;
    figures[name] = {
      gate: r.gate.passed, ...r.gate.figures, fp32Ms: lat.fp32Ms, ms: lat.variantMs, speedup: Math.round((lat.fp32Ms / lat.variantMs) * 100) / 100,
      bytes: r.info.bytes?.variant, fp32Bytes: r.info.bytes?.fp32, floatNodes: r.info.floatNodes ?? 0, folds: r.info.folds ?? null, quantizeSec: Math.round((performance.now() - t0) / 100) / 10,
    };
    log(`${name}: ${JSON.stringify(figures[name])}`);
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
}
const ranked = Object.entries(figures).sort(([, a], [, b]) => Number(b.accuracyVariant ?? b.agreement ?? 0) - Number(a.accuracyVariant ?? a.agreement ?? 0));
const best = ranked[0];
console.log(JSON.stringify({
  bench: 'rec-int8', peer: 'fp32 recogniser', best: best?.[0], ratio: best ? best[1].speedup : null,
  ours_ms: best?.[1].ms, peer_ms: best?.[1].fp32Ms, calibration_inputs: limit, variants: figures,
}));
