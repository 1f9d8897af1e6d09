// Folds the scalar/per-channel affine ops around a Conv into its weights and
// bias before INT8 quantization — exact float rewrites, the same result up to
// float rounding. PP-OCRv4's PP-LCNetV3 backbone wraps every Conv in
// "learnable affine blocks": Conv → Mul(s) → Add(b) → hardswish → Mul(s2) →
// Add(b2) → Conv, with the constants as inputs of their own nodes. ONNX
// Runtime folds none of them (ConvMulFusion wants the constant as the second
// input and a per-channel shape), and once Q/DQ pairs wrap them each becomes a
// separate QLinearMul/QLinearAdd over the whole feature map — in the recogniser
// 102 of them, more time than the convolutions they sit between. Folded:
//   output side  Conv → (Mul|Div|Add|Sub by constant | BatchNormalization)* → t   ⇒ Conv(αW, αB + β) → t
//                (also ConvTranspose with one group: the detector's head)
//   input side   m → (Mul|Div|Add|Sub by scalar)* → Conv     ⇒ m → [Add(β/α)] → Conv(αW)
// On the input side the Add disappears into the bias too when the Conv has no
// padding (padding would add the constant at the borders otherwise).
import {
  DT, floatTensor, int, type ModelProto, type NodeProto, tensorDims, tensorValues, type TensorProto, attr, subgraphs,
  dropUnused,
} from './onnx-io.js';

export interface Affine { alpha: Float64Array; beta: Float64Array }

export interface ConvFoldReport { outputSide: number; inputSide: number; nodesRemoved: number }

/** y = αx + β of a Mul/Div/Add/Sub whose other operand is a constant (per channel of `channels` or one value). */
export function affineOf(n: NodeProto, x: string, inits: Map<string, TensorProto>, channels: number, scalarOnly: boolean): Affine | undefined {
  if (n.op_type === 'BatchNormalization' && !scalarOnly && n.input[0] === x && n.output.length === 1) {
    const [scale, bias, mean, variance] = n.input.slice(1, 5).map((i) => inits.get(i));
    if (!scale || !bias || !mean || !variance) return undefined;
    const eps = attr(n, 'epsilon')?.f ?? 1e-5;
    const [g, b, m, v] = [scale, bias, mean, variance].map((t) => tensorValues(t));
    if ([g, b, m, v].some((a) => a!.length !== channels)) return undefined;
    const alpha = Float64Array.from(g!, (gk, k) => gk / Math.sqrt(v![k]! + eps));
    return { alpha, beta: Float64Array.from(b!, (bk, k) => bk - alpha[k]! * m![k]!) };
  }
  if (!['Mul', 'Div', 'Add', 'Sub'].includes(n.op_type) || n.input.length !== 2 || (n.domain && n.domain !== 'ai.onnx')) return undefined;
  const xi = n.input.indexOf(x);
  if (xi < 0 || n.input[1 - xi] === x) return undefined;
  const c = inits.get(n.input[1 - xi]!);
  if (!c || c.data_type !== DT.FLOAT) return undefined;
  const dims = tensorDims(c);
  const v = tensorValues(c);
  // One value, or one per channel laid out as [C,1,1] / [1,C,1,1] (broadcast over N, H, W).
  const perChannel = v.length === channels && channels > 1 && dims.length >= 3 && dims.slice(-2).every((d) => d === 1)
    && dims.slice(0, -3).every((d) => d === 1);
  if (v.length !== 1 && (scalarOnly || !perChannel)) return undefined;
  const at = (k: number) => v[v.length === 1 ? 0 : k]!;
  const alpha = new Float64Array(channels).fill(1), beta = new Float64Array(channels);
  for (let k = 0; k < channels; k++) {
    const cv = at(k);
    if (n.op_type === 'Mul') alpha[k] = cv;
    else if (n.op_type === 'Add') beta[k] = cv;
    else if (n.op_type === 'Sub') { if (xi === 0) beta[k] = -cv; else { alpha[k] = -1; beta[k] = cv; } }
    else { if (xi !== 0 || cv === 0) return undefined; alpha[k] = 1 / cv; }
  }
  return { alpha, beta };
}

