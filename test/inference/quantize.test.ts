// Quantization on the board: INT8 QDQ and FP16 variants of a tiny conv net
// made in TypeScript, run by onnxruntime-node and the native ORT bridge, gated
// against fp32, chosen by the `auto` policy, activated and rolled back.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse, stringify } from 'yaml';
import { OrtNativeBackend } from '../../src/inference/backend-ort-native.js';
import { OrtNodeBackend } from '../../src/inference/backend-ort-node.js';
import { InferenceEngine } from '../../src/inference/engine.js';
import { sha256File } from '../../src/inference/hash.js';
import { ModelRegistry } from '../../src/inference/registry.js';
import { InferenceService } from '../../src/inference/service.js';
import { inferenceSchema } from '../../src/config/sections/inference.js';
import { calibrate } from '../../src/quantize/calibrate.js';
import { convertToFp16 } from '../../src/quantize/fp16.js';
import { compareRuns } from '../../src/quantize/gate.js';
import { DT, readModel, writeModel } from '../../src/inference/onnx-io.js';
import { constantsToInitializers, quantizeStatic, tensorsToCalibrate } from '../../src/quantize/qdq-int8.js';
import { quantizeModel } from '../../src/quantize/variant.js';
import type { Outputs } from '../../src/inference/tensor.js';
import { REPO_ROOT, runCliSync } from '../helpers/cli.js';
import { captureSchema } from '../../src/config/sections/capture.js';
import { captureCalibrationInputs } from '../../src/quantize/live-capture.js';
import { loadPanelImage } from '../../src/quantize/ocr-inputs.js';
import { tempDir } from '../helpers/tmp.js';
import { recordingLogger } from './helpers.js';
import { tinyConvNet, tinyFeeds, writeTinyModel } from './quantize-helpers.js';

const TH = { minTextAgreement: 0.99, minCorrelation: 0.99, maxRelativeError: 0.05 };

async function int8Tiny(calibrationScale: number): Promise<Uint8Array> {
  const m = readModel(tinyConvNet());
  constantsToInitializers(m);
  const cal = await calibrate(m, tensorsToCalibrate(m), tinyFeeds(16, 11, calibrationScale), { method: 'minmax' });
  const report = quantizeStatic(m, cal.ranges, { perChannel: true });
  assert.equal(report.quantizedNodes, 3, JSON.stringify(report));  // Conv, Conv, MatMul (Relu is not in the set)
  return writeModel(m);
}

async function runAll(backend: OrtNodeBackend | OrtNativeBackend, bytes: Uint8Array, feeds = tinyFeeds(4, 99)): Promise<Outputs[]> {
  const s = await backend.load({ bytes, name: 'tiny' }, { ep: 'cpu', threads: 1 });
  try {
    const out: Outputs[] = [];
    for (const f of feeds) out.push(await s.run(f));
    return out;
  } finally {
    await s.release();
  }
}

function maxDiff(a: Outputs[], b: Outputs[]): number {
  let worst = 0;
  a.forEach((o, k) => {
    const x = o.y!.data as Float32Array, y = b[k]!.y!.data as Float32Array;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
  });
  return worst;
}

test('ONNX files round-trip through the official schema unchanged', () => {
  const bytes = tinyConvNet();
  const again = writeModel(readModel(bytes));
  assert.deepEqual(Buffer.from(again), Buffer.from(bytes));
});

test('an INT8 QDQ and an FP16 tiny graph give the same result in onnxruntime-node and through the native bridge, close to fp32', async () => {
  const native = new OrtNativeBackend();
  const node = new OrtNodeBackend();
  const fp32 = await runAll(node, tinyConvNet());
  const int8 = await int8Tiny(1);
  const q = readModel(int8);
  assert.ok(q.graph.node.some((n) => n.op_type === 'QuantizeLinear'), 'has Q nodes');
  assert.ok(q.graph.initializer.some((t) => t.data_type === DT.INT8), 'has int8 weights');
  const a = await runAll(node, int8), b = await runAll(native, int8);
  assert.ok(maxDiff(a, b) <= 1e-5, `int8: backends differ by ${maxDiff(a, b)}`);
  const gate = compareRuns(fp32, a, TH);
  assert.ok(gate.passed, `int8 vs fp32: ${gate.reasons.join('; ')}`);
  assert.ok(maxDiff(fp32, a) > 0, 'int8 output is not bit-identical to fp32 (it was really quantized)');

  const f16 = readModel(tinyConvNet());
  const rep = convertToFp16(f16);
  assert.ok(rep.weights >= 5 && rep.casts >= 2, JSON.stringify(rep));
  assert.equal(f16.graph.initializer.find((t) => t.name === 'w1')?.data_type, DT.FLOAT16);
  const fp16 = writeModel(f16);
  const c = await runAll(node, fp16), d = await runAll(native, fp16);
  assert.equal(c[0]!.y!.type, 'float32', 'fp16 graph keeps float32 outputs');
  assert.ok(maxDiff(c, d) <= 1e-5, `fp16: backends differ by ${maxDiff(c, d)}`);
  assert.ok(compareRuns(fp32, c, TH).passed);
});

