// INT8 quantization in QDQ form: QuantizeLinear/DequantizeLinear pairs around
// the activations of the ops ONNX Runtime (and NPU compilers) fuse into integer
// kernels, int8 weights (per output channel for Conv/MatMul/Gemm when asked),
// int32 biases. Activations are uint8 with a zero point, from calibrated ranges.
// The pairs use the com.microsoft domain, whose Q/DQ take a per-axis scale at
// any opset (the bundled OCR models are opset 9 and 11; per-axis Q/DQ in the
// default domain needs opset 13, which would change other ops' meaning).
import {
  DT, elementTypes, floatTensor, int32Tensor, int8Tensor, makeNode, type ModelProto, type NodeProto, subgraphs,
  tensorDims, tensorValues, type TensorProto, uint8Tensor, attr, attrInt, int, opsetVersion,
} from '../inference/onnx-io.js';
import { absorbClamps, planClampAbsorption } from './qdq-clamp.js';
import { constantsToInitializers, dropUnused } from '../inference/onnx-io.js';

export { constantsToInitializers, dropUnused };

export const QDQ_DOMAIN = 'com.microsoft';

/** Ops whose float inputs and outputs get Q/DQ pairs (ONNX Runtime has integer kernels for each). */
export const DEFAULT_INT8_OPS = ['Conv', 'ConvTranspose', 'MatMul', 'Gemm', 'Add', 'Mul', 'Concat', 'GlobalAveragePool', 'AveragePool', 'MaxPool', 'Resize', 'Sigmoid'] as const;
/** A smaller set: only the heavy linear ops (least accuracy lost, smaller speed-up). */
export const LINEAR_INT8_OPS = ['Conv', 'ConvTranspose', 'MatMul', 'Gemm'] as const;
/**
 * Ops whose output values are some of their input's values (nearest Resize, MaxPool): their
 * output pair takes the input's scale and zero point, which lets ONNX Runtime drop both pairs
 * and run the op on the uint8 data.
 */
const SAME_SCALE_OPS = new Set(['MaxPool', 'Resize']);

/** Which inputs of an op are activations to quantize (others are shapes, axes, limits...). */
function activationSlots(n: NodeProto): number[] {
  switch (n.op_type) {
    case 'Conv': case 'ConvTranspose': case 'Gemm': case 'GlobalAveragePool': case 'AveragePool': case 'MaxPool': case 'Sigmoid': return [0];
    case 'MatMul': case 'Add': case 'Mul': return [0, 1];
    case 'Concat': return n.input.map((_, i) => i);
    default: return [0];
  }
}

export interface Range { min: number; max: number }

export interface Int8Options {
  /** Per-output-channel weight scales for Conv/MatMul/Gemm (default per tensor). */
  perChannel?: boolean;
  ops?: readonly string[];
  /** Nodes (by name, else by first output) left in float; see sensitiveNodes. */
  exclude?: ReadonlySet<string>;
  /** Absorb Relu/Clip into the QuantizeLinear before them (default true; qdq-clamp.ts). */
  absorbClamps?: boolean;
}

/** A node's key for `exclude`: its name, else its first output. */
export function nodeKey(n: NodeProto): string {
  return n.name || n.output[0] || '';
}

/**
 * The nodes whose INT8 rounding costs the most accuracy for the least speed,
 * kept in float by `--exclude-sensitive`: MatMuls of two activations (attention
 * scores and their weighted sums, as in the SVTR blocks of PP-OCRv4's
 * recogniser: both operands rounded, errors multiply) and the last linear op
 * before each graph output (the classifier over characters, whose logits CTC
 * decoding reads directly; the detector's last ConvTranspose and its Sigmoid,
 * the probability map that DB post-processing thresholds) and the stem: every
 * node before the third Conv (the input convolution, the first depthwise one and
 * the activations between them), where the image itself would be rounded to
 * 256 levels twice before any feature exists. Measured on 48 recorded
 * recogniser batches of held-back panels (bench/precision.ts's set): with the
 * stem in float, confidently read lines that change text fell from 9 to 7 of 45
 * and the one line INT8 garbled entirely ("EMERGENCYSTOP") read right; the
 * detector's head and stem barely moved its map, whose error is spread over
 * the whole backbone. Call after constantsToInitializers.
 */
