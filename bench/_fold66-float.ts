// Exact float rewrites of the PP-OCRv4 models (conv-affine-fold.ts + scalar-chain-merge.ts, no quantization) timed
// against the original files in one process, alternating, at the reader's shapes, on both backends; outputs compared.
//   node --import tsx bench/_fold66-float.ts OUTDIR [SET_DIR] [PANELS] [RUNS]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledOcrModels } from '../src/vision/ocr/panel-reader.js';
import { readModel, writeModel } from '../src/inference/onnx-io.js';
import { constantsToInitializers } from '../src/quantize/qdq-int8.js';
import { foldAffineIntoConv } from '../src/inference/conv-affine-fold.js';
import { mergeScalarChains } from '../src/inference/scalar-chain-merge.js';
import { OrtNodeBackend } from '../src/inference/backend-ort-node.js';
import { OrtNativeBackend } from '../src/inference/backend-ort-native.js';
import type { Backend, BackendSession } from '../src/inference/backend.js';
import type { Feeds } from '../src/inference/tensor.js';
import { listPanels, recordOcrFeeds } from '../src/quantize/ocr-inputs.js';

const [outDir = '/tmp', setDir = '/work/sets/drawn2', panelsArg = '10', runsArg = '3'] = process.argv.slice(2);
const runs = Number(runsArg);
const models = bundledOcrModels();
const derived: Record<string, string> = {};
for (const [role, file] of [['det', models.detection], ['rec', models.recognition]] as const) {
  const m = readModel(file);
  const before = m.graph.node.length;
  constantsToInitializers(m);
  const fold = foldAffineIntoConv(m);
  const merged = mergeScalarChains(m);
  const out = join(outDir, `${role}-folded.onnx`);
  writeFileSync(out, writeModel(m));
  derived[role] = out;
  console.log(`${role}: ${before} → ${m.graph.node.length} nodes (fold ${JSON.stringify(fold)}, merged ${merged})`);
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
async function time(s: BackendSession, feeds: Feeds): Promise<[number, Float32Array]> {
  const t0 = performance.now();
  const out = await s.run(feeds);
  return [performance.now() - t0, Object.values(out)[0]!.data as Float32Array];
}
// The detector's and recogniser's real feeds: what the reader gave them on the first panels of a set.
const panels = listPanels(setDir).slice(0, Number(panelsArg));
const recorded = await recordOcrFeeds(models, panels, 400);
const shapeOf = (f: Feeds) => Object.values(f)[0]!.dims.join('x');
console.log(`recorded on ${panels.length} panels of ${setDir}: det ${recorded.det.length} runs, rec ${recorded.rec.length} runs`);

const backends: Array<[string, Backend]> = [['ort-node', new OrtNodeBackend()], ['ort-native', new OrtNativeBackend()]];
for (const [bname, be] of backends) {
  let sess: Record<string, [BackendSession, BackendSession]>;
  try {
    sess = {};
    for (const role of ['det', 'rec'] as const) {
      const orig = role === 'det' ? models.detection : models.recognition;
      sess[role] = [await be.load({ path: orig }, { ep: 'cpu' }), await be.load({ path: derived[role]! }, { ep: 'cpu' })];
    }
  } catch (err) { console.log(`${bname}: not loaded (${(err as Error).message.slice(0, 120)})`); continue; }
  for (const role of ['det', 'rec'] as const) {
    const [a, b] = sess[role]!;
    const byShape = new Map<string, { a: number[]; b: number[]; n: number }>();
    let maxDiff = 0, sumA = 0, sumB = 0;
    for (const feeds of recorded[role]) {
      await time(a, feeds); await time(b, feeds);  // warm this shape
      const st = byShape.get(shapeOf(feeds)) ?? { a: [], b: [], n: 0 };
      st.n++;
      for (let i = 0; i < runs; i++) {
        const first = i % 2 === 0 ? a : b, second = first === a ? b : a;
        const [t1, o1] = await time(first, feeds);
        const [t2, o2] = await time(second, feeds);
        (first === a ? st.a : st.b).push(t1); (second === a ? st.a : st.b).push(t2);
        if (i === 0) for (let k = 0; k < o1.length; k++) maxDiff = Math.max(maxDiff, Math.abs(o1[k]! - o2[k]!));
      }
      byShape.set(shapeOf(feeds), st);
    }
    for (const [shape, st] of byShape) {
      const ma = median(st.a), mb = median(st.b);
      sumA += ma * st.n; sumB += mb * st.n;
      console.log(`  ${bname} ${role} ${shape} ×${st.n}: orig ${ma.toFixed(1)} ms, folded ${mb.toFixed(1)} ms, ratio ${(mb / ma).toFixed(3)}`);
    }
    console.log(`${bname} ${role} total over ${recorded[role].length} real runs: orig ${sumA.toFixed(0)} ms, folded ${sumB.toFixed(0)} ms, ratio ${(sumB / sumA).toFixed(3)}, max|Δ| of outputs ${maxDiff.toExponential(2)}`);
  }
  for (const [x, y] of Object.values(sess)) { await x.release(); await y.release(); }
}
process.exit(0);
