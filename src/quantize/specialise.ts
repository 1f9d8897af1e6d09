// Specialises a graph for inputs the board always feeds the same value (Silero
// VAD's sample rate `sr` is always 16000 here): a top-level If whose condition
// is Equal(fixed input, constant) is replaced by the branch it would take, so
// that branch's Conv/MatMul nodes become visible to quantization. The input
// stays declared (callers keep feeding it).
import {
  DT, type GraphProto, type ModelProto, type NodeProto, subgraphs, tensorValues,
} from '../inference/onnx-io.js';

function renameEverywhere(nodes: NodeProto[], from: string, to: string): void {
  for (const n of nodes) {
    n.input.forEach((x, i) => { if (x === from) n.input[i] = to; });
    n.output.forEach((x, i) => { if (x === from) n.output[i] = to; });
    for (const sg of subgraphs(n)) renameEverywhere(sg.node, from, to);
  }
}

/** Returns how many If nodes were replaced by a branch. Edits the model in place. */
export function specialiseFixedInputs(model: ModelProto, fixed: Record<string, number>): number {
  const g = model.graph;
  const inits = new Map(g.initializer.map((t) => [t.name, t]));
  const inputs = new Set(g.input.map((i) => i.name));
  const producer = new Map<string, NodeProto>();
  for (const n of g.node) for (const o of n.output) producer.set(o, n);
  let replaced = 0;
  const out: NodeProto[] = [];
  for (const n of g.node) {
    const cond = n.op_type === 'If' ? producer.get(n.input[0] ?? '') : undefined;
    let value: boolean | undefined;
    if (cond?.op_type === 'Equal') {
      const [a, b] = cond.input as [string, string];
      const fixedSide = inputs.has(a) && a in fixed ? fixed[a] : inputs.has(b) && b in fixed ? fixed[b] : undefined;
      const constSide = inits.get(inputs.has(a) ? b : a);
      if (fixedSide !== undefined && constSide && constSide.data_type !== DT.FLOAT16) {
        const c = tensorValues(constSide);
        if (c.length === 1) value = c[0] === fixedSide;
      }
    }
    if (value === undefined) { out.push(n); continue; }
    const branch: GraphProto | undefined = n.attribute.find((a) => a.name === (value ? 'then_branch' : 'else_branch'))?.g;
    const taken = new Set([...g.initializer.map((t) => t.name), ...g.node.filter((x) => x !== n).flatMap((x) => x.output)]);
    if (!branch || branch.initializer.some((t) => taken.has(t.name)) || branch.node.some((x) => x.output.some((o) => taken.has(o)))) {
      out.push(n);
      continue;
    }
    const nodes = branch.node;
    branch.output.forEach((o, j) => renameEverywhere(nodes, o.name, n.output[j]!));
    g.initializer.push(...branch.initializer);
    out.push(...nodes);
    replaced++;
  }
  g.node = out;
  return replaced;
}