export function sensitiveNodes(model: ModelProto): Set<string> {
  const g = model.graph;
  const inits = new Set(g.initializer.map((t) => t.name));
  const producer = new Map<string, NodeProto>();
  for (const n of g.node) for (const o of n.output) producer.set(o, n);
  const out = new Set<string>(stemNodes(model));
  for (const n of g.node) {
    if (n.op_type === 'MatMul' && n.input.length >= 2 && n.input.slice(0, 2).every((i) => !inits.has(i))) out.add(nodeKey(n));
  }
  // Walk back from each output through ops that do not mix channels to the last linear op.
  const passThrough = new Set(['Softmax', 'Sigmoid', 'Reshape', 'Transpose', 'Squeeze', 'Unsqueeze', 'Identity', 'Flatten', 'Add', 'Cast']);
  for (const o of g.output) {
    let n = producer.get(o.name);
    for (let hops = 0; n && hops < 8; hops++) {
      if (n.op_type === 'Sigmoid') out.add(nodeKey(n));
      if (['MatMul', 'Gemm', 'Conv', 'ConvTranspose'].includes(n.op_type)) { out.add(nodeKey(n)); break; }
      if (!passThrough.has(n.op_type)) break;
      n = producer.get(n.input.find((i) => !inits.has(i)) ?? '');
    }
  }
  return out;
}

/** Nodes before the third Conv in graph order (the stem; empty when the graph has fewer than three Convs). */
export function stemNodes(model: ModelProto): string[] {
  const out: string[] = [];
  let convs = 0;
  for (const n of model.graph.node) {
    if (n.op_type === 'Conv' && ++convs === 3) return out;
    if ((DEFAULT_INT8_OPS as readonly string[]).includes(n.op_type)) out.push(nodeKey(n));
  }
  return [];
}

export interface Int8Report {
  method: 'qdq-static' | 'weight-only';
  quantizedNodes: number;
  /** Nodes of the chosen ops left in float (no range, weight not constant, ...). */
  skippedNodes: number;
  /** Relu/Clip nodes absorbed into the QuantizeLinear before them. */
  clampsAbsorbed?: number;
  activations: number;
  weights: number;
}

/** Float activation tensors the chosen ops read or write: what calibration must measure. */
export function tensorsToCalibrate(model: ModelProto, ops: readonly string[] = DEFAULT_INT8_OPS): string[] {
  const g = model.graph;
  const types = elementTypes(g);
  const inits = new Set(g.initializer.map((t) => t.name));
  const out = new Set<string>();
  for (const n of g.node) {
    if (!ops.includes(n.op_type) || (n.domain && n.domain !== 'ai.onnx')) continue;
    const names = [...activationSlots(n).map((i) => n.input[i]), n.output[0]];
    for (const name of names) if (name && !inits.has(name) && types.get(name) === DT.FLOAT) out.add(name);
  }
  return [...out];
}

/** Ops whose definition changed at opset 10 (Slice is rewritten; the others stop an upgrade). */
const CHANGED_AT_10 = new Set(['Upsample', 'TopK', 'Dropout', 'Resize']);

/**
 * ONNX Runtime's integer kernels (QLinearConv, ...) exist from opset 10: lifts an
 * opset 9 graph to 10, rewriting Slice's attributes as inputs. Returns false
 * when the graph holds another op whose meaning changed at 10.
 */
export function upgradeToOpset10(model: ModelProto): boolean {
  const entry = model.opset_import.find((o) => !o.domain || o.domain === 'ai.onnx');
  if (!entry || opsetVersion(model) >= 10) return true;
  const g = model.graph;
  if (g.node.some((n) => CHANGED_AT_10.has(n.op_type))) return false;
  let k = 0;
  for (const n of g.node) {
    if (n.op_type !== 'Slice') continue;
    const list = (name: string) => n.attribute.find((a) => a.name === name)?.ints.map(int);
    const starts = list('starts'), ends = list('ends'), axes = list('axes');
    if (!starts || !ends) continue;
    const tag = `${n.output[0]}_slice${k++}`;
    const i64 = (name: string, v: number[]) => ({ ...floatTensor(name, [v.length], []), data_type: DT.INT64, raw_data: new Uint8Array(BigInt64Array.from(v.map(BigInt)).buffer) });
    g.initializer.push(i64(`${tag}_starts`, starts), i64(`${tag}_ends`, ends.map((e) => Math.min(e, 2 ** 53))));
    n.input.push(`${tag}_starts`, `${tag}_ends`);
    if (axes) { g.initializer.push(i64(`${tag}_axes`, axes)); n.input.push(`${tag}_axes`); }
    n.attribute = [];
  }
  entry.version = 10;
  return true;
}

