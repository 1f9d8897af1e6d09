// FP16 conversion with FP32 at the edges: float weights are stored as float16
// and float ops compute in float16, except the graph's inputs and outputs
// (callers keep feeding and reading float32) and the ops on the block-list
// below, which stay float32 with Cast nodes in front and behind.
import {
  DT, elementTypes, float16Tensor, type GraphProto, int, makeNode, type ModelProto, type NodeProto, outerScopeNames,
  subgraphs, tensorDims, tensorValues, type TensorProto,
} from '../inference/onnx-io.js';
import { constantsToInitializers, dropUnused } from './qdq-int8.js';

/**
 * Ops kept in float32, and why:
 * - reductions, powers, exp/log, softmax and normalisation statistics overflow or lose digits
 *   in float16 (largest value 65504, 11-bit mantissa): ReduceSum, ReduceSumSquare, ReduceL2,
 *   ReduceLogSumExp, ReduceMean, Pow, Sqrt, Exp, Log, Softmax, LogSoftmax, CumSum;
 * - normalisation with stored statistics (BatchNormalization, InstanceNormalization,
 *   LayerNormalization): variances near epsilon underflow in float16 — the PP-OCRv4 detector's
 *   probability map went to all zeros with BatchNormalization in float16;
 * - recurrent cells accumulate state over time: LSTM, GRU, RNN;
 * - ops whose extra inputs must be float32 or that index/sort: Resize, Upsample, Range, TopK,
 *   NonMaxSuppression, RoiAlign;
 * - control flow (If, Loop, Scan): their subgraphs are left as they are.
 */
export const FP16_BLOCK_LIST = [
  'ReduceSum', 'ReduceSumSquare', 'ReduceL2', 'ReduceLogSumExp', 'ReduceMean', 'Pow', 'Sqrt', 'Exp', 'Log',
  'Softmax', 'LogSoftmax', 'CumSum', 'BatchNormalization', 'InstanceNormalization', 'LayerNormalization', 'LSTM', 'GRU', 'RNN', 'Resize', 'Upsample', 'Range', 'TopK',
  'NonMaxSuppression', 'RoiAlign', 'If', 'Loop', 'Scan', 'RandomNormal', 'RandomUniform', 'EyeLike',
] as const;

export interface Fp16Options {
  blockList?: readonly string[];
}

export interface Fp16Report {
  convertedNodes: number;
  blockedNodes: number;
  casts: number;
  weights: number;
}

function renameInSubgraph(g: GraphProto, from: string, to: string): void {
  for (const n of g.node) {
    n.input.forEach((x, i) => { if (x === from) n.input[i] = to; });
    for (const sg of subgraphs(n)) renameInSubgraph(sg, from, to);
  }
}

