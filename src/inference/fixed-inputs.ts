// A model's graph cut down to the branch the board always takes. Silero VAD
// holds its whole network twice, in the two branches of a top-level If chosen
// by Equal(sr, 16000) (16 kHz and 8 kHz), and ONNX Runtime keeps both
// branches' weights and kernels: ~6.5 MB of malloc for a 1.8 MB file, ~2.4 MB
// for the 16 kHz branch alone (docs/footprint.md, tenth round). The daemon
// always feeds sr = 16000, so the If is replaced by the nodes of the branch it
// would take, when the model is loaded. Done on the protobuf bytes (field
// numbers of onnx.proto), with no protobuf library in the daemon: fields are
// copied as they are, the If's branch nodes and initializers moved up, and
// Identity nodes give the branch's outputs the If's output names. The input
// stays declared (callers keep feeding it).

interface Field { no: number; wire: number; start: number; end: number; body: Uint8Array | null }

function varint(b: Uint8Array, at: number): [number, number] {
  let v = 0, mul = 1, i = at;
  for (;;) {
    if (i >= b.length) throw new Error('truncated varint');
    const x = b[i++]!;
    v += (x & 0x7f) * mul;
    if (x < 0x80) return [v, i];
    mul *= 128;
  }
}

/** The fields of one message, in order (a length-delimited field's body as a view). */
function fields(b: Uint8Array): Field[] {
  const out: Field[] = [];
  let i = 0;
  while (i < b.length) {
    const start = i;
    const [tag, a] = varint(b, i);
    const no = Math.floor(tag / 8), wire = tag & 7;
    i = a;
    let body: Uint8Array | null = null;
    if (wire === 0) i = varint(b, i)[1];
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else if (wire === 2) {
      const [len, c] = varint(b, i);
      body = b.subarray(c, c + len);
      i = c + len;
      if (i > b.length) throw new Error('truncated field');
    } else throw new Error(`unsupported wire type ${wire}`);
    out.push({ no, wire, start, end: i, body });
  }
  return out;
}

const decoder = new TextDecoder();
const text = (f: Field): string => decoder.decode(f.body!);

function putVarint(out: number[], v: number): void {
  while (v >= 0x80) { out.push((v % 128) | 0x80); v = Math.floor(v / 128); }
  out.push(v);
}

