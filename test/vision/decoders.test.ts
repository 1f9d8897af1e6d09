// Bring-your-own model decoders, run on tiny ONNX models built here with known
// outputs, and the VisionAnalyzer putting everything together on one frame.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { OnnxGraph, floatTensor } from '../../src/inference/onnx-builder.js';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { AnomalyModel, decodeAnomaly, normaliseAnomalibScore } from '../../src/vision/models/anomaly.js';
import { ClassifierModel, decodeClassifier } from '../../src/vision/models/classifier.js';
import { decodeYolo, DetectorModel, nonMaxSuppression } from '../../src/vision/models/detector.js';
import { openCpuSession } from '../../src/inference/session.js';
import type { Frame } from '../../src/types.js';

function solidFrame(w: number, h: number, rgb: [number, number, number], square?: { x: number; y: number; size: number; rgb: [number, number, number] }): Frame {
  const data = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const inside = square && x >= square.x && x < square.x + square.size && y >= square.y && y < square.y + square.size;
      const c = inside ? square.rgb : rgb;
      data.set(c, (y * w + x) * 3);
    }
  }
  return { data, width: w, height: h, channels: 3, ts: 0, seq: 0, source: 'test' };
}

/** Classifier: logits = mean colour (R, G, B) × 10. */
function colourClassifierOnnx(): Uint8Array {
  const g = new OnnxGraph('classifier');
  const x = g.input('images', 'float32', [1, 3, 16, 16]);
  const pooled = g.node('ReduceMean', [x], { axes: [2, 3], keepdims: 0 });
  const ten = g.initializer('ten', [10], [1]);
  g.output(g.node('Mul', [pooled, ten], {}, 'logits'), 'float32', [1, 3]);
  return g.toModel();
}

/** anomalib-style: anomaly_map = channel mean (1×1×16×16), pred_score = its max. */
function anomalyOnnx(): Uint8Array {
  const g = new OnnxGraph('anomaly');
  const x = g.input('input', 'float32', [1, 3, 16, 16]);
  const map = g.node('ReduceMean', [x], { axes: [1], keepdims: 1 }, 'anomaly_map');
  g.output(g.node('ReduceMax', [map], { axes: [1, 2, 3], keepdims: 0 }, 'pred_score'), 'float32', [1]);
  g.output(map, 'float32', [1, 1, 16, 16]);
  return g.toModel();
}

/** YOLOv8-style output [1, 4 + 2, 3]: three candidates, two overlapping "person"s and one "forklift". */
function detectorOnnx(): Uint8Array {
  const g = new OnnxGraph('detector');
  const x = g.input('images', 'float32', [1, 3, 32, 32]);
  const candidates = [
    // cx, cy, w, h, person, forklift
    [8, 8, 8, 8, 0.9, 0.1],
    [9, 8, 8, 8, 0.8, 0.05],
    [24, 20, 10, 6, 0.2, 0.7],
  ];
  const data = new Float32Array(6 * 3);
  candidates.forEach((c, i) => c.forEach((v, f) => { data[f * 3 + i] = v; }));
  const consts = g.constant('raw', floatTensor(data, [1, 6, 3]));
  // Tie the output to the input so the graph has a real dependency: raw + 0 × mean(x).
  const zero = g.node('Mul', [g.node('ReduceMean', [x], { axes: [1, 2, 3], keepdims: 0 }), g.initializer('zero', [0], [1])]);
  g.output(g.node('Add', [consts, zero], {}, 'output0'), 'float32', [1, 6, 3]);
  return g.toModel();
}

test('classifier decoder: softmax over logits, labels, top-k; wrong label count is an error', async () => {
  const session = await openCpuSession(colourClassifierOnnx());
  const model = new ClassifierModel(session, { width: 16, height: 16, labels: ['red', 'green', 'blue'], topK: 2 });
  const top = await model.classify(solidFrame(40, 30, [20, 230, 30]));
  assert.equal(top.length, 2);
  assert.equal(top[0]!.label, 'green');
  const expected = Math.exp(230 / 25.5) / (Math.exp(20 / 25.5) + Math.exp(230 / 25.5) + Math.exp(30 / 25.5));
  assert.ok(Math.abs(top[0]!.probability - expected) < 1e-4, `p(green) ${top[0]!.probability} vs ${expected}`);
  assert.deepEqual(decodeClassifier([0.1, 0.7, 0.2], { labels: ['a', 'b', 'c'] }).map((p) => p.probability), [0.7, 0.2, 0.1]);
  assert.throws(() => decodeClassifier([1, 2], { labels: ['a', 'b', 'c'] }), /2 classes but the manifest lists 3 labels/);
  await session.release();
});

