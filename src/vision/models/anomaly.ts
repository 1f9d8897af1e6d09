// Decoder for bring-your-own anomaly models in the anomalib export style: an
// anomaly map (1×1×H×W) and an image score, plus the normalisation metadata
// saved with the model (image/pixel thresholds, min and max of the raw
// values). The score is reported two ways: divided by the image threshold (so
// 1.0 sits at the model's decision threshold, like the fitted baselines) and
// anomalib's min-max normalisation to [0, 1] (0.5 at the threshold).
import type { Frame } from '../../types.js';
import type { Box } from '../image.js';
import type { ModelSession } from '../../inference/session.js';
import { pickOutput, runImageModel, type ImageInputSpec } from './preprocess.js';

export interface AnomalyNormalisation {
  imageThreshold: number;
  pixelThreshold?: number;
  min: number;
  max: number;
}

export interface AnomalyModelSpec extends ImageInputSpec {
  /** Output names (default: "anomaly_map" / "pred_score" when present, else derived). */
  mapOutput?: string;
  scoreOutput?: string;
  normalisation: AnomalyNormalisation;
}

export interface AnomalyModelResult {
  /** Raw score / image threshold: 1.0 at the model's threshold. */
  score: number;
  /** anomalib-style normalised score in [0, 1]. */
  normalised: number;
  raw: number;
  /** Box (frame pixels) around map values above the pixel threshold, or around the peak. */
  box?: Box;
}

export function normaliseAnomalibScore(raw: number, threshold: number, min: number, max: number): number {
  const span = max - min;
  if (!(span > 0)) return raw >= threshold ? 1 : 0;
  return Math.min(1, Math.max(0, (raw - threshold) / span + 0.5));
}

/** Decodes outputs already read from the model. `map` may be absent. */
export function decodeAnomaly(
  map: { data: Float32Array; dims: number[] } | undefined,
  rawScore: number | undefined,
  norm: AnomalyNormalisation,
  frameW: number,
  frameH: number,
): AnomalyModelResult {
  if (!(norm.imageThreshold > 0)) throw new Error('anomaly model: normalisation.imageThreshold must be a positive number (anomalib metadata image_threshold)');
  let raw = rawScore;
  let box: Box | undefined;
  if (map) {
    const h = map.dims[map.dims.length - 2]!, w = map.dims[map.dims.length - 1]!;
    let peak = 0;
    for (let i = 1; i < w * h; i++) if (map.data[i]! > map.data[peak]!) peak = i;
    raw ??= map.data[peak]!;
    const level = norm.pixelThreshold !== undefined && map.data[peak]! >= norm.pixelThreshold ? norm.pixelThreshold : map.data[peak]! * 0.5;
    let x0 = w, y0 = h, x1 = -1, y1 = -1;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        if (map.data[y * w + x]! >= level) {
          x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
        }
      }
    }
    const sx = frameW / w, sy = frameH / h;
    box = { x: Math.round(x0 * sx), y: Math.round(y0 * sy), width: Math.round((x1 - x0 + 1) * sx), height: Math.round((y1 - y0 + 1) * sy) };
  }
  if (raw === undefined) throw new Error('anomaly model produced neither a score nor a map');
  return { score: raw / norm.imageThreshold, normalised: normaliseAnomalibScore(raw, norm.imageThreshold, norm.min, norm.max), raw, box };
}

export class AnomalyModel {
  readonly kind = 'anomaly';
  constructor(private readonly session: ModelSession, readonly spec: AnomalyModelSpec) {}

  async score(frame: Frame, region?: Box): Promise<AnomalyModelResult> {
    const outs = await runImageModel(this.session, frame, this.spec, region);
    const names = Object.keys(outs);
    const mapName = this.spec.mapOutput ?? (names.includes('anomaly_map') ? 'anomaly_map' : names.find((n) => (outs[n]!.dims.length >= 3)));
    const scoreName = this.spec.scoreOutput ?? (names.includes('pred_score') ? 'pred_score' : names.find((n) => outs[n]!.data.length === 1));
    const map = mapName ? pickOutput(outs, mapName, 'anomaly model') : undefined;
    const score = scoreName ? pickOutput(outs, scoreName, 'anomaly model').data[0] : undefined;
    const fw = region?.width ?? frame.width, fh = region?.height ?? frame.height;
    const result = decodeAnomaly(map, score, this.spec.normalisation, fw, fh);
    if (result.box && region) result.box = { ...result.box, x: result.box.x + region.x, y: result.box.y + region.y };
    return result;
  }
}