function ensureOpset(model: ModelProto): void {
  if (!model.opset_import.some((o) => o.domain === QDQ_DOMAIN)) model.opset_import.push({ domain: QDQ_DOMAIN, version: 1 });
}

function activationParams(r: Range): { scale: number; zeroPoint: number } {
  const lo = Math.min(0, r.min), hi = Math.max(0, r.max);
  const scale = Math.max(hi - lo, 1e-8) / 255;
  return { scale, zeroPoint: Math.min(255, Math.max(0, Math.round(-lo / scale))) };
}

/** Symmetric int8 weights; scales per slice along `axis` (or one for the tensor). */
function quantizeWeight(t: TensorProto, axis: number | undefined): { q: Int8Array; scales: Float32Array } {
  const dims = tensorDims(t);
  const v = tensorValues(t);
  const channels = axis === undefined ? 1 : dims[axis]!;
  const inner = axis === undefined ? v.length : dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const chanOf = (i: number) => (axis === undefined ? 0 : Math.floor(i / inner) % channels);
  const absMax = new Float64Array(channels);
  for (let i = 0; i < v.length; i++) absMax[chanOf(i)] = Math.max(absMax[chanOf(i)]!, Math.abs(v[i]!));
  const scales = Float32Array.from(absMax, (m) => (m > 0 ? m / 127 : 1));
  const q = new Int8Array(v.length);
  for (let i = 0; i < v.length; i++) q[i] = Math.max(-127, Math.min(127, Math.round(v[i]! / scales[chanOf(i)]!)));
  return { q, scales };
}

/** The axis of output channels of a node's weight (input 1), or undefined for per-tensor. */
function weightAxis(n: NodeProto, perChannel: boolean, rank: number): number | undefined {
  if (!perChannel) return undefined;
  if (n.op_type === 'Conv') return 0;
  if (n.op_type === 'ConvTranspose') return 1;  // weights [Cin, Cout/group, ...]
  if (n.op_type === 'Gemm') return attrInt(n, 'transB', 0) ? 0 : 1;
  if (n.op_type === 'MatMul' && rank === 2) return 1;
  return undefined;
}

interface Builder {
  model: ModelProto;
  head: NodeProto[];
  after: Map<string, NodeProto[]>;
  counter: number;
}

function qdqPair(b: Builder, tensor: string, r: Range): string {
  const { scale, zeroPoint } = activationParams(r);
  const g = b.model.graph;
  const s = `${tensor}_qdq_scale`, z = `${tensor}_qdq_zp`;
  g.initializer.push(floatTensor(s, [], [scale]), uint8Tensor(z, [], Uint8Array.of(zeroPoint)));
  const q = makeNode('QuantizeLinear', [tensor, s, z], [`${tensor}_q`], `${tensor}_QuantizeLinear`);
  const dq = makeNode('DequantizeLinear', [`${tensor}_q`, s, z], [`${tensor}_dq`], `${tensor}_DequantizeLinear`);
  q.domain = QDQ_DOMAIN; dq.domain = QDQ_DOMAIN;
  const producerOutput = tensor;
  const list = b.after.get(producerOutput) ?? [];
  list.push(q, dq);
  b.after.set(producerOutput, list);
  return `${tensor}_dq`;
}

function dequantizedConstant(b: Builder, name: string, dims: number[], values: Int8Array | Int32Array, scales: Float32Array, axis: number | undefined): string {
  const g = b.model.graph;
  const tag = `${name}_${b.counter++}`;
  const per = axis !== undefined && scales.length > 1;
  const qName = `${tag}_quantized`, sName = `${tag}_scale`, zName = `${tag}_zp`;
  const isInt32 = values instanceof Int32Array;
  g.initializer.push(
    isInt32 ? int32Tensor(qName, dims, values) : int8Tensor(qName, dims, values as Int8Array),
    floatTensor(sName, per ? [scales.length] : [], per ? scales : [scales[0]!]),
    isInt32 ? int32Tensor(zName, per ? [scales.length] : [], new Int32Array(per ? scales.length : 1))
      : int8Tensor(zName, per ? [scales.length] : [], new Int8Array(per ? scales.length : 1)),
  );
  const dq = makeNode('DequantizeLinear', [qName, sName, zName], [`${tag}_dequantized`], `${tag}_DequantizeLinear`,
    per ? { axis: { int: axis } } : {});
  dq.domain = QDQ_DOMAIN;
  b.head.push(dq);
  return `${tag}_dequantized`;
}