test('anomaly decoder: anomalib map and score, normalisation, box around the hot region', async () => {
  const session = await openCpuSession(anomalyOnnx());
  const model = new AnomalyModel(session, { width: 16, height: 16, normalisation: { imageThreshold: 0.5, pixelThreshold: 0.5, min: 0, max: 1 } });
  // 64×64 frame, bright square at (32..48, 16..32): map cells 8..11 × 4..7.
  const r = await model.score(solidFrame(64, 64, [10, 10, 10], { x: 32, y: 16, size: 16, rgb: [255, 255, 255] }));
  assert.ok(Math.abs(r.raw - 1) < 1e-5, `raw ${r.raw}`);
  assert.ok(Math.abs(r.score - 2) < 1e-4, 'score is raw / image threshold');
  assert.equal(r.normalised, 1);
  assert.deepEqual(r.box, { x: 32, y: 16, width: 16, height: 16 });
  const calm = await model.score(solidFrame(64, 64, [60, 60, 60]));
  assert.ok(calm.score < 1 && calm.normalised < 0.5);
  assert.equal(normaliseAnomalibScore(0.5, 0.5, 0, 1), 0.5);
  assert.throws(() => decodeAnomaly(undefined, 1, { imageThreshold: 0, min: 0, max: 1 }, 1, 1), /imageThreshold/);
  await session.release();
});

test('detector decoder: YOLOv8 layout, score threshold, NMS, boxes scaled to the frame', async () => {
  const session = await openCpuSession(detectorOnnx());
  const model = new DetectorModel(session, { width: 32, height: 32, labels: ['person', 'forklift'], scoreThreshold: 0.5 });
  const dets = await model.detect(solidFrame(64, 64, [0, 0, 0]));
  assert.deepEqual(dets.map((d) => d.label), ['person', 'forklift'], 'the overlapping second person is suppressed');
  assert.ok(Math.abs(dets[0]!.score - 0.9) < 1e-6);
  assert.deepEqual(dets[0]!.box, { x: 8, y: 8, width: 16, height: 16 });
  // YOLOv5 layout [1, N, 5 + K] with objectness.
  const v5 = new Float32Array([10, 10, 4, 4, 0.5, 0.9, 0.1, 30, 30, 4, 4, 0.9, 0.2, 0.9]);
  const d5 = decodeYolo({ data: v5, dims: [1, 2, 7] }, { labels: ['person', 'forklift'], scoreThreshold: 0.3 });
  assert.deepEqual(d5.map((d) => [d.label, Math.round(d.score * 100)]), [['forklift', 81], ['person', 45]]);
  assert.throws(() => decodeYolo({ data: new Float32Array(10), dims: [1, 5, 2] }, { labels: ['a', 'b', 'c'] }), /fits neither/);
  assert.equal(nonMaxSuppression([
    { label: 'a', classIndex: 0, score: 0.9, box: { x: 0, y: 0, width: 10, height: 10 } },
    { label: 'b', classIndex: 1, score: 0.8, box: { x: 0, y: 0, width: 10, height: 10 } },
  ], 0.5).length, 2, 'NMS is per class');
  await session.release();
});

test('VisionAnalyzer: text and alarm codes from an ROI, quality, BYO model output', async () => {
  const panels = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/panels');
  const panel = await decodeImageFile(join(panels, 'zh-motor-e042.png'));
  const session = await openCpuSession(colourClassifierOnnx());
  const analyzer = await VisionAnalyzer.create({
    rois: [{ name: 'panel', x: 0, y: 0, width: panel.width, height: panel.height, ocr: true }],
    alarmPatterns: ['E-042', '/ERR ?\\d{3}/'],
    models: [{ name: 'colour', model: new ClassifierModel(session, { width: 16, height: 16, labels: ['red', 'green', 'blue'] }) }],
  });
  try {
    const f = await analyzer.analyze(panel);
    assert.deepEqual(f.text.map((t) => t.replace(/\s+/g, '')), ['电机故障E-042']);
    assert.deepEqual(f.alarmCodes, ['E-042']);
    assert.equal(f.anomalyScore, null, 'no baseline, no anomaly model');
    assert.ok(f.quality > 0 && f.quality <= 1);
    assert.deepEqual(f.rois?.map((r) => r.name), ['panel']);
    const colour = (f.detail?.models as Record<string, { top: Array<{ label: string }> }>).colour;
    assert.equal(colour.top[0]!.label, 'blue', 'the panel background is blue');
    const noOcr = await analyzer.analyze(panel, { ocr: false });
    assert.deepEqual(noOcr.text, []);
  } finally {
    await analyzer.close();
    await session.release();
  }
});
