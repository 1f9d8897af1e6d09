// Inference latency on /metrics: the engine reports every run of every session
// to a histogram labelled by model and execution provider; a series exists from
// the moment its session loads; a model that fell back from the preferred
// accelerator is labelled with the provider it really runs on, and the status
// page's model list says what it fell back from.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { InferenceLatencyMetric } from '../../src/api/inference-latency.js';
import { createMetricsRegistry } from '../../src/api/metrics.js';
import { modelsInUse } from '../../src/api/routes/status-page.js';
import { inferenceSchema } from '../../src/config/sections/inference.js';
import { modelLabel } from '../../src/inference/engine.js';
import { InferenceService } from '../../src/inference/service.js';
import { tempDir } from '../helpers/tmp.js';
import { writeAffine } from '../inference/helpers.js';

interface Family { name: string; type: string }

describe('inference latency histograms', () => {
  it('one series per model and provider, there before the first run, counting every run', async () => {
    const dir = tempDir('faultsense-latency-');
    const file = writeAffine(dir, 'affine.onnx', 2, 1);
    const latency = new InferenceLatencyMetric();
    // The preferred accelerator (an NPU execution provider) is not in this ONNX Runtime build: the engine falls back to the CPU.
    const inference = new InferenceService({
      config: inferenceSchema.parse({ accelerators: [{ backend: 'ort-native', ep: 'QNN' }, { backend: 'ort-node', ep: 'cpu' }] }),
      stateDir: tempDir('faultsense-latency-state-'), models: [], observer: latency,
    });
    await inference.start();
    const registry = createMetricsRegistry({ health: () => ({ inference: inference.health() }), faultIds: [], published: () => 0, api: () => ({ answered: 0, refused: 0 }), extra: [latency.histogram] });
    // The text parses as Prometheus text; the parser folds a labelled histogram's series into one,
    // so each series' count, sum and buckets are read from its own lines.
    const scrape = async () => {
      const text = await registry.metrics();
      const fam = (parsePrometheusTextFormat as (t: string) => Family[])(text).find((f) => f.name === 'faultsense_inference_duration_seconds');
      assert.equal(fam?.type, 'HISTOGRAM');
      const series = new Map<string, { labels: Record<string, string>; count: number; sum: number; buckets: Record<string, number> }>();
      for (const m of text.matchAll(/^faultsense_inference_duration_seconds_(bucket|sum|count)\{([^}]*)\} (\S+)$/gm)) {
        const labels = Object.fromEntries([...m[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1]!, l[2]!]));
        const { le, ...rest } = labels;
        const key = JSON.stringify(rest);
        const s = series.get(key) ?? { labels: rest, count: NaN, sum: NaN, buckets: {} };
        if (m[1] === 'bucket') s.buckets[le!] = Number(m[3]);
        else s[m[1] as 'sum' | 'count'] = Number(m[3]);
        series.set(key, s);
      }
      return [...series.values()];
    };
    const session = await inference.open(file, 'vision-baseline@/state/baselines/2026-12-01T10-00-00');
    try {
      const before = await scrape();
      assert.deepEqual(before.map((m) => m.labels), [{ model: 'vision-baseline', backend: 'ort-node', ep: 'cpu' }],
        'bounded labels: the model name without its folder, the provider it runs on');
      assert.equal(before[0]!.count, 0);

      for (let i = 0; i < 3; i++) await session.run({ x: { data: Float32Array.from([1, 2, 3, 4]), dims: [1, 4] } });
      const after = (await scrape())[0]!;
      assert.equal(after.count, 3);
      assert.ok(after.sum > 0);
      assert.equal(after.buckets['+Inf'], 3);
      // A second session of the same model (a reload, the API's analysis worker reporting its own) adds to the series, never zeroes it.
      latency.loaded({ model: 'vision-baseline', backend: 'ort-node', ep: 'cpu' });
      latency.ran({ model: 'vision-baseline', backend: 'ort-node', ep: 'cpu' }, 2);
      assert.equal((await scrape())[0]!.count, 4);
      const les = Object.keys(after.buckets);
      assert.ok(les.includes('0.001') && les.includes('10'), `buckets from 1 ms to 10 s: ${les.join(',')}`);

      // The page's model list: the provider it runs on, what kind that is, and why it is not the NPU.
      const { preferred, models } = modelsInUse({ inference: inference.health() });
      assert.deepEqual(preferred, ['ort-native/QNN', 'ort-node/cpu']);
      assert.equal(models.length, 1);
      assert.equal(models[0]!.runsOn, 'ort-node/cpu');
      assert.equal(models[0]!.kind, 'cpu');
      assert.equal(models[0]!.file, 'affine.onnx');
      assert.equal(models[0]!.runs, 3);
      assert.equal(models[0]!.fellBack[0]!.accelerator, 'ort-native/QNN');
      assert.match(models[0]!.fellBack[0]!.error, /QNN/);
    } finally {
      await session.release();
      await inference.stop();
    }
  });

  it('model labels stay bounded', () => {
    assert.equal(modelLabel('pp-ocrv4-det@4.0.0'), 'pp-ocrv4-det');
    assert.equal(modelLabel('audio-baseline@/var/lib/faultsense/baselines/x'), 'audio-baseline');
    assert.equal(modelLabel('ch_PP-OCRv4_rec_infer.onnx'), 'ch_PP-OCRv4_rec_infer');
    assert.equal(modelLabel('/opt/models/custom.onnx'), 'custom');
  });
});
