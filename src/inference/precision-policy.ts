// Which precision a model runs at on an accelerator: `inference.precision`
// (one setting or one per model id), the accelerator's own `precision`, and
// for `auto` what the accelerator runs best among the variants whose accuracy
// gate passed: int8 on NPU providers, fp16 on GPUs, on the CPU the variant
// that was faster than fp32 when it was measured on this board.
import type { AcceleratorConfig } from '../config/sections/inference.js';
import type { Manifest, Precision } from './manifest.js';

export type PrecisionSetting = 'auto' | Precision;
export type PrecisionPolicy = PrecisionSetting | Record<string, PrecisionSetting>;

/** The setting for one model: its own entry, else `default`, else auto. */
export function settingFor(policy: PrecisionPolicy | undefined, id: string): PrecisionSetting {
  if (!policy) return 'auto';
  if (typeof policy === 'string') return policy;
  return policy[id] ?? policy.default ?? 'auto';
}

const NPU_EPS = /^(qnn|vsinpu|rknpu|rknn|nnapi|vitisai|snpe|ethos|armnn|acl|openvino|neuron|tidl|hailo|dnnl_npu)/i;
const GPU_EPS = /^(cuda|tensorrt|rocm|migraphx|dml|webgpu|coreml|js|opencl)/i;

export type AcceleratorKind = 'npu' | 'gpu' | 'cpu';

export function acceleratorKind(a: Pick<AcceleratorConfig, 'ep'>): AcceleratorKind {
  if (NPU_EPS.test(a.ep)) return 'npu';
  if (GPU_EPS.test(a.ep)) return 'gpu';
  return 'cpu';
}

/**
 * The partner a variant needs beside it: set when its own gate failed but its pair gate
 * passed (it may run only together with that partner variant, see manifest.ts variant.pair).
 */
export function requiredPartner(m: Pick<Manifest, 'variant'>): string | undefined {
  const v = m.variant;
  return v && !v.gate.passed && v.pair?.passed ? v.pair.partner : undefined;
}

/**
 * Precisions of a manifest that may be used: fp32 always, a variant's only when its gate
 * passed, or when it passed only as a pair and `pairReady` says its partner runs beside it.
 */
export function usablePrecisions(m: Manifest, pairReady = false): Precision[] {
  const ok = !m.variant || m.variant.gate.passed || (pairReady && requiredPartner(m) !== undefined);
  const failed = m.variant && !ok ? m.variant.precision : undefined;
  return (['fp32', 'fp16', 'int8'] as const).filter((p) => m.files[p] && p !== failed);
}

const FALLBACK: Record<Precision, Precision[]> = {
  fp32: ['fp32', 'fp16', 'int8'],
  fp16: ['fp16', 'fp32', 'int8'],
  int8: ['int8', 'fp16', 'fp32'],
};

export interface PrecisionChoice {
  precision: Precision;
  /** Why (for logs, doctor and health). */
  reason: string;
}

/** The precision `m` runs at on `a` under `setting`. */
export function choosePrecision(m: Manifest, a: Pick<AcceleratorConfig, 'ep' | 'precision'>, setting: PrecisionSetting, pairReady = false): PrecisionChoice {
  const usable = usablePrecisions(m, pairReady);
  if (usable.length === 0) throw new Error(`model ${m.ref} has no usable file`);
  const wanted = (a.precision as Precision | undefined) ?? (setting === 'auto' ? undefined : setting);
  if (wanted) {
    const p = FALLBACK[wanted].find((x) => usable.includes(x))!;
    return { precision: p, reason: p === wanted ? `${wanted} as configured` : `${wanted} configured, ${m.ref} has no ${wanted} file` };
  }
  const kind = acceleratorKind(a);
  const has = (p: Precision) => usable.includes(p);
  if (kind === 'npu') {
    const p = has('int8') ? 'int8' : has('fp16') ? 'fp16' : 'fp32';
    return { precision: p, reason: `auto: ${a.ep} is an NPU provider` };
  }
  if (kind === 'gpu') {
    const p = has('fp16') ? 'fp16' : 'fp32';
    return { precision: p, reason: `auto: ${a.ep} is a GPU provider` };
  }
  const v = m.variant;
  if (v && has(v.precision) && has('fp32') && v.latency && v.latency.variantMs < v.latency.fp32Ms) {
    const pair = requiredPartner(m);
    return { precision: v.precision, reason: `auto: ${v.precision} measured ${v.latency.variantMs} ms vs fp32 ${v.latency.fp32Ms} ms on this CPU${pair ? ` (gated as a pair with ${pair}, active beside it)` : ''}` };
  }
  if (has('fp32')) {
    const pair = requiredPartner(m);
    if (v && pair && !pairReady) return { precision: 'fp32', reason: `auto: ${v.precision} passed its gate only as a pair with ${pair}, which is not active and loaded beside it` };
    return { precision: 'fp32', reason: v ? `auto: ${v.precision} was not faster than fp32 on this CPU` : 'auto: fp32 (no quantized variant)' };
  }
  return { precision: usable[0]!, reason: `auto: only ${usable[0]} is available` };
}
