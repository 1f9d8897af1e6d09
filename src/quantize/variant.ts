// `faultsense models quantize`: makes an INT8 or FP16 variant of a model's
// fp32 file, gates it against fp32 on held-back inputs, measures both, and
// registers it as version "<fp32 version>+<precision>" in <stateDir>/models
// (fp32 file + variant file, the gate's figures, a self-test recorded with the
// variant). A variant that fails its gate is kept but cannot be activated.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { BadInputError } from '../system/errors.js';
import { bundledOcrModels } from '../vision/ocr/panel-reader.js';
import type { InferenceEngine } from '../inference/engine.js';
import { sha256File } from '../inference/hash.js';
import { type Manifest, ManifestError, parseManifest, resolveFile, type VariantInfo } from '../inference/manifest.js';
import type { ModelRegistry } from '../inference/registry.js';
import { readExpected, selfTestFeeds, summarise } from '../inference/selftest.js';
import { calibrate, type CalibrationMethod } from './calibrate.js';
import { convertToFp16 } from './fp16.js';
import { compareRuns, type GateResult, type GateThresholds, measureLatency, outputGate, recurrentGate, textGate } from './gate.js';
import { type ModelInputs, ocrInputs, syntheticInputs, vadInputs } from './model-inputs.js';
import { expectedOf, readPanels } from './ocr-inputs.js';
import { readModel, writeModel } from '../inference/onnx-io.js';
import { specialiseFixedInputs } from './specialise.js';
import { foldAffineIntoConv } from '../inference/conv-affine-fold.js';
import { mergeScalarChains } from '../inference/scalar-chain-merge.js';
import {
  constantsToInitializers, DEFAULT_INT8_OPS, dropUnused, LINEAR_INT8_OPS, quantizeStatic, quantizeWeightsOnly, sensitiveNodes, tensorsToCalibrate,
} from './qdq-int8.js';

export interface QuantizeRequest {
  /** ID or ID@VERSION (an fp32 version). */
  ref: string;
  precision: 'int8' | 'fp16';
  /** Folder of real inputs (panel images, audio files). */
  calibrateDir?: string;
  /** Already collected inputs (e.g. captured live); used instead of calibrateDir. */
  inputs?: ModelInputs;
  perChannel?: boolean;
  method?: CalibrationMethod;
  /** INT8 op set: all ops with integer kernels (default) or only Conv/MatMul/Gemm. */
  ops?: 'all' | 'linear';
  /** INT8: keep the accuracy-sensitive nodes in float (qdq-int8.ts sensitiveNodes). */
  excludeSensitive?: boolean;
  /**
   * INT8 static: fold affine ops into Conv weights and absorb Relu/Clip into
   * QuantizeLinear before placing Q/DQ (default true; false = the placement
   * before these rewrites, kept for comparison).
   */
  fold?: boolean;
  /**
   * INT8: weights only, activations stay float, even with real inputs (for models whose
   * activations do not survive uint8 — Silero VAD's spectrum and LSTM inputs).
   */
  weightsOnly?: boolean;
  /** Most inputs used for calibration (default 24). */
  limit?: number;
  thresholds: GateThresholds;
  onProgress?: (step: string) => void;
}

export interface QuantizeResult {
  model: string;
  variant: string;
  manifest: string;
  file: string;
  info: VariantInfo;
  gate: GateResult;
}

const absolute = (m: Manifest, ref: { path: string; package?: string }) =>
  ref.package ? { path: ref.path, package: ref.package } : { path: isAbsolute(ref.path) ? ref.path : resolve(dirname(m.manifestFile), ref.path) };

