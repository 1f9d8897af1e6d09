// The OCR module gated as a pair: a detector and a recogniser variant whose own
// gates fail (each judged beside the other's fp32) but whose pair gate passes
// are activated together, rolled back together, and run quantized under `auto`
// only while both are active and loaded; the real pair gate reads generated
// panels with the PP-OCRv4 det + rec variants against both fp32 models.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse, stringify } from 'yaml';
import { generatePanelSet } from '../../scripts/gen-panels.js';
import { doctorReport } from '../../src/cli/doctor.js';
import { inferenceSchema } from '../../src/config/sections/inference.js';
import { OrtNodeBackend } from '../../src/inference/backend-ort-node.js';
import { InferenceEngine } from '../../src/inference/engine.js';
import { sha256File } from '../../src/inference/hash.js';
import { choosePrecision } from '../../src/inference/precision-policy.js';
import { ModelRegistry } from '../../src/inference/registry.js';
import { selfTestFeeds, summarise } from '../../src/inference/selftest.js';
import { InferenceService } from '../../src/inference/service.js';
import { gateOcrPair, recordPair } from '../../src/quantize/pair-gate.js';
import { quantizeModel } from '../../src/quantize/variant.js';
import { runCliSync } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { recordingLogger } from './helpers.js';
import { tinyConvNet, tinyFeeds } from './quantize-helpers.js';

const TH = { minTextAgreement: 0.99, maxAccuracyDrop: 0.01, minCorrelation: 0.99, maxRelativeError: 0.05 };
const SELF_TEST = { inputs: { x: { type: 'float32' as const, dims: [1, 3, 8, 8], random: { seed: 5, min: -1, max: 1 } } }, expected: '1.0.0.selftest.json', atol: 1e-4, rtol: 1e-3 };

