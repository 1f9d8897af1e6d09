// Fitting the vision baseline from normal frames of a fixed camera, exporting
// it as ONNX + manifest, and loading it back as a scorer.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from '../types.js';
import {
  VISION_ANOMALY_METHOD, anomalyBox, anomalyInput, fitVisionAnomalyModel, rawAnomalyMap, scoreAnomaly, workingSize,
  type VisionAnomalyModel, type VisionAnomalyParams, type VisionAnomalyResult,
} from '../vision/anomaly-model.js';
import type { GrayImage } from '../vision/image.js';
import { cpuSessionOpener, type ModelSession, type SessionOpener } from '../inference/session.js';
import {
  base64ToFloat32, checkGraphDigest, checkSelfTest, float32ToBase64, readManifest, sha256, writeManifest, type ModelManifest,
} from './manifest.js';
import { checkParams, modalityMeta, readBaselineDocument } from './store.js';
import { BaselineMismatchError, type FitVisionBaseline, type ModalityBaselineMeta, type VisionFitOptions, type VisionFitResult } from './types.js';
import { VISION_ONNX_INPUT, visionAnomalyOnnx } from './vision-onnx.js';

export const VISION_MODEL_FILE = 'vision-anomaly.onnx';
export const VISION_MANIFEST_FILE = 'vision-anomaly.manifest.yaml';

export interface VisionFitTuning {
  /** Working width (default 320, or the frame width when smaller). */
  workWidth?: number;
  /** Patch edge in working pixels (default 8). */
  patch?: number;
  /** Spread floor added to every feature (default 0.05 in normalised units). */
  noiseFloor?: number;
  /** Spread floor proportional to each feature's normal value (default 0.1). */
  relativeFloor?: number;
  /** Radius of the local illumination estimate in working pixels (default 8; 0 = global only). */
  illuminationRadius?: number;
  /** Weight of a patch's own distance against its neighbourhood's (default 0.5). */
  peakWeight?: number;
  /** The line-response feature for thin defects (default true). */
  lineFeature?: boolean;
}

/** What the analyzer must match: the frame size the baseline was fitted on and the model's settings. */
export function visionParamsRecord(p: VisionAnomalyParams, frameWidth: number, frameHeight: number): Record<string, unknown> {
  return {
    frameWidth, frameHeight, width: p.width, height: p.height, patch: p.patch, noiseFloor: p.noiseFloor, relativeFloor: p.relativeFloor,
    illuminationRadius: p.illuminationRadius ?? 0, peakWeight: p.peakWeight ?? 0, lineFeature: p.lineFeature ?? false,
  };
}

async function* iterate(frames: AsyncIterable<Frame> | Frame[]): AsyncGenerator<Frame> {
  for await (const f of frames) yield f;
}

/**
 * Fits the vision baseline (the `fitVisionBaseline` of src/baseline/types.ts).
 * Every n-th frame (n = round(1 / holdOut), default 5) is held out for calibration.
 * All frames must have the same size. Writes vision-anomaly.onnx and its manifest.
 */
export const fitVisionBaseline: FitVisionBaseline = async (frames, opts) => fitVisionBaselineWith(frames, opts, {});