/** Converts the model to float16 in place; returns what it did. */
export function convertToFp16(model: ModelProto, opts: Fp16Options = {}): Fp16Report {
  const block = new Set(opts.blockList ?? FP16_BLOCK_LIST);
  constantsToInitializers(model);
  const g = model.graph;
  const types = elementTypes(g);
  const isFloat = (name: string) => types.get(name) === DT.FLOAT;
  const blocked = (n: NodeProto) => block.has(n.op_type) || (Boolean(n.domain) && n.domain !== 'ai.onnx')
    || (n.op_type === 'Constant') || subgraphs(n).length > 0;
  const report: Fp16Report = { convertedNodes: 0, blockedNodes: 0, casts: 0, weights: 0 };

  // Where each float value lives: 16 (float16) or 32.
  const home = new Map<string, 16 | 32>();
  for (const i of g.input) if (isFloat(i.name)) home.set(i.name, 32);
  const inits = new Map(g.initializer.map((t) => [t.name, t]));
  // Initializers become float16 when a non-blocked node reads them.
  const readers = new Map<string, NodeProto[]>();
  for (const n of g.node) {
    const names = new Set([...n.input, ...subgraphs(n).flatMap((sg) => [...outerScopeNames(sg)])]);
    for (const x of names) if (x) readers.set(x, [...(readers.get(x) ?? []), n]);
  }
  const converted = new Map<string, TensorProto>();
  for (const t of g.initializer) {
    if (t.data_type !== DT.FLOAT) continue;
    const rs = readers.get(t.name) ?? [];
    if (rs.some((n) => !blocked(n))) {
      converted.set(t.name, float16Tensor(t.name, tensorDims(t), tensorValues(t)));
      home.set(t.name, 16);
      report.weights++;
    } else home.set(t.name, 32);
  }
  g.initializer = g.initializer.map((t) => converted.get(t.name) ?? t);
  const keepFloat32 = new Map<string, TensorProto>();  // float32 copies for blocked readers of converted weights
  for (const [name] of converted) {
    if ((readers.get(name) ?? []).some(blocked)) keepFloat32.set(name, inits.get(name)!);
  }

  const nodes: NodeProto[] = [];
  const castCache = new Map<string, string>();
  const cast = (value: string, to: 16 | 32): string => {
    const key = `${value}->${to}`;
    const hit = castCache.get(key);
    if (hit) return hit;
    const out = `${value}_as_fp${to}`;
    if (to === 32 && keepFloat32.has(value)) {
      const t = keepFloat32.get(value)!;
      t.name = out;
      g.initializer.push(t);
    } else {
      nodes.push(makeNode('Cast', [value], [out], `${value}_Cast_fp${to}`, { to: { int: to === 16 ? DT.FLOAT16 : DT.FLOAT } }));
      report.casts++;
    }
    castCache.set(key, out);
    return out;
  };

  for (const n of g.node) {
    const want: 16 | 32 = blocked(n) ? 32 : 16;
    n.input.forEach((x, i) => {
      const h = home.get(x);
      if (x && h && h !== want) n.input[i] = cast(x, want);
    });
    if (want === 32) {
      for (const sg of subgraphs(n)) {
        for (const x of outerScopeNames(sg)) if (home.get(x) === 16) renameInSubgraph(sg, x, cast(x, 32));
      }
      report.blockedNodes++;
    } else {
      if (n.op_type === 'Cast' && int(n.attribute.find((a) => a.name === 'to')?.i) === DT.FLOAT) {
        n.attribute.find((a) => a.name === 'to')!.i = DT.FLOAT16;
      }
      if (n.op_type === 'ConstantOfShape') {
        const v = n.attribute.find((a) => a.name === 'value');
        if (v?.t && v.t.data_type === DT.FLOAT) v.t = float16Tensor(v.t.name, tensorDims(v.t), tensorValues(v.t));
        else if (!v) n.attribute.push(makeNode('X', [], [], '', { value: float16Tensor('', [1], [0]) }).attribute[0]!);
      }
      report.convertedNodes++;
    }
    nodes.push(n);
    for (const o of n.output) if (o && isFloat(o)) home.set(o, want);
  }

  // Graph outputs stay float32: a float16 producer writes NAME_fp16 and a Cast makes NAME.
  for (const out of g.output) {
    if (home.get(out.name) !== 16) continue;
    const renamed = `${out.name}_fp16`;
    for (const n of nodes) {
      n.output.forEach((o, i) => { if (o === out.name) n.output[i] = renamed; });
      n.input.forEach((x, i) => { if (x === out.name) n.input[i] = renamed; });
    }
    nodes.push(makeNode('Cast', [renamed], [out.name], `${out.name}_output_Cast_fp32`, { to: { int: DT.FLOAT } }));
    report.casts++;
  }
  g.node = nodes;
  // Declared types of intermediate float values are stale now; ONNX Runtime infers them.
  g.value_info = g.value_info.filter((v) => v.type?.tensor_type?.elem_type !== DT.FLOAT);
  dropUnused(model);
  return report;
}