/** One length-delimited field: tag, length, body. */
function lengthField(no: number, body: Uint8Array): Uint8Array {
  const head: number[] = [];
  putVarint(head, no * 8 + 2);
  putVarint(head, body.length);
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

// onnx.proto field numbers.
const MODEL_GRAPH = 7;
const GRAPH_NODE = 1, GRAPH_INITIALIZER = 5, GRAPH_INPUT = 11, GRAPH_OUTPUT = 12;
const NODE_INPUT = 1, NODE_OUTPUT = 2, NODE_NAME = 3, NODE_OP = 4, NODE_ATTRIBUTE = 5;
const ATTR_NAME = 1, ATTR_T = 5, ATTR_G = 6, ATTR_GRAPHS = 11;
const TENSOR_DIMS = 1, TENSOR_TYPE = 2, TENSOR_INT32 = 5, TENSOR_INT64 = 7, TENSOR_NAME = 8, TENSOR_RAW = 9, TENSOR_FLOAT = 4;
const VALUE_INFO_NAME = 1;

interface Node { field: Field; inputs: string[]; outputs: string[]; op: string; attrs: Map<string, Field[]> }

function node(f: Field): Node {
  const n: Node = { field: f, inputs: [], outputs: [], op: '', attrs: new Map() };
  for (const x of fields(f.body!)) {
    if (x.no === NODE_INPUT) n.inputs.push(text(x));
    else if (x.no === NODE_OUTPUT) n.outputs.push(text(x));
    else if (x.no === NODE_OP) n.op = text(x);
    else if (x.no === NODE_ATTRIBUTE) {
      const a = fields(x.body!);
      const name = a.find((y) => y.no === ATTR_NAME);
      if (name) n.attrs.set(text(name), a);
    }
  }
  return n;
}

/** The one number a scalar (or one-element) integer or float tensor holds; undefined for any other. */
function scalarOf(tensor: Uint8Array): number | undefined {
  const fs = fields(tensor);
  let type = 0, count = 1;
  const values: number[] = [];
  for (const f of fs) {
    if (f.no === TENSOR_TYPE && f.wire === 0) type = varint(tensor, varint(tensor, f.start)[1])[0];
    else if (f.no === TENSOR_DIMS && f.wire === 0) count *= varint(tensor, varint(tensor, f.start)[1])[0];
    else if (f.no === TENSOR_DIMS && f.body) for (let i = 0; i < f.body.length;) { const [d, j] = varint(f.body, i); count *= d; i = j; }
  }
  if (count !== 1) return undefined;
  for (const f of fs) {
    if (f.no === TENSOR_RAW && f.body) {
      const v = new DataView(f.body.buffer, f.body.byteOffset, f.body.byteLength);
      if (type === 7 && f.body.length === 8) values.push(Number(v.getBigInt64(0, true)));
      else if (type === 6 && f.body.length === 4) values.push(v.getInt32(0, true));
      else if (type === 1 && f.body.length === 4) values.push(v.getFloat32(0, true));
    } else if ((f.no === TENSOR_INT64 || f.no === TENSOR_INT32) && (type === 7 || type === 6)) {
      if (f.wire === 2) values.push(varint(f.body!, 0)[0]);  // packed
      else if (f.wire === 0) values.push(varint(tensor, varint(tensor, f.start)[1])[0]);
    } else if (f.no === TENSOR_FLOAT && type === 1 && f.body?.length === 4) {
      values.push(new DataView(f.body.buffer, f.body.byteOffset, 4).getFloat32(0, true));
    }
  }
  // A negative integer arrives as a 10-byte varint, read here as a huge number: no value then.
  return values.length === 1 && Math.abs(values[0]!) <= Number.MAX_SAFE_INTEGER ? values[0] : undefined;
}

/** Adds every name a node reads, in its subgraphs too (a branch reads the outer graph's names). */
function namesRead(nodeBody: Uint8Array, into: Set<string>): void {
  for (const x of fields(nodeBody)) {
    if (x.no === NODE_INPUT) into.add(text(x));
    else if (x.no === NODE_ATTRIBUTE) {
      for (const a of fields(x.body!)) {
        if (a.no !== ATTR_G && a.no !== ATTR_GRAPHS) continue;
        for (const g of fields(a.body!)) if (g.no === GRAPH_NODE) namesRead(g.body!, into);
      }
    }
  }
}

function nodeBytes(inputs: string[], outputs: string[], name: string, op: string): Uint8Array {
  return concat([...inputs.map((s) => lengthField(NODE_INPUT, utf8(s))), ...outputs.map((s) => lengthField(NODE_OUTPUT, utf8(s))),
    lengthField(NODE_NAME, utf8(name)), lengthField(NODE_OP, utf8(op))]);
}

/**
 * The model with each top-level If whose condition is Equal(a fixed input, a constant) replaced by the branch that
 * condition takes for the input's fixed value; null when there is no such If (the bytes load as they are).
 */
export function withFixedInputs(model: Uint8Array, fixed: Readonly<Record<string, number>>): Uint8Array | null {
  const top = fields(model);
  const graphField = top.find((f) => f.no === MODEL_GRAPH && f.body);
  if (!graphField) return null;
  const graph = fields(graphField.body!);
  const nodes = graph.filter((f) => f.no === GRAPH_NODE).map(node);
  const inputs = new Set(graph.filter((f) => f.no === GRAPH_INPUT).map((f) => text(fields(f.body!).find((x) => x.no === VALUE_INFO_NAME)!)));
  const constants = new Map<string, number | undefined>();
  for (const f of graph) {
    if (f.no !== GRAPH_INITIALIZER) continue;
    const name = fields(f.body!).find((x) => x.no === TENSOR_NAME);
    if (name) constants.set(text(name), scalarOf(f.body!));
  }
  const producer = new Map<string, Node>();
  for (const n of nodes) for (const o of n.outputs) producer.set(o, n);
  for (const n of nodes) {
    if (n.op !== 'Constant') continue;
    const t = n.attrs.get('value')?.find((x) => x.no === ATTR_T);
    if (t) constants.set(n.outputs[0]!, scalarOf(t.body!));
  }
  const replace = new Map<Field, Uint8Array>();
  // Nodes that may go once nothing reads their outputs: each replaced If's condition and the constant it compares with.
  const maybeUnused = new Set<Node>();
  for (const n of nodes) {
    if (n.op !== 'If') continue;
    const cond = producer.get(n.inputs[0] ?? '');
    if (cond?.op !== 'Equal' || cond.inputs.length !== 2) continue;
    const [a, b] = cond.inputs as [string, string];
    const input = [a, b].find((x) => inputs.has(x) && fixed[x] !== undefined);
    const other = input === a ? b : a;
    const value = constants.get(other);
    if (input === undefined || value === undefined) continue;
    const branch = n.attrs.get(fixed[input] === value ? 'then_branch' : 'else_branch')?.find((x) => x.no === ATTR_G);
    if (!branch) continue;
    const sub = fields(branch.body!);
    const subOutputs = sub.filter((f) => f.no === GRAPH_OUTPUT).map((f) => text(fields(f.body!).find((x) => x.no === VALUE_INFO_NAME)!));
    if (subOutputs.length !== n.outputs.length) continue;
    // The branch's nodes where the If was, then its outputs under the If's names; its initializers join the graph's.
    const parts = sub.filter((f) => f.no === GRAPH_NODE || f.no === GRAPH_INITIALIZER).map((f) => branch.body!.subarray(f.start, f.end));
    n.outputs.forEach((o, i) => parts.push(lengthField(GRAPH_NODE, nodeBytes([subOutputs[i]!], [o], `${o}/fixed-input`, 'Identity'))));
    replace.set(n.field, concat(parts));
    maybeUnused.add(cond);
    const c = producer.get(other);
    if (c?.op === 'Constant') maybeUnused.add(c);
  }
  if (!replace.size) return null;
  let body = concat(graph.map((f) => replace.get(f) ?? graphField.body!.subarray(f.start, f.end)));
  // What nothing reads any more goes: the conditions, their constants, initializers only the branch not taken read.
  // A name read inside any subgraph counts (a branch reads the outer graph's names); twice, as a condition read by
  // nothing leaves its constant read by nothing.
  const candidates = new Set([...maybeUnused].map((n) => n.outputs.join('\0')));
  for (let pass = 0; pass < 2; pass++) {
    const kept = fields(body);
    const read = new Set<string>(kept.filter((f) => f.no === GRAPH_OUTPUT).map((f) => text(fields(f.body!).find((x) => x.no === VALUE_INFO_NAME)!)));
    for (const f of kept) if (f.no === GRAPH_NODE) namesRead(f.body!, read);
    const unused = (f: Field): boolean => (f.no === GRAPH_INITIALIZER && !read.has(text(fields(f.body!).find((x) => x.no === TENSOR_NAME)!)))
      || (f.no === GRAPH_NODE && ((n) => candidates.has(n.outputs.join('\0')) && n.outputs.every((o) => !read.has(o)))(node(f)));
    body = concat(kept.filter((f) => !unused(f)).map((f) => body.subarray(f.start, f.end)));
  }
  return concat(top.map((f) => (f === graphField ? lengthField(MODEL_GRAPH, body) : model.subarray(f.start, f.end))));
}