/** A tiny conv net registered as model `id` of `task` (stands in for a PP-OCR model in the registry logic). */
async function writeTinyAs(modelsDir: string, id: string, task: 'ocr-det' | 'ocr-rec', seed: number): Promise<void> {
  const dir = join(modelsDir, id);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${id}.onnx`);
  writeFileSync(file, tinyConvNet(seed));
  const s = await new OrtNodeBackend().load({ path: file }, { ep: 'cpu' });
  const out = await s.run(selfTestFeeds(SELF_TEST));
  await s.release();
  writeFileSync(join(dir, '1.0.0.selftest.json'), JSON.stringify({ model: `${id}@1.0.0`, recordedWith: 'ort-node', outputs: summarise(out) }));
  writeFileSync(join(dir, '1.0.0.yaml'), stringify({ id, version: '1.0.0', task, files: { fp32: { path: file, sha256: await sha256File(file) } }, selfTest: SELF_TEST }));
}

/** Edits a variant's manifest in place (a constructed case: figures the test decides, not the machine's timings). */
function editManifest(file: string, change: (doc: { variant: Record<string, any>; files: Record<string, { path: string; sha256: string }> }) => void): void {
  const doc = parse(readFileSync(file, 'utf8'));
  change(doc);
  writeFileSync(file, stringify(doc));
}

async function pairFixture() {
  const root = tempDir('faultsense-pair-');
  const models = join(root, 'models');
  await writeTinyAs(models, 'tdet', 'ocr-det', 3);
  await writeTinyAs(models, 'trec', 'ocr-rec', 4);
  const state = join(root, 'state');
  const registry = new ModelRegistry({ stateDir: state, modelDirs: [models], bundled: false });
  const log = recordingLogger();
  const engine = new InferenceEngine({ accelerators: [{ backend: 'ort-node', ep: 'cpu', options: {} }], log });
  const made = [];
  for (const id of ['tdet', 'trec']) {
    const r = await quantizeModel(registry, engine, {
      ref: id, precision: 'int8', perChannel: true, method: 'minmax', thresholds: TH,
      inputs: { source: 'test', real: true, calibrate: tinyFeeds(12, 5), heldBack: tinyFeeds(4, 6) },
    });
    // Constructed: each model's own gate failed (as det and rec do on the panels: −4.5 and −2.7 pt), and it measured faster.
    editManifest(r.manifest, (d) => {
      d.variant.gate.passed = false;
      d.variant.gate.reasons = ['accuracy 0.55 is 2.7 pt below fp32\'s 0.582 (allowed 1 pt)'];
      d.variant.latency.fp32Ms = 2; d.variant.latency.variantMs = 1;
    });
    made.push(r);
  }
  registry.scan();
  return { root, state, models, registry, engine, log, made };
}

const passedPair = { passed: true, kind: 'ocr-text' as const, heldBack: 110, figures: { agreement: 0.9, accuracyFp32: 0.582, accuracyVariant: 0.573, accuracyDrop: 0.009 }, reasons: [] };

test('a det/rec pair that passes only together is activated together, rolled back together, and run int8 only beside its partner', async () => {
  const { state, registry, engine, log, made } = await pairFixture();
  const det = registry.get('tdet@1.0.0+int8'), rec = registry.get('trec@1.0.0+int8');
  // Without a pair gate, a variant whose own gate failed cannot be activated, and auto never picks it.
  await assert.rejects(registry.activate(det.ref, engine), /failed its accuracy gate.*gate it as a pair/s);
  assert.equal(choosePrecision(det, { ep: 'cpu' }, 'auto').precision, 'fp32');

  recordPair(registry, det, rec, passedPair);
  assert.equal(registry.get(det.ref).variant?.pair?.partner, rec.ref);
  assert.equal(registry.get(rec.ref).variant?.pair?.partner, det.ref);
  // Not active beside its partner: auto stays fp32 and says why.
  const alone = choosePrecision(registry.get(det.ref), { ep: 'cpu' }, 'auto', registry.pairReady(registry.get(det.ref)));
  assert.equal(alone.precision, 'fp32');
  assert.match(alone.reason, /only as a pair with trec@1\.0\.0\+int8/);

  // Activating one activates both.
  const loaded = await registry.activate(det.ref, engine, 'auto');
  await loaded.session.release();
  assert.equal(loaded.session.chosen.precision, 'int8');
  assert.deepEqual(loaded.partnerActivated, { ref: rec.ref, previous: '1.0.0' });
  assert.equal(registry.activeVersion('tdet'), '1.0.0+int8');
  assert.equal(registry.activeVersion('trec'), '1.0.0+int8');
  const ready = await registry.load(registry.get('tdet'), engine, 'auto');
  assert.equal(ready.session.chosen.precision, 'int8');
  await ready.session.release();

  // Rolling back one rolls back both.
  assert.deepEqual(registry.rollbackModule('trec'), [{ id: 'trec', from: '1.0.0+int8', to: '1.0.0' }, { id: 'tdet', from: '1.0.0+int8', to: '1.0.0' }]);
  assert.equal(registry.activeVersion('tdet'), '1.0.0');

  // Active again; the partner's int8 file is damaged (sha256 updated, so the load is what fails):
  // the partner falls back to fp32, and so the detector runs fp32 too, its fallback naming the partner.
  await (await registry.activate(rec.ref, engine, 'auto')).session.release();
  assert.equal(registry.activeVersion('tdet'), '1.0.0+int8');
  writeFileSync(made[1]!.file, 'not an onnx model');
  const sha = await sha256File(made[1]!.file);
  editManifest(made[1]!.manifest, (d) => { d.files.int8!.sha256 = sha; });
  registry.scan();
  for (const mode of ['serve', 'verify'] as const) {
    const service = new InferenceService({ config: inferenceSchema.parse({}), stateDir: state, log, engine, registry, models: ['tdet', 'trec'], mode, required: true });
    await service.start();
    try {
      const p = service.precisions();
      assert.equal(p.trec?.precision, 'fp32');
      assert.equal(p.trec?.fallback?.from, 'int8');
      assert.equal(p.tdet?.precision, 'fp32', `${mode}: ${JSON.stringify(p.tdet)}`);
      assert.equal(p.tdet?.fallback?.from, 'int8');
      assert.match(p.tdet?.fallback?.reason ?? '', /pair partner trec@1\.0\.0\+int8 runs at fp32/);
      assert.equal(service.fileOf('tdet'), registry.get('tdet@1.0.0').files.fp32!.path, 'the analyzers open the fp32 detector');
    } finally {
      await service.stop();
    }
  }
  // Activation refuses a pair whose partner cannot run at int8, and changes nothing.
  registry.rollbackModule('tdet');
  await assert.rejects(registry.activate(det.ref, engine, 'auto'), /activation of the pair tdet@1\.0\.0\+int8 \+ trec@1\.0\.0\+int8 failed, tdet@1\.0\.0 and trec@1\.0\.0 stay active: trec@1\.0\.0\+int8: its int8 file failed/);
  assert.equal(registry.activeVersion('tdet'), '1.0.0');
  assert.equal(registry.activeVersion('trec'), '1.0.0');
});

test('models activate / rollback / list / doctor through the CLI show and move the pair', async () => {
  const { root, models, registry, made } = await pairFixture();
  recordPair(registry, registry.get('tdet@1.0.0+int8'), registry.get('trec@1.0.0+int8'), passedPair);
  const config = join(root, 'config.yaml');
  writeFileSync(config, stringify({ stateDir: join(root, 'state'), inference: { modelDirs: [models], accelerators: [{ backend: 'ort-node', ep: 'cpu' }] } }));
  const act = runCliSync(['models', 'activate', 'trec@1.0.0+int8', '-c', config]);
  assert.equal(act.status, 0, act.stderr);
  assert.match(act.stdout, /trec@1\.0\.0\+int8 is active \(was 1\.0\.0\) together with tdet@1\.0\.0\+int8 \(was 1\.0\.0\)/);
  const list = runCliSync(['models', 'list', '-c', config]).stdout;
  assert.match(list, /\*1\.0\.0\+int8 .*gate FAILED.*pair gate with trec@1\.0\.0\+int8 passed: .*accuracyDrop 0\.009.*runs only beside it/);
  // doctor in-process (its CLI form probes capture devices and programs too, which is not what this tests).
  const doctor = await doctorReport({ config, json: true });
  const row = (doctor.models as Array<{ id: string; pair?: { partner: string; partnerActive: boolean }; precision: Array<{ precision: string }> }>).find((m) => m.id === 'tdet')!;
  assert.deepEqual([row.pair?.partner, row.pair?.partnerActive, row.precision[0]?.precision], ['trec@1.0.0+int8', true, 'int8']);
  const back = runCliSync(['models', 'rollback', 'tdet', '-c', config, '--json']);
  assert.equal(back.status, 0, back.stderr);
  assert.deepEqual(JSON.parse(back.stdout), { ok: true, model: 'tdet', active: '1.0.0', previous: '1.0.0+int8', partners: [{ model: 'trec', active: '1.0.0', previous: '1.0.0+int8' }] });
  assert.ok(made.length === 2);
  // --with-partner is for the OCR models only.
  writeFileSync(join(models, 'tdet', 'other.yaml'), stringify({ ...parse(readFileSync(join(models, 'tdet', '1.0.0.yaml'), 'utf8')), id: 'plain', task: 'other' }));
  const bad = runCliSync(['models', 'quantize', 'plain', '--precision', 'fp16', '--with-partner', '-c', config]);
  assert.equal(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, /--with-partner is for the OCR models \(ocr-det, ocr-rec\); plain is a other model/);
});

test('the pair gate reads generated panels with the PP-OCRv4 det + rec variants against both fp32 models', async () => {
  const root = tempDir('faultsense-pair-real-');
  const panels = join(root, 'panels');
  await generatePanelSet({ outDir: panels, count: 6, seed: 16, clean: true, sizes: [[960, 540]] });
  const registry = new ModelRegistry({ stateDir: join(root, 'state'), bundled: true });
  const engine = new InferenceEngine({ accelerators: [{ backend: 'ort-node', ep: 'cpu', options: {} }], log: recordingLogger() });
  const made = [];
  for (const id of ['pp-ocrv4-det', 'pp-ocrv4-rec']) {
    made.push(await quantizeModel(registry, engine, { ref: id, precision: 'fp16', calibrateDir: panels, limit: 4, thresholds: TH }));
  }
  const g = await gateOcrPair(registry, registry.get(made[0]!.variant), registry.get(made[1]!.variant), panels, TH);
  assert.equal(g.det.id, 'pp-ocrv4-det');
  assert.equal(g.pair.heldBack, 2);
  assert.equal(g.pair.figures.labelled, 2);
  assert.ok(g.pair.figures.msPerPanelFp32! > 0 && g.pair.figures.msPerPanelPair! > 0);
  // FP16 reads what fp32 reads on these panels; the gate's verdict follows its figures.
  assert.equal(g.pair.passed, g.pair.figures.accuracyDrop! <= 0.01, JSON.stringify(g.pair));
  recordPair(registry, g.det, g.rec, g.pair);
  assert.deepEqual(registry.get(made[1]!.variant).variant?.pair, { partner: made[0]!.variant, ...g.pair });
  await assert.rejects(gateOcrPair(registry, g.det, g.det, panels, TH), /both ocr-det models/);
});