test('the gate rejects a variant from a deliberately broken calibration, which is kept but cannot be activated', async () => {
  const fp32 = await runAll(new OrtNodeBackend(), tinyConvNet());
  // Calibrated on inputs 1000 times too small: every real activation saturates.
  const broken = await runAll(new OrtNodeBackend(), await int8Tiny(0.001));
  const gate = compareRuns(fp32, broken, TH);
  assert.equal(gate.passed, false);
  assert.match(gate.reasons.join(' '), /correlation|max error/);

  const root = tempDir();
  await writeTinyModel(join(root, 'models'));
  const registry = new ModelRegistry({ stateDir: join(root, 'state'), modelDirs: [join(root, 'models')], bundled: false });
  const engine = new InferenceEngine({ accelerators: [{ backend: 'ort-node', ep: 'cpu', options: {} }], log: recordingLogger() });
  const result = await quantizeModel(registry, engine, {
    ref: 'tiny', precision: 'int8', perChannel: true, method: 'minmax', thresholds: TH,
    inputs: { source: 'test (broken)', real: true, calibrate: tinyFeeds(8, 5, 0.001), heldBack: tinyFeeds(4, 6) },
  });
  assert.equal(result.gate.passed, false);
  assert.equal(result.info.method, 'qdq-static');
  assert.equal(registry.get('tiny@1.0.0+int8').variant?.gate.passed, false);
  assert.equal(registry.activeVersion('tiny'), '1.0.0', 'a variant is never active by default');
  await assert.rejects(registry.activate('tiny@1.0.0+int8', engine), /failed its accuracy gate/);
});

test('auto picks a faster gated variant and falls back to fp32 when it fails to load', async () => {
  const root = tempDir();
  await writeTinyModel(join(root, 'models'));
  const state = join(root, 'state');
  const registry = new ModelRegistry({ stateDir: state, modelDirs: [join(root, 'models')], bundled: false });
  const log = recordingLogger();
  const engine = new InferenceEngine({ accelerators: [{ backend: 'ort-node', ep: 'cpu', options: {} }], log });
  const result = await quantizeModel(registry, engine, {
    ref: 'tiny', precision: 'int8', perChannel: true, method: 'percentile', thresholds: TH,
    inputs: { source: 'test', real: true, calibrate: tinyFeeds(12, 5), heldBack: tinyFeeds(4, 6) },
  });
  assert.ok(result.gate.passed, result.gate.reasons.join('; '));
  // Pretend the variant measured faster here, so auto on the CPU wants it (timings are not what this tests).
  const doc = parse(readFileSync(result.manifest, 'utf8')) as { variant: { latency: { fp32Ms: number; variantMs: number } }; files: { int8: { sha256: string } } };
  doc.variant.latency.fp32Ms = 2; doc.variant.latency.variantMs = 1;
  writeFileSync(result.manifest, stringify(doc));
  registry.scan();
  const m = registry.get('tiny@1.0.0+int8');
  const good = await registry.load(m, engine, 'auto');
  assert.equal(good.session.chosen.precision, 'int8');
  assert.ok(good.selfTest.ok, good.selfTest.problems.join('; '));
  assert.equal(good.fallback, undefined);
  await good.session.release();
  assert.equal((await registry.load(m, engine, { default: 'fp32' })).session.chosen.precision, 'fp32');

  // The int8 file is damaged (its sha256 updated, so it is the load that fails).
  writeFileSync(result.file, 'not an onnx model');
  doc.files.int8.sha256 = await sha256File(result.file);
  writeFileSync(result.manifest, stringify(doc));
  registry.scan();
  const fallen = await registry.load(registry.get('tiny@1.0.0+int8'), engine, 'auto');
  assert.equal(fallen.session.chosen.precision, 'fp32');
  assert.equal(fallen.fallback?.from, 'int8');
  assert.ok(fallen.selfTest.ok);
  const fp32File = fallen.session.chosen.file;
  assert.notEqual(fp32File, result.file);
  await fallen.session.release();

  // The daemon's inference component (verify mode) records what loaded: the analyzers open the fp32 file, and health says why.
  await (await registry.activate('tiny@1.0.0+int8', engine, 'auto')).session.release();
  const service = new InferenceService({
    config: inferenceSchema.parse({}), stateDir: state, log, engine, registry, models: ['tiny'], mode: 'verify', required: true,
  });
  await service.start();
  try {
    assert.equal(service.fileOf('tiny'), fp32File);
    const precision = service.health().precision as Record<string, { precision?: string; reason?: string; fallback?: { from: string } }>;
    assert.equal(precision.tiny?.precision, 'fp32');
    assert.equal(precision.tiny?.fallback?.from, 'int8');
    assert.match(precision.tiny?.reason ?? '', /fallback to fp32/);
  } finally {
    await service.stop();
  }
});

