// Decoder for bring-your-own object detectors with YOLO-style output:
// YOLOv8 layout [1, 4 + K, N] (cx, cy, w, h, then class scores) or YOLOv5
// layout [1, N, 5 + K] (cx, cy, w, h, objectness, class scores), boxes in
// model-input pixels. Candidates over the score threshold go through per-class
// non-maximum suppression and are mapped back to frame pixels.
import type { Frame } from '../../types.js';
import type { Box } from '../image.js';
import type { ModelSession } from '../../inference/session.js';
import { pickOutput, runImageModel, type ImageInputSpec } from './preprocess.js';

export interface DetectorSpec extends ImageInputSpec {
  labels: string[];
  output?: string;
  /** Output layout; 'auto' decides from the shape (default). */
  layout?: 'yolov8' | 'yolov5' | 'auto';
  scoreThreshold?: number;
  iouThreshold?: number;
  maxDetections?: number;
}

export interface Detection {
  label: string;
  classIndex: number;
  score: number;
  box: Box;
}

export function iou(a: Box, b: Box): number {
  const x0 = Math.max(a.x, b.x), y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.width, b.x + b.width), y1 = Math.min(a.y + a.height, b.y + b.height);
  const inter = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

/** Greedy non-maximum suppression within each class. */
export function nonMaxSuppression(dets: Detection[], iouThreshold: number, max = Infinity): Detection[] {
  const sorted = [...dets].sort((a, b) => b.score - a.score);
  const kept: Detection[] = [];
  for (const d of sorted) {
    if (kept.length >= max) break;
    if (kept.some((k) => k.classIndex === d.classIndex && iou(k.box, d.box) > iouThreshold)) continue;
    kept.push(d);
  }
  return kept;
}

/** Decodes a YOLO output tensor; boxes are scaled by (scaleX, scaleY) into frame pixels. */
export function decodeYolo(
  out: { data: Float32Array; dims: number[] },
  spec: Pick<DetectorSpec, 'labels' | 'layout' | 'scoreThreshold' | 'iouThreshold' | 'maxDetections'>,
  scaleX = 1,
  scaleY = 1,
): Detection[] {
  const k = spec.labels.length;
  // Leading unit dimensions beyond the batch are dropped: [1, 1, 6, N] reads as [1, 6, N].
  const dims = [...out.dims];
  while (dims.length > 3 && dims[0] === 1) dims.shift();
  const [, a, b] = dims.length === 3 ? dims : [1, dims[0]!, dims[1]!];
  let layout = spec.layout ?? 'auto';
  if (layout === 'auto') {
    if (a === 4 + k) layout = 'yolov8';
    else if (b === 5 + k) layout = 'yolov5';
    else if (b === 4 + k) layout = 'yolov8';
    else throw new Error(`detector output shape [${out.dims.join(', ')}] fits neither YOLOv8 [1, ${4 + k}, N] nor YOLOv5 [1, N, ${5 + k}] for ${k} labels; check the labels in the manifest`);
  }
  const threshold = spec.scoreThreshold ?? 0.25;
  const v8 = layout === 'yolov8' && a === 4 + k;
  const n = v8 ? b! : a!;
  const stride = v8 ? 1 : b!;
  const at = (i: number, f: number): number => (v8 ? out.data[f * n + i]! : out.data[i * stride + f]!);
  const dets: Detection[] = [];
  for (let i = 0; i < n; i++) {
    const objectness = layout === 'yolov5' ? at(i, 4) : 1;
    const first = layout === 'yolov5' ? 5 : 4;
    let best = 0, bestScore = -Infinity;
    for (let c = 0; c < k; c++) {
      const s = at(i, first + c);
      if (s > bestScore) { bestScore = s; best = c; }
    }
    const score = bestScore * objectness;
    if (score < threshold) continue;
    const cx = at(i, 0), cy = at(i, 1), w = at(i, 2), h = at(i, 3);
    dets.push({
      label: spec.labels[best]!,
      classIndex: best,
      score,
      box: { x: (cx - w / 2) * scaleX, y: (cy - h / 2) * scaleY, width: w * scaleX, height: h * scaleY },
    });
  }
  return nonMaxSuppression(dets, spec.iouThreshold ?? 0.45, spec.maxDetections ?? 100);
}

export class DetectorModel {
  readonly kind = 'detector';
  constructor(private readonly session: ModelSession, readonly spec: DetectorSpec) {}

  async detect(frame: Frame): Promise<Detection[]> {
    const out = pickOutput(await runImageModel(this.session, frame, this.spec), this.spec.output, 'detector');
    return decodeYolo(out, this.spec, frame.width / this.spec.width, frame.height / this.spec.height);
  }
}
