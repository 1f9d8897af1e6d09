// Turning a frame into the input tensor a bring-your-own vision model expects:
// resized (stretched) to the model's size, scaled to 0..1, normalised per
// channel, laid out NCHW. The settings come from the model's manifest.
import { frameToRgb, resizeBilinear, type Box } from '../image.js';
import type { Frame } from '../../types.js';
import type { FloatTensor, ModelSession } from '../../inference/session.js';

export interface ImageInputSpec {
  /** Model input width and height. */
  width: number;
  height: number;
  /** Per-channel mean and std applied to values in 0..1 (default: 0 and 1). */
  mean?: [number, number, number];
  std?: [number, number, number];
  /** Channel order of the tensor (default rgb). */
  channels?: 'rgb' | 'bgr';
  /** Input tensor name (default: the model's first input). */
  input?: string;
}

export function frameToTensor(frame: Frame, spec: ImageInputSpec, region?: Box): FloatTensor {
  let rgb = frameToRgb(frame);
  if (region) {
    const out = new Float32Array(region.width * region.height * 3);
    for (let y = 0; y < region.height; y++) {
      const src = ((region.y + y) * rgb.width + region.x) * 3;
      out.set(rgb.data.subarray(src, src + region.width * 3), y * region.width * 3);
    }
    rgb = { data: out, width: region.width, height: region.height };
  }
  const { width: w, height: h } = spec;
  const resized = resizeBilinear(rgb.data, rgb.width, rgb.height, 3, w, h);
  const mean = spec.mean ?? [0, 0, 0], std = spec.std ?? [1, 1, 1];
  const n = w * h;
  const data = new Float32Array(3 * n);
  for (let c = 0; c < 3; c++) {
    const src = spec.channels === 'bgr' ? 2 - c : c;
    for (let i = 0; i < n; i++) data[c * n + i] = (resized[3 * i + src]! / 255 - mean[c]!) / std[c]!;
  }
  return { data, dims: [1, 3, h, w] };
}

/** Runs the session on one frame; returns its outputs. */
export async function runImageModel(session: ModelSession, frame: Frame, spec: ImageInputSpec, region?: Box): Promise<Record<string, FloatTensor>> {
  const name = spec.input ?? session.inputNames[0];
  if (!name) throw new Error('the vision model declares no inputs');
  return session.run({ [name]: frameToTensor(frame, spec, region) });
}

/** The named output, or the first one; a clear error when a named one is missing. */
export function pickOutput(outputs: Record<string, FloatTensor>, name: string | undefined, what: string): FloatTensor {
  if (name) {
    const t = outputs[name];
    if (!t) throw new Error(`${what}: the model has no output "${name}" (it has ${Object.keys(outputs).join(', ')}); fix the manifest`);
    return t;
  }
  const first = Object.values(outputs)[0];
  if (!first) throw new Error(`${what}: the model produced no outputs`);
  return first;
}