/**
 * Static QDQ quantization. `ranges` holds the calibrated range of each
 * activation (from calibrate.ts); nodes whose activations have no range stay
 * float. Edits and returns the model (call constantsToInitializers first).
 */
export function quantizeStatic(model: ModelProto, calibrated: Map<string, Range>, opts: Int8Options = {}): Int8Report {
  const ops = opts.ops ?? DEFAULT_INT8_OPS;
  const g = model.graph;
  if (!upgradeToOpset10(model)) throw new Error(`the model is opset ${opsetVersion(model)} and holds ops that changed at opset 10; static INT8 needs opset 10 or later`);
  ensureOpset(model);
  const ranges = new Map(calibrated);
  const clamps = opts.absorbClamps === false ? [] : planClampAbsorption(model, ranges, opts.exclude);
  for (const n of g.node) {
    const nearest = n.op_type !== 'Resize' || (attr(n, 'mode')?.s ? new TextDecoder().decode(attr(n, 'mode')!.s!) : 'nearest') === 'nearest';
    const r = ranges.get(n.input[0] ?? '');
    if (SAME_SCALE_OPS.has(n.op_type) && nearest && r && ops.includes(n.op_type)) ranges.set(n.output[0]!, r);
  }
  const inits = new Map(g.initializer.map((t) => [t.name, t]));
  const types = elementTypes(g);
  const b: Builder = { model, head: [], after: new Map(), counter: 0 };
  const dqOf = new Map<string, string>();
  const report: Int8Report = { method: 'qdq-static', quantizedNodes: 0, skippedNodes: 0, activations: 0, weights: 0 };
  const activation = (name: string): string | undefined => {
    if (dqOf.has(name)) return dqOf.get(name);
    const r = ranges.get(name);
    if (!r || !Number.isFinite(r.min) || !Number.isFinite(r.max)) return undefined;
    const dq = qdqPair(b, name, r);
    dqOf.set(name, dq);
    report.activations++;
    return dq;
  };
  for (const n of g.node) {
    if (!ops.includes(n.op_type) || (n.domain && n.domain !== 'ai.onnx') || subgraphs(n).length) continue;
    if (opts.exclude?.has(nodeKey(n))) {
      report.skippedNodes++;
      continue;
    }
    const slots = activationSlots(n);
    const linear = n.op_type === 'Conv' || n.op_type === 'ConvTranspose' || n.op_type === 'Gemm' || n.op_type === 'MatMul';
    const weight = linear ? inits.get(n.input[1] ?? '') : undefined;
    const acts = slots.filter((i) => !(linear && i === 1 && weight) && n.input[i] && !inits.has(n.input[i]!));
    const constInputs = slots.filter((i) => n.input[i] && inits.has(n.input[i]!) && !(linear && i === 1));
    const floatOk = acts.every((i) => types.get(n.input[i]!) === DT.FLOAT) && types.get(n.output[0]!) === DT.FLOAT;
    if (!floatOk || acts.some((i) => !ranges.has(n.input[i]!)) || (linear && !weight && n.op_type !== 'MatMul')) {
      report.skippedNodes++;
      continue;
    }
    const inputScale = acts.length ? activationParams(ranges.get(n.input[acts[0]!]!)!).scale : 0;
    for (const i of acts) n.input[i] = activation(n.input[i]!)!;
    // Constant operands of Add/Mul/Concat: uint8 per tensor, their own range.
    for (const i of constInputs) {
      const t = inits.get(n.input[i]!)!;
      if (t.data_type !== DT.FLOAT) continue;
      const v = tensorValues(t);
      const { scale, zeroPoint } = activationParams({ min: Math.min(...v), max: Math.max(...v) });
      const u = Uint8Array.from(v, (x) => Math.max(0, Math.min(255, Math.round(x / scale) + zeroPoint)));
      const tag = `${t.name}_${b.counter++}`;
      g.initializer.push(uint8Tensor(`${tag}_quantized`, tensorDims(t), u), floatTensor(`${tag}_scale`, [], [scale]),
        uint8Tensor(`${tag}_zp`, [], Uint8Array.of(zeroPoint)));
      const dq = makeNode('DequantizeLinear', [`${tag}_quantized`, `${tag}_scale`, `${tag}_zp`], [`${tag}_dequantized`], `${tag}_DequantizeLinear`);
      dq.domain = QDQ_DOMAIN;
      b.head.push(dq);
      n.input[i] = `${tag}_dequantized`;
    }
    if (weight && weight.data_type === DT.FLOAT) {
      const dims = tensorDims(weight);
      const axis = weightAxis(n, opts.perChannel ?? false, dims.length);
      const { q, scales } = quantizeWeight(weight, axis);
      n.input[1] = dequantizedConstant(b, weight.name, dims, q, scales, axis);
      report.weights++;
      const bias = inits.get(n.input[2] ?? '');
      if (bias && bias.data_type === DT.FLOAT && inputScale > 0) {
        const bv = tensorValues(bias);
        const bScales = Float32Array.from(bv, (_, c) => inputScale * scales[scales.length > 1 ? c : 0]!);
        const bq = Int32Array.from(bv, (x, c) => Math.round(x / bScales[c]!));
        const perBias = scales.length > 1;
        n.input[2] = dequantizedConstant(b, bias.name, tensorDims(bias), bq, perBias ? bScales : Float32Array.of(bScales[0]!), perBias ? 0 : undefined);
      }
    }
    const out = n.output[0]!;
    if (ranges.has(out)) activation(out);
    report.quantizedNodes++;
  }
  if (clamps.length) report.clampsAbsorbed = absorbClamps(model, clamps, { after: b.after, dqOf });
  rebuild(b);
  rewireConsumers(model, dqOf);
  dropUnused(model);
  return report;
}