export async function quantizeModel(registry: ModelRegistry, engine: InferenceEngine, req: QuantizeRequest): Promise<QuantizeResult> {
  const step = req.onProgress ?? (() => {});
  let base = registry.get(req.ref);
  if (base.variant) base = registry.get(base.variant.of);
  const fp32Ref = base.files.fp32;
  if (!fp32Ref) throw new ManifestError(`model ${base.ref} has no fp32 file to quantize`);
  const fp32File = resolveFile(base, fp32Ref);
  // Read and checked once: the reference session and the graph quantized are both these bytes.
  const fp32Bytes = (await registry.verifiedSource(base, 'fp32').catch((err: Error) => { throw new Error(`model ${base.ref}: ${err.message}`); })).bytes;
  const limit = req.limit ?? 24;
  const fp32 = await engine.loadSource({ bytes: fp32Bytes, name: fp32File }, `${base.ref} fp32`);
  try {
    // 1. Inputs.
    step('collecting inputs');
    let inputs = req.inputs;
    const ocr = base.task === 'ocr-det' || base.task === 'ocr-rec'
      ? { ...bundledOcrModels(), [base.task === 'ocr-det' ? 'detection' : 'recognition']: fp32File } : undefined;
    if (!inputs && req.calibrateDir) {
      if (ocr) inputs = await ocrInputs(base.task as 'ocr-det' | 'ocr-rec', req.calibrateDir, ocr, limit);
      else if (base.task === 'vad') inputs = await vadInputs(req.calibrateDir, fp32, limit);
      else throw new BadInputError(`model ${base.ref} (task ${base.task}) has no reader for calibration files; quantize it without --calibrate (weight-only INT8 or FP16, gated on generated inputs)`);
    }
    inputs ??= syntheticInputs(base, 12);
    if (inputs.heldBack.length === 0) throw new BadInputError(`no held-back inputs for the accuracy gate of ${base.ref}; give more calibration files`);

    // 2. The variant.
    const model = readModel(fp32Bytes);
    // Silero VAD keeps its network in If branches chosen by the sample rate; the board always feeds 16 kHz.
    if (base.task === 'vad' && specialiseFixedInputs(model, { sr: 16000 }) > 0) dropUnused(model);
    let method: string;
    let calibration: VariantInfo['calibration'];
    let excluded: string[] | undefined;
    let folds: VariantInfo['folds'];
    if (req.precision === 'fp16') {
      step('converting to fp16');
      convertToFp16(model);
      method = 'fp16';
    } else if (inputs.real && !req.weightsOnly) {
      constantsToInitializers(model);
      const fold = req.fold !== false;
      // Exact float rewrites first: calibration then measures the tensors the Q/DQ pairs will sit on.
      const convFold = fold ? foldAffineIntoConv(model) : undefined;
      if (convFold) step(`folded ${convFold.nodesRemoved} affine node(s) into ${convFold.outputSide + convFold.inputSide} Conv weight set(s)`);
      const merged = fold ? mergeScalarChains(model) : 0;
      if (merged) step(`merged scalar Mul/Div/Add chains elsewhere: ${merged} node(s) fewer`);
      const ops = req.ops === 'linear' ? LINEAR_INT8_OPS : DEFAULT_INT8_OPS;
      const tensors = tensorsToCalibrate(model, ops);
      step(`calibrating ${tensors.length} tensors on ${inputs.calibrate.length} inputs (${req.method ?? 'percentile'})`);
      const cal = await calibrate(model, tensors, inputs.calibrate, { method: req.method ?? 'percentile' });
      const exclude = req.excludeSensitive ? sensitiveNodes(model) : undefined;
      if (exclude) step(`keeping ${exclude.size} sensitive node(s) in float`);
      const report = quantizeStatic(model, cal.ranges, { perChannel: req.perChannel ?? false, ops, absorbClamps: fold, ...(exclude ? { exclude } : {}) });
      excluded = exclude ? [...exclude] : undefined;
      if (convFold) folds = { convAffine: convFold.outputSide + convFold.inputSide, nodesRemoved: convFold.nodesRemoved + merged, clampsAbsorbed: report.clampsAbsorbed ?? 0, chainLinksMerged: merged };
      method = report.quantizedNodes > 0 ? 'qdq-static' : 'weight-only';
      if (report.quantizedNodes === 0) quantizeWeightsOnly(model, { perChannel: req.perChannel ?? false });
      calibration = { method: cal.method, ...(cal.percentile ? { percentile: cal.percentile } : {}), inputs: cal.inputs, source: inputs.source };
    } else {
      step(req.weightsOnly ? 'quantizing weights only (--weights-only)' : 'quantizing weights (no real inputs: weight-only)');
      constantsToInitializers(model);
      method = 'weight-only';
      quantizeWeightsOnly(model, { perChannel: req.perChannel ?? false });
    }
    const version = `${base.version}+${req.precision}`;
    // Absolute: the manifest names the file by this path, and a relative --state-dir would resolve it against the manifest's folder.
    const dir = resolve(registry.fittedDir, base.id);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${version}.onnx`);
    writeFileSync(file, writeModel(model));

    // 3. Gate on held-back inputs, latency, self-test record.
    step('gating against fp32 on held-back inputs');
    const variant = await engine.loadSource({ path: file }, `${base.ref} ${req.precision}`);
    let gate: GateResult;
    let latency: VariantInfo['latency'];
    let selfTestFile: string | undefined;
    try {
      if (inputs.heldBackPanels && ocr) {
        const role = base.task === 'ocr-det' ? 'detection' : 'recognition';
        const ref = await readPanels(ocr, inputs.heldBackPanels);
        const got = await readPanels({ ...ocr, [role]: file }, inputs.heldBackPanels);
        gate = textGate(ref, got, inputs.heldBackPanels.map(expectedOf), req.thresholds);
        const outputs = await outputGate(fp32, variant, inputs.heldBack.slice(0, 6), req.thresholds);
        Object.assign(gate.figures, { outputCorrelation: outputs.figures.correlation!, outputMaxRelativeError: outputs.figures.maxRelativeError! });
      } else if (base.task === 'vad' && inputs.heldBackSequences?.length) {
        gate = await recurrentGate(fp32, variant, inputs.heldBackSequences, req.thresholds, { state: [['hn', 'h'], ['cn', 'c']], score: 'output', threshold: 0.5 });
      } else {
        gate = await outputGate(fp32, variant, inputs.heldBack, req.thresholds);
      }
      step('measuring latency (fp32 and variant, taking turns)');
      const lat = await measureLatency(fp32, variant, inputs.heldBack.slice(0, 8));
      latency = { fp32Ms: lat.aMs, variantMs: lat.bMs, runs: lat.runs, backend: `${variant.chosen.backend}/${variant.chosen.ep}` };
      if (base.selfTest) {
        const outNames = Object.keys(readExpected(base).outputs);
        const out = await variant.run(selfTestFeeds(base.selfTest), outNames);
        selfTestFile = join(dir, `${version}.selftest.json`);
        writeFileSync(selfTestFile, JSON.stringify({ model: `${base.id}@${version}`, recordedWith: `${latency.backend} (${req.precision})`, outputs: summarise(out) }, null, 1) + '\n');
      }
    } finally {
      await variant.release();
    }

    // 4. Register.
    const info: VariantInfo = {
      of: base.ref, precision: req.precision, method,
      ...(req.precision === 'int8' ? { perChannel: req.perChannel ?? false } : {}),
      ...(excluded !== undefined ? { floatNodes: excluded.length, floatNodeNames: excluded } : {}),
      ...(folds ? { folds } : {}),
      ...(calibration ? { calibration } : {}),
      gate: { passed: gate.passed, kind: gate.kind, heldBack: gate.heldBack, figures: gate.figures, reasons: gate.reasons },
      ...(latency ? { latency } : {}),
      bytes: { fp32: statSync(fp32File).size, variant: statSync(file).size },
      createdAt: new Date().toISOString(),
    };
    const manifest: Record<string, unknown> = {
      id: base.id, version, task: base.task,
      description: `${req.precision} variant of ${base.ref} (${method}) made on this board by faultsense models quantize`,
      ...(base.source ? { source: base.source } : {}),
      files: {
        fp32: { ...absolute(base, fp32Ref), sha256: fp32Ref.sha256, ...(fp32Ref.bytes ? { bytes: fp32Ref.bytes } : {}) },
        [req.precision]: { path: file, sha256: await sha256File(file), bytes: statSync(file).size },
      },
      preprocessing: base.preprocessing, decoding: base.decoding,
      ...(base.labels ? { labels: Array.isArray(base.labels) ? base.labels : absolute(base, base.labels) } : {}),
      ...(base.selfTest ? {
        selfTest: {
          ...base.selfTest,
          expected: resolve(dirname(base.manifestFile), base.selfTest.expected),
          // Quantized outputs differ from fp32's: compare the variant with its own record, a little looser.
          atol: Math.max(base.selfTest.atol, 1e-3), rtol: Math.max(base.selfTest.rtol, 1e-2),
          ...(selfTestFile ? { expectedByPrecision: { [req.precision]: selfTestFile } } : {}),
        },
      } : {}),
      variant: info,
    };
    const manifestFile = join(dir, `${version}.yaml`);
    writeFileSync(manifestFile, toYaml(manifest));
    parseManifest(manifestFile);
    registry.scan();
    return { model: base.ref, variant: `${base.id}@${version}`, manifest: manifestFile, file, info, gate };
  } finally {
    await fp32.release();
  }
}

export { compareRuns };