export async function fitVisionBaselineWith(
  frames: AsyncIterable<Frame> | Frame[],
  opts: VisionFitOptions,
  tuning: VisionFitTuning,
): Promise<VisionFitResult & { model: VisionAnomalyModel }> {
  const every = Math.max(2, Math.round(1 / (opts.holdOut ?? 0.2)));
  const train: GrayImage[] = [];
  const heldOut: GrayImage[] = [];
  let params: VisionAnomalyParams | null = null;
  let frameW = 0, frameH = 0, index = 0;
  const expected = Array.isArray(frames) ? frames.length : 0;
  for await (const frame of iterate(frames)) {
    if (!params) {
      frameW = frame.width;
      frameH = frame.height;
      // 320 working pixels across (fewer for small frames): a 1 %-of-frame defect covers several patches.
      const size = workingSize(frameW, frameH, tuning.workWidth ?? Math.min(320, frameW), tuning.patch ?? 8);
      params = {
        ...size, patch: tuning.patch ?? 8, noiseFloor: tuning.noiseFloor ?? 0.05, relativeFloor: tuning.relativeFloor ?? 0.1,
        illuminationRadius: tuning.illuminationRadius ?? Math.max(2, Math.round(size.width / 20)), peakWeight: tuning.peakWeight ?? 0.5,
        lineFeature: tuning.lineFeature ?? true,
      };
    } else if (frame.width !== frameW || frame.height !== frameH) {
      throw new BaselineMismatchError(`${frame.source} is ${frame.width}x${frame.height} but the first frame was ${frameW}x${frameH}; a vision baseline is fitted on one fixed camera view`);
    }
    (index++ % every === every - 1 ? heldOut : train).push(anomalyInput(frame, params));
    opts.progress?.(index, Math.max(expected, index) * 2, 'vision frames');
  }
  if (!params || train.length < 2 || heldOut.length < 1) {
    throw new BaselineMismatchError(`only ${index} frame(s) given; the vision baseline needs at least ${every} normal frames (50 or more from different times of day is better)`);
  }
  const p = params;
  const model = fitVisionAnomalyModel(train, heldOut, {
    params: p,
    progress: (d, t) => opts.progress?.(index + Math.round((d / t) * index), index * 2, 'vision model'),
  });

  const created = new Date().toISOString();
  const onnx = visionAnomalyOnnx(model, { method: VISION_ANOMALY_METHOD, created });
  writeFileSync(join(opts.outDir, VISION_MODEL_FILE), onnx);
  const paramsRecord = visionParamsRecord(p, frameW, frameH);
  const probe = heldOut[0]!;
  const probeMap = rawAnomalyMap(model, probe).map((v) => v / model.scale);
  const manifest: ModelManifest = {
    name: 'vision-anomaly',
    kind: 'baseline',
    modality: 'vision',
    version: created,
    file: VISION_MODEL_FILE,
    sha256: sha256(onnx),
    inputs: [{ name: VISION_ONNX_INPUT, type: 'float32', shape: [1, 1, p.height, p.width] }],
    outputs: [{ name: 'score', type: 'float32', shape: [1] }, { name: 'map', type: 'float32', shape: [1, 1, model.rows, model.cols] }],
    params: paramsRecord,
    ...(model.calibration ? { calibration: { ...model.calibration, note: 'score = raw / threshold; threshold = max(median + z·sigma, 99th percentile) of normal frames' } } : {}),
    selfTest: {
      inputs: { [VISION_ONNX_INPUT]: { shape: [1, 1, p.height, p.width], base64: float32ToBase64(probe.data) } },
      expect: {
        score: { values: [probeMap.reduce((a, b) => Math.max(a, b), 0)], dims: [1] },
        map: { values: Array.from(probeMap), dims: [1, 1, model.rows, model.cols] },
      },
      // In calibrated units (1.0 = the 99th percentile of normal): float32 in the graph against float64
      // here differs by ~1e-3 on a still scene; a damaged graph is off by whole units.
      tolerance: 1e-2,
    },
  };
  writeManifest(opts.outDir, VISION_MANIFEST_FILE, manifest);
  const meta: ModalityBaselineMeta = {
    method: VISION_ANOMALY_METHOD,
    model: VISION_MODEL_FILE,
    manifest: VISION_MANIFEST_FILE,
    calibration: { scale: model.scale, percentile: 0.99, heldOut: heldOut.length, ...(model.calibration ? { frames: model.calibration } : {}) },
    params: paramsRecord,
    inputs: opts.inputs,
    stats: { trainFrames: train.length, patches: model.rows * model.cols, grid: [model.cols, model.rows] },
  };
  opts.progress?.(index * 2, index * 2, 'vision done');
  return {
    files: [
      { path: VISION_MODEL_FILE, role: 'onnx-model', sha256: manifest.sha256 },
      { path: VISION_MANIFEST_FILE, role: 'manifest' },
    ],
    meta,
    model,
  };
}

/** Scores frames against a fitted vision baseline. */
export interface VisionBaselineScorer {
  readonly frameWidth: number;
  readonly frameHeight: number;
  score(frame: Frame): Promise<VisionAnomalyResult>;
  close(): Promise<void>;
}

/**
 * A frame of another size is accepted when it shows the same view: the same aspect ratio (within
 * 1 %), e.g. a full-resolution still of the scene the baseline learned from video. Every frame is
 * area-resized to the working size anyway; the box comes back in the frame's own pixels.
 */
function checkFrame(scorer: VisionBaselineScorer, frame: Frame): void {
  if (frame.width === scorer.frameWidth && frame.height === scorer.frameHeight) return;
  const ratio = (frame.width / frame.height) / (scorer.frameWidth / scorer.frameHeight);
  if (Math.abs(ratio - 1) > 0.01) {
    throw new BaselineMismatchError(`frame from ${frame.source} is ${frame.width}x${frame.height} but the vision baseline was fitted on ${scorer.frameWidth}x${scorer.frameHeight} frames (another aspect ratio, so another view); fit it again for this camera setting`);
  }
}

