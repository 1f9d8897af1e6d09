// Relu and Clip absorbed into the QuantizeLinear before them: when a clamp's
// input is read by nothing else and gets a Q/DQ pair anyway, quantizing that
// input with the clamp's own range [lo, hi] (lo ≤ 0 ≤ hi) saturates exactly as
// the clamp would, so the clamp can go. What is left is integer op → integer op
// with no float step between (in PP-OCRv4 every hardswish's Clip(0, 6) sat
// between a QLinearAdd and a QLinearMul as DequantizeLinear → Clip →
// QuantizeLinear). ONNX Runtime's own quantizer does the same for Relu/Clip.
import { attr, type ModelProto, type NodeProto, opsetVersion, subgraphs, tensorValues, type TensorProto } from '../inference/onnx-io.js';

export interface ClampRange { min: number; max: number }

export interface PlannedClamp {
  node: NodeProto;
  /** The clamp's input (its producer's output). */
  input: string;
  /** The clamp's output. */
  output: string;
}

const HUGE = 3e38;

function clampBounds(n: NodeProto, inits: Map<string, TensorProto>, opset: number): [number, number] | undefined {
  if (n.op_type === 'Relu') return [0, Infinity];
  if (n.op_type !== 'Clip') return undefined;
  if (opset < 11) {
    const lo = attr(n, 'min')?.f ?? -Infinity, hi = attr(n, 'max')?.f ?? Infinity;
    return [lo <= -HUGE ? -Infinity : lo, hi >= HUGE ? Infinity : hi];
  }
  const bound = (i: number, fallback: number): number | undefined => {
    const name = n.input[i];
    if (!name) return fallback;
    const t = inits.get(name);
    const v = t ? tensorValues(t) : undefined;
    return v && v.length === 1 ? v[0]! : undefined;
  };
  const lo = bound(1, -Infinity), hi = bound(2, Infinity);
  return lo === undefined || hi === undefined ? undefined : [lo, hi];
}

/**
 * Finds the clamps that can be absorbed and gives their input (and output) the
 * clamp's range in `ranges` (edited), so the Q/DQ pairs made for them saturate
 * like the clamp. Absorb them with absorbClamps after the pairs exist.
 */
export function planClampAbsorption(model: ModelProto, ranges: Map<string, ClampRange>, skip: ReadonlySet<string> = new Set()): PlannedClamp[] {
  const g = model.graph;
  const inits = new Map(g.initializer.map((t) => [t.name, t]));
  const outputs = new Set(g.output.map((o) => o.name));
  const reads = new Map<string, number>();
  // Names a subgraph (If/Loop branch) reads from the outer graph: their producer must stay.
  const innerReads = new Set<string>();
  const count = (nodes: NodeProto[], inner: boolean) => {
    for (const n of nodes) {
      for (const i of n.input) {
        if (!i) continue;
        reads.set(i, (reads.get(i) ?? 0) + 1);
        if (inner) innerReads.add(i);
      }
      for (const sg of subgraphs(n)) count(sg.node, true);
    }
  };
  count(g.node, false);
  const opset = opsetVersion(model);
  const planned: PlannedClamp[] = [];
  for (const n of g.node) {
    if ((n.domain && n.domain !== 'ai.onnx') || skip.has(n.name)) continue;
    const b = clampBounds(n, inits, opset);
    const input = n.input[0], output = n.output[0];
    if (!b || !input || !output || inits.has(input)) continue;
    const [lo, hi] = b;
    if (!(lo <= 0 && hi >= 0) || reads.get(input) !== 1 || outputs.has(input) || outputs.has(output) || innerReads.has(output)) continue;
    const seen = ranges.get(output) ?? ranges.get(input);
    if (!seen) continue;
    const r = { min: Number.isFinite(lo) ? lo : Math.max(lo, seen.min), max: Math.min(hi, seen.max) };
    ranges.set(input, r);
    ranges.set(output, r);
    planned.push({ node: n, input, output });
  }
  return planned;
}

/** The Q/DQ bookkeeping of quantizeStatic a clamp absorption edits. */
export interface PairBook {
  /** Tensor → the [QuantizeLinear, DequantizeLinear] placed after its producer. */
  after: Map<string, NodeProto[]>;
  /** Tensor → the name of its dequantized copy. */
  dqOf: Map<string, string>;
}

/** Float ops a clamp may hand its input's dequantized value to (ONNX Runtime keeps them whole). */
const FLOAT_LINEAR_READERS = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul']);

/**
 * Removes each planned clamp whose input got a Q/DQ pair: when its output got
 * one too, the output's DequantizeLinear reads the input's quantized value;
 * when its readers are float linear ops only (the detector head's Relu before
 * its float ConvTranspose), they read the input's dequantized value, which the
 * clamp's range already saturates. Returns the clamps removed.
 */
export function absorbClamps(model: ModelProto, planned: PlannedClamp[], book: PairBook): number {
  const gone = new Set<NodeProto>();
  const readersOf = (name: string) => model.graph.node.filter((n) => n.input.includes(name));
  for (const c of planned) {
    const pairIn = book.after.get(c.input);
    if (!book.dqOf.has(c.input) || pairIn?.length !== 2 || c.node.input[0] !== c.input) continue;
    const [qIn] = pairIn as [NodeProto, NodeProto];
    const pairOut = book.after.get(c.output);
    if (!book.dqOf.has(c.output) || pairOut?.length !== 2) {
      // Output not quantized: only where every reader is a float Conv/ConvTranspose/Gemm/MatMul (a clamp
      // feeding other float ops stays: ONNX Runtime 1.30's transpose optimizer crashed on
      // Q → DQ → Transpose left behind by Silero VAD's last Relu).
      const readers = readersOf(c.output);
      if (book.dqOf.has(c.output) || readers.length === 0 || !readers.every((r) => FLOAT_LINEAR_READERS.has(r.op_type) && !(r.domain && r.domain !== 'ai.onnx'))) continue;
      const dqIn = book.dqOf.get(c.input)!;
      for (const r of readers) r.input = r.input.map((i) => (i === c.output ? dqIn : i));
      gone.add(c.node);
      continue;
    }
    const dqOut = pairOut[1]!;
    dqOut.input[0] = qIn.output[0]!;
    book.after.set(c.input, [qIn, dqOut]);
    book.after.delete(c.output);
    gone.add(c.node);
  }
  model.graph.node = model.graph.node.filter((n) => !gone.has(n));
  return gone.size;
}