export const compose = (first: Affine, then: Affine): Affine => ({
  alpha: first.alpha.map((a, k) => a * then.alpha[k]!),
  beta: first.beta.map((b, k) => b * then.alpha[k]! + then.beta[k]!),
});

function hasPadding(conv: NodeProto): boolean {
  const autoPad = attr(conv, 'auto_pad')?.s;
  const ap = autoPad ? new TextDecoder().decode(autoPad) : 'NOTSET';
  if (ap !== 'NOTSET' && ap !== 'VALID') return true;
  return (attr(conv, 'pads')?.ints ?? []).some((p) => int(p) !== 0);
}

/** Folds affine chains into Conv weights/biases. Call after constantsToInitializers; edits the model in place. */
export function foldAffineIntoConv(model: ModelProto, opts: { inputSide?: boolean } = {}): ConvFoldReport {
  const g = model.graph;
  const report: ConvFoldReport = { outputSide: 0, inputSide: 0, nodesRemoved: 0 };
  const inits = new Map(g.initializer.map((t) => [t.name, t]));
  const graphOutputs = new Set(g.output.map((o) => o.name));
  // Names read inside subgraphs count as extra readers (never fold those away).
  const readers = new Map<string, number>();
  const countReads = (nodes: NodeProto[]) => {
    for (const n of nodes) {
      for (const i of n.input) if (i) readers.set(i, (readers.get(i) ?? 0) + 1);
      for (const sg of subgraphs(n)) countReads(sg.node);
    }
  };
  countReads(g.node);
  const consumer = new Map<string, NodeProto>();
  for (const n of g.node) for (const i of n.input) if (i) consumer.set(i, n);
  const producer = new Map<string, NodeProto>();
  for (const n of g.node) for (const o of n.output) producer.set(o, n);
  const soleReader = (name: string): NodeProto | undefined =>
    readers.get(name) === 1 && !graphOutputs.has(name) ? consumer.get(name) : undefined;
  const removed = new Set<NodeProto>();
  let k = 0;
  const replaceInit = (name: string, dims: number[], values: ArrayLike<number>): string => {
    const fresh = `${name}_affine_folded${k++}`;
    const t = floatTensor(fresh, dims, values);
    g.initializer.push(t);
    inits.set(fresh, t);
    return fresh;
  };
  for (const conv of g.node) {
    // ConvTranspose (weights [Cin, Cout, kh, kw], one group): output side only.
    const transposed = conv.op_type === 'ConvTranspose' && (attr(conv, 'group')?.i === undefined || int(attr(conv, 'group')!.i) === 1);
    if ((conv.op_type !== 'Conv' && !transposed) || (conv.domain && conv.domain !== 'ai.onnx')) continue;
    const w = inits.get(conv.input[1] ?? '');
    if (!w || w.data_type !== DT.FLOAT) continue;
    const wDims = tensorDims(w);
    const cout = transposed ? wDims[1]! : wDims[0]!;
    const perOut = wDims.slice(1).reduce((a, b) => a * b, 1);
    const kernel = wDims.slice(2).reduce((a, b) => a * b, 1);
    const channelOf = (i: number) => (transposed ? Math.floor(i / kernel) % cout : Math.floor(i / perOut));
    const bias = conv.input[2] ? inits.get(conv.input[2]) : undefined;
    if (conv.input[2] && (!bias || bias.data_type !== DT.FLOAT)) continue;
    let wv = Float64Array.from(tensorValues(w));
    let bv = bias ? Float64Array.from(tensorValues(bias)) : new Float64Array(cout);
    let changed = false;

    // Output side: Conv → affine* (each link read only by the next).
    let acc: Affine | undefined;
    let tail = conv.output[0]!;
    const chain: NodeProto[] = [];
    for (let next = soleReader(tail); next && !removed.has(next); next = soleReader(tail)) {
      const a = affineOf(next, tail, inits, cout, false);
      if (!a) break;
      acc = acc ? compose(acc, a) : a;
      chain.push(next);
      tail = next.output[0]!;
    }
    if (acc && chain.length) {
      const { alpha, beta } = acc;
      wv = wv.map((x, i) => x * alpha[channelOf(i)]!);
      bv = bv.map((x, c) => x * alpha[c]! + beta[c]!);
      conv.output[0] = tail;
      for (const n of chain) removed.add(n);
      report.outputSide++;
      report.nodesRemoved += chain.length;
      changed = true;
    }

    // Input side: scalar affine* → Conv (each link read only by the next one).
    let head = conv.input[0]!;
    let inAcc: Affine | undefined;
    const inChain: NodeProto[] = [];
    for (let p = producer.get(head); p && !removed.has(p) && soleReader(head) === (inChain.at(-1) ?? conv); p = producer.get(head)) {
      const x = p.input.find((i) => !inits.has(i));
      if (!x) break;
      const a = affineOf(p, x, inits, 1, true);
      if (!a) break;
      inAcc = inAcc ? compose(a, inAcc) : a;
      inChain.push(p);
      head = x;
    }
    const alpha = inAcc?.alpha[0] ?? 1, beta = inAcc?.beta[0] ?? 0;
    if (!transposed && opts.inputSide !== false && inAcc && inChain.length && alpha !== 0 && Number.isFinite(alpha)) {
      const padded = hasPadding(conv);
      if (!padded) {
        // Conv(W, αm + β) = Conv(αW, m) + β·ΣW[co]
        for (let c = 0; c < cout; c++) {
          let s = 0;
          for (let i = c * perOut; i < (c + 1) * perOut; i++) s += wv[i]!;
          bv[c] = bv[c]! + beta * s;
        }
      }
      wv = wv.map((x) => x * alpha);
      let src = head;
      if (padded && beta !== 0) {
        // Conv(W, αm + β) = Conv(αW, m + β/α): keeps one Add (zero padding stays zero either way).
        const keep = inChain[inChain.length - 1]!;
        const cName = replaceInit(`${keep.output[0]}_shift`, [], [beta / alpha]);
        const add: NodeProto = { ...keep, op_type: 'Add', input: [head, cName], output: [`${keep.output[0]}_shifted`], attribute: [], domain: '' };
        g.node.push(add);  // placed by the reorder below
        producer.set(add.output[0]!, add);
        src = add.output[0]!;
        report.nodesRemoved--;
      }
      conv.input[0] = src;
      for (const n of inChain) removed.add(n);
      report.inputSide++;
      report.nodesRemoved += inChain.length;
      changed = true;
    }
    if (changed) {
      conv.input[1] = replaceInit(w.name, wDims, wv);
      conv.input[2] = replaceInit(bias?.name ?? `${conv.output[0]}_bias`, [cout], bv);
    }
  }
  g.node = topoSort(g.node.filter((n) => !removed.has(n)), new Set([...g.input.map((i) => i.name), ...inits.keys()]));
  dropUnused(model);
  return report;
}

/** Orders nodes so each comes after the producers of its inputs (stable for nodes already in order). */
function topoSort(nodes: NodeProto[], available: Set<string>): NodeProto[] {
  const have = new Set(available);
  const produced = new Set(nodes.flatMap((n) => n.output));
  const out: NodeProto[] = [];
  let pending = nodes;
  while (pending.length) {
    const rest: NodeProto[] = [];
    for (const n of pending) {
      if (n.input.every((i) => !i || have.has(i) || !produced.has(i))) {
        out.push(n);
        for (const o of n.output) have.add(o);
      } else rest.push(n);
    }
    if (rest.length === pending.length) return [...out, ...rest];  // a cycle or an outer-scope name: leave as is
    pending = rest;
  }
  return out;
}
