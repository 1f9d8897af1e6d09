// Chains of scalar affine ops between two non-Conv ops merged into one Mul and
// one Add, before INT8 placement — an exact float rewrite (the same result up
// to float rounding). conv-affine-fold.ts folds such chains into a Conv's
// weights; where the chain ends in a tensor two padded Convs read (PP-OCRv4's
// detector: hardswish's "/ 6" → the learnable affine block's "· s + b" → two
// depthwise Convs), nothing can fold, and each link became its own op over the
// whole feature map — the Div a float one between DequantizeLinear and
// QuantizeLinear, ~10 % of the INT8 detector's time. x → Div(6) → Mul(s) →
// Add(b) becomes x → Mul(s/6) → Add(b).
import { dropUnused, floatTensor, makeNode, type ModelProto, type NodeProto, subgraphs } from './onnx-io.js';
import { affineOf, compose } from './conv-affine-fold.js';

/** Merges every chain of ≥ 2 scalar Mul/Div/Add/Sub links where fewer nodes compute it. Returns the nodes removed. */
export function mergeScalarChains(model: ModelProto): number {
  const g = model.graph;
  const inits = new Map(g.initializer.map((t) => [t.name, t]));
  const graphOutputs = new Set(g.output.map((o) => o.name));
  const readers = new Map<string, number>();
  const consumer = new Map<string, NodeProto>();
  const countReads = (nodes: NodeProto[], top: boolean) => {
    for (const n of nodes) {
      for (const i of n.input) {
        if (!i) continue;
        readers.set(i, (readers.get(i) ?? 0) + 1);
        if (top) consumer.set(i, n);
      }
      for (const sg of subgraphs(n)) countReads(sg.node, false);
    }
  };
  countReads(g.node, true);
  const soleReader = (name: string): NodeProto | undefined =>
    readers.get(name) === 1 && !graphOutputs.has(name) ? consumer.get(name) : undefined;
  const removed = new Set<NodeProto>();
  const replaced = new Map<NodeProto, NodeProto[]>();
  let count = 0, k = 0;
  for (const first of g.node) {
    if (removed.has(first) || (first.domain && first.domain !== 'ai.onnx')) continue;
    const x = first.input.find((i) => i && !inits.has(i));
    const a0 = x ? affineOf(first, x, inits, 1, true) : undefined;
    if (!x || !a0) continue;
    let acc = a0, tail = first.output[0]!;
    const chain = [first];
    for (let next = soleReader(tail); next && !removed.has(next) && !(next.domain && next.domain !== 'ai.onnx'); next = soleReader(tail)) {
      const a = affineOf(next, tail, inits, 1, true);
      if (!a) break;
      acc = compose(acc, a);
      chain.push(next);
      tail = next.output[0]!;
    }
    const alpha = acc.alpha[0]!, beta = acc.beta[0]!;
    if (!Number.isFinite(alpha) || !Number.isFinite(beta)) continue;
    const scale = alpha !== 1 || beta === 0, shift = beta !== 0;
    const nodes: NodeProto[] = [];
    if (chain.length <= Number(scale) + Number(shift)) continue;  // nothing saved
    let src = x;
    const constant = (v: number): string => {
      const name = `${tail}_merged${k++}`;
      g.initializer.push(floatTensor(name, [], [v]));
      return name;
    };
    if (scale) {
      const out = shift ? `${tail}_scaled` : tail;
      nodes.push(makeNode('Mul', [src, constant(alpha)], [out], `${first.name || tail}_merged_mul`));
      src = out;
    }
    if (shift) nodes.push(makeNode('Add', [src, constant(beta)], [tail], `${first.name || tail}_merged_add`));
    for (const n of chain) removed.add(n);
    replaced.set(first, nodes);
    count += chain.length - nodes.length;
  }
  if (!count) return 0;
  g.node = g.node.flatMap((n) => replaced.get(n) ?? (removed.has(n) ? [] : [n]));
  dropUnused(model);
  return count;
}
