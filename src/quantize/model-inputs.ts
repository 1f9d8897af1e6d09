// Real inputs for calibrating and gating a model, by task: panel images for
// the OCR models (the tensors the panel reader feeds them), audio files cut
// into VAD chunks (with the recurrent state the fp32 model carries), and for
// any other model the self-test generator with fresh seeds (synthetic: such a
// model gets weight-only INT8, which needs no activation ranges).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { VAD_CHUNK, VAD_SAMPLE_RATE } from '../audio/vad.js';
import { decodeAudioFile } from '../baseline/decode.js';
import { BadInputError } from '../system/errors.js';
import type { OcrModelPaths } from '../vision/ocr/panel-reader.js';
import type { EngineSession } from '../inference/engine.js';
import type { Manifest } from '../inference/manifest.js';
import { selfTestFeeds } from '../inference/selftest.js';
import type { Feeds } from '../inference/tensor.js';
import { listPanels, type Panel, recordOcrFeeds, splitHeldBack } from './ocr-inputs.js';

export interface ModelInputs {
  /** Where they came from, for the manifest. */
  source: string;
  /** Real inputs (static INT8 allowed) or synthetic ones (weight-only INT8). */
  real: boolean;
  calibrate: Feeds[];
  heldBack: Feeds[];
  /** OCR: the held-back panels, gated on decoded text. */
  heldBackPanels?: Panel[];
  /**
   * VAD: the consecutive chunks of each held-back file (state inputs as fp32 made them), for a
   * gate that runs each model on its own recurrent state, as the analyzer does (gate.ts recurrentGate).
   */
  heldBackSequences?: Feeds[][];
}

const AUDIO = /\.(wav|flac|mp3|ogg|opus|m4a|webm|mp4|mkv)$/i;

/** Panels → detector or recogniser tensors. `ocr` holds the fp32 det/rec files the reader uses. */
export async function ocrInputs(task: 'ocr-det' | 'ocr-rec', dir: string, ocr: OcrModelPaths, limit: number): Promise<ModelInputs> {
  const { calibrate, heldBack } = splitHeldBack(listPanels(dir));
  const cal = await recordOcrFeeds(ocr, calibrate.slice(0, limit), limit);
  const held = await recordOcrFeeds(ocr, heldBack.slice(0, Math.max(4, Math.ceil(limit / 2))), limit);
  const pick = (f: { det: Feeds[]; rec: Feeds[] }) => (task === 'ocr-det' ? f.det : f.rec);
  if (pick(cal).length === 0) throw new BadInputError(`no text was found on the panels in ${dir}, so the ${task} model got no inputs to calibrate on`);
  return { source: dir, real: true, calibrate: pick(cal), heldBack: pick(held), heldBackPanels: heldBack };
}

/** Audio files → VAD chunks with the state the fp32 model produced for the chunk before. */
export async function vadInputs(dir: string, fp32: EngineSession, limit: number): Promise<ModelInputs> {
  if (!existsSync(dir)) throw new BadInputError(`calibration folder ${dir} does not exist; give a folder of audio files (--calibrate DIR)`);
  const files = readdirSync(dir).filter((f) => AUDIO.test(f)).sort().map((f) => join(dir, f));
  if (files.length === 0) throw new BadInputError(`calibration folder ${dir} holds no audio files (.wav, .flac, .mp3 ...)`);
  const perFile: Feeds[][] = [];
  for (const file of files) {
    const samples = await decodeAudioFile(file, VAD_SAMPLE_RATE);
    let h = new Float32Array(128), c = new Float32Array(128);
    const feeds: Feeds[] = [];
    // Up to ~10 s of each file: a held-back file is gated as one sequence; calibration takes `limit` chunks.
    for (let at = 0; at + VAD_CHUNK <= samples.length && feeds.length < Math.max(limit, 320); at += VAD_CHUNK) {
      const f: Feeds = {
        input: { type: 'float32', dims: [1, VAD_CHUNK], data: samples.slice(at, at + VAD_CHUNK) },
        sr: { type: 'int64', dims: [], data: BigInt64Array.of(BigInt(VAD_SAMPLE_RATE)) },
        h: { type: 'float32', dims: [2, 1, 64], data: h },
        c: { type: 'float32', dims: [2, 1, 64], data: c },
      };
      feeds.push(f);
      const out = await fp32.run(f);
      h = Float32Array.from(out.hn!.data as Float32Array);
      c = Float32Array.from(out.cn!.data as Float32Array);
    }
    perFile.push(feeds);
  }
  const { calibrate, heldBack } = perFile.length > 1 ? splitHeldBack(perFile) : { calibrate: perFile, heldBack: perFile };
  const chunks = (files: Feeds[][]) => files.flatMap((f) => f.slice(0, limit)).slice(0, limit);
  return { source: dir, real: true, calibrate: chunks(calibrate), heldBack: chunks(heldBack), heldBackSequences: heldBack };
}

/** The manifest's self-test inputs with other seeds (no real inputs known for this task). */
export function syntheticInputs(m: Manifest, count: number): ModelInputs {
  if (!m.selfTest) throw new BadInputError(`model ${m.ref} has no self-test inputs to derive calibration inputs from; give --calibrate DIR`);
  const make = (seed: number): Feeds => selfTestFeeds({
    ...m.selfTest!,
    inputs: Object.fromEntries(Object.entries(m.selfTest!.inputs).map(([k, v]) => [k, v.random ? { ...v, random: { ...v.random, seed: v.random.seed + seed } } : v])),
  });
  const all = Array.from({ length: count }, (_, i) => make(1000 + i));
  const { calibrate, heldBack } = splitHeldBack(all);
  return { source: 'self-test generator (synthetic)', real: false, calibrate, heldBack };
}