test('models quantize, activate and rollback of a variant through the CLI; list shows the gate figures', async () => {
  const root = tempDir();
  await writeTinyModel(join(root, 'models'));
  const config = join(root, 'config.yaml');
  writeFileSync(config, stringify({ stateDir: join(root, 'state'), inference: { modelDirs: [join(root, 'models')], accelerators: [{ backend: 'ort-native', ep: 'cpu' }] } }));
  const q = runCliSync(['models', 'quantize', 'tiny', '--precision', 'fp16', '-c', config, '--json'], { timeoutMs: 120_000 });
  assert.equal(q.status, 0, q.stderr);
  const made = JSON.parse(q.stdout) as { variant: string; gate: { passed: boolean; kind: string; figures: Record<string, number> } };
  assert.equal(made.variant, 'tiny@1.0.0+fp16');
  assert.equal(made.gate.passed, true);
  assert.equal(made.gate.kind, 'outputs');
  assert.ok(made.gate.figures.correlation! > 0.99);

  const act = runCliSync(['models', 'activate', 'tiny@1.0.0+fp16', '-c', config, '--json']);
  assert.equal(act.status, 0, act.stderr);
  assert.deepEqual((JSON.parse(act.stdout) as { active: string; previous: string }).active, '1.0.0+fp16');
  const list = JSON.parse(runCliSync(['models', 'list', '-c', config, '--json']).stdout) as {
    models: Array<{ id: string; active: string; versions: Array<{ version: string; variant?: { gate: { passed: boolean } } }> }>;
  };
  const tiny = list.models.find((m) => m.id === 'tiny')!;
  assert.equal(tiny.active, '1.0.0+fp16');
  assert.equal(tiny.versions.find((v) => v.version === '1.0.0+fp16')?.variant?.gate.passed, true);
  const doctor = JSON.parse(runCliSync(['doctor', '-c', config, '--json']).stdout) as {
    models: Array<{ id: string; precisionSetting: string; precision: Array<{ accelerator: string; precision: string; reason: string }> }>;
  };
  const row = doctor.models.find((m) => m.id === 'tiny')!;
  assert.equal(row.precisionSetting, 'auto');
  assert.equal(row.precision[0]!.accelerator, 'ort-native/cpu');
  assert.match(row.precision[0]!.reason, /^auto: /);
  const back = runCliSync(['models', 'rollback', 'tiny', '-c', config, '--json']);
  assert.equal(back.status, 0, back.stderr);
  assert.equal((JSON.parse(back.stdout) as { active: string }).active, '1.0.0');

  const bad = runCliSync(['models', 'quantize', 'tiny', '--precision', 'int4', '-c', config]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--precision must be int8 or fp16/);
});

test('--calibrate-live records frames from the camera and windows from the microphone (real ffmpeg, demo media)', async () => {
  const capture = captureSchema.parse({
    camera: { source: `file:${join(REPO_ROOT, 'demo', 'demo.mp4')}?loop=1`, width: 320, height: 180, fps: 5 },
    microphone: { source: `file:${join(REPO_ROOT, 'demo', 'normal.wav')}?loop=1`, windowSec: 0.5, hopSec: 0.5 },
  });
  const frames = await captureCalibrationInputs('camera', capture, 3, join(tempDir(), 'frames'));
  assert.ok(frames.files >= 3, `${frames.files} frames`);
  const first = await loadPanelImage(join(frames.dir, 'live-0000.png'));
  assert.deepEqual([first.width, first.height], [320, 180]);
  const sounds = await captureCalibrationInputs('microphone', capture, 3, join(tempDir(), 'sounds'));
  assert.ok(sounds.files >= 3, `${sounds.files} windows`);
  assert.ok(readdirSync(sounds.dir).every((f) => f.endsWith('.wav')));
});