/**
 * Rewrites every reader of a quantized tensor to read its dequantized copy, so
 * the producer's only reader is its QuantizeLinear (what integer fusion needs).
 */
function rewireConsumers(model: ModelProto, dqOf: Map<string, string>): void {
  for (const n of model.graph.node) {
    if (n.op_type === 'QuantizeLinear' && n.domain === QDQ_DOMAIN) continue;
    n.input.forEach((name, i) => {
      const dq = dqOf.get(name);
      if (dq) n.input[i] = dq;
    });
  }
}

/** Puts the new nodes in order: constant dequantizers first, each Q/DQ pair right after its producer. */
function rebuild(b: Builder): void {
  const g = b.model.graph;
  const nodes: NodeProto[] = [...b.head];
  for (const i of g.input) nodes.push(...(b.after.get(i.name) ?? []));
  for (const n of g.node) {
    nodes.push(n);
    for (const o of n.output) nodes.push(...(b.after.get(o) ?? []));
  }
  g.node = nodes;
}

/**
 * Weight-only INT8 (the fallback when no calibration inputs exist): int8
 * weights of Conv/MatMul/Gemm with a DequantizeLinear in front; activations
 * stay float. Smaller files; the speed is the float model's.
 */
export function quantizeWeightsOnly(model: ModelProto, opts: Int8Options = {}): Int8Report {
  ensureOpset(model);
  const g = model.graph;
  const inits = new Map(g.initializer.map((t) => [t.name, t]));
  const b: Builder = { model, head: [], after: new Map(), counter: 0 };
  const report: Int8Report = { method: 'weight-only', quantizedNodes: 0, skippedNodes: 0, activations: 0, weights: 0 };
  for (const n of g.node) {
    if (!['Conv', 'MatMul', 'Gemm'].includes(n.op_type)) continue;
    const w = inits.get(n.input[1] ?? '');
    if (!w || w.data_type !== DT.FLOAT) { report.skippedNodes++; continue; }
    const dims = tensorDims(w);
    const axis = weightAxis(n, opts.perChannel ?? false, dims.length);
    const { q, scales } = quantizeWeight(w, axis);
    n.input[1] = dequantizedConstant(b, w.name, dims, q, scales, axis);
    report.weights++;
    report.quantizedNodes++;
  }
  rebuild(b);
  dropUnused(model);
  return report;
}