/** Runs the fitted model in TypeScript (tests, and where ONNX Runtime is unavailable). */
export class TsVisionScorer implements VisionBaselineScorer {
  constructor(private readonly model: VisionAnomalyModel, readonly frameWidth: number, readonly frameHeight: number) {}

  async score(frame: Frame): Promise<VisionAnomalyResult> {
    checkFrame(this, frame);
    return scoreAnomaly(this.model, anomalyInput(frame, this.model.params), frame.width, frame.height);
  }

  async close(): Promise<void> {}
}

/** Runs the exported ONNX graph. */
export class OnnxVisionScorer implements VisionBaselineScorer {
  constructor(
    private readonly params: VisionAnomalyParams,
    private readonly session: ModelSession,
    readonly frameWidth: number,
    readonly frameHeight: number,
  ) {}

  async score(frame: Frame): Promise<VisionAnomalyResult> {
    checkFrame(this, frame);
    const img = anomalyInput(frame, this.params);
    const out = await this.session.run({ [VISION_ONNX_INPUT]: { data: img.data, dims: [1, 1, img.height, img.width] } });
    const map = out.map!;
    const rows = map.dims[2]!, cols = map.dims[3]!;
    let best = 0;
    for (let i = 1; i < map.data.length; i++) if (map.data[i]! > map.data[best]!) best = i;
    return { score: out.score!.data[0]!, map: map.data, cols, rows, box: anomalyBox(map.data, cols, rows, best, frame.width, frame.height) };
  }

  close(): Promise<void> {
    return this.session.release();
  }
}

export interface LoadedVisionBaseline {
  meta: ModalityBaselineMeta;
  scorer: OnnxVisionScorer;
  selfTest: { ok: boolean; maxError: number };
}

/**
 * Loads DIR's vision baseline, opens its ONNX graph and runs the manifest's
 * self-test. `expect` (e.g. {frameWidth, frameHeight}) is checked against the
 * fitted parameters; any mismatch is a BaselineMismatchError naming the key.
 * The graph opens through `openSession`: the daemon's engine (inference.accelerators),
 * or onnxruntime-node on the CPU where none is given.
 */
export async function loadVisionBaseline(dir: string, expect: Record<string, unknown> = {},
  openSession: SessionOpener = cpuSessionOpener()): Promise<LoadedVisionBaseline> {
  const doc = readBaselineDocument(dir);
  const meta = modalityMeta(dir, doc, 'vision');
  if (meta.method !== VISION_ANOMALY_METHOD) {
    throw new BaselineMismatchError(`baseline ${dir}: vision method ${meta.method} is not supported (expected ${VISION_ANOMALY_METHOD})`);
  }
  checkParams(`vision baseline ${dir}`, meta.params, expect);
  const num = (k: string): number => {
    const v = meta.params[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new BaselineMismatchError(`${dir}/baseline.json: vision parameter ${k} is missing or not a number`);
    return v;
  };
  const params: VisionAnomalyParams = {
    width: num('width'), height: num('height'), patch: num('patch'), noiseFloor: num('noiseFloor'), relativeFloor: num('relativeFloor'),
    // Baselines fitted before these existed used neither (their ONNX graph carries the arithmetic anyway).
    illuminationRadius: typeof meta.params.illuminationRadius === 'number' ? meta.params.illuminationRadius : 0,
    peakWeight: typeof meta.params.peakWeight === 'number' ? meta.params.peakWeight : 0,
    lineFeature: meta.params.lineFeature === true,
  };
  const manifest = readManifest(join(dir, meta.manifest));
  checkGraphDigest(dir, manifest);
  const session = await openSession(join(dir, manifest.file), `${manifest.name}@${dir}`);
  const feeds = Object.fromEntries(Object.entries(manifest.selfTest.inputs).map(([name, t]) => [name, { data: base64ToFloat32(t.base64), dims: t.shape }]));
  const result = checkSelfTest(manifest.selfTest, await session.run(feeds));
  if (!result.ok) {
    await session.release();
    throw new BaselineMismatchError(`vision baseline ${dir}: self-test of ${manifest.file} failed (${result.detail}); the file may be damaged, fit it again`);
  }
  return {
    meta,
    scorer: new OnnxVisionScorer(params, session, num('frameWidth'), num('frameHeight')),
    selfTest: { ok: true, maxError: result.maxError },
  };
}
