// Reads and writes ONNX files with protobufjs and the official ONNX schema
// (schema/onnx.proto, vendored from the ONNX project), and gives the graph
// editors (fp16.ts, qdq-int8.ts) typed views of the few message kinds they touch.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { PACKAGE_ROOT } from '../system/native.js';

/** TensorProto.DataType values used here. */
export const DT = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10, DOUBLE: 11 } as const;

type Int64 = number | { toNumber(): number };

export interface TensorProto {
  name: string;
  dims: Int64[];
  data_type: number;
  raw_data?: Uint8Array;
  float_data: number[];
  int32_data: number[];
  int64_data: Int64[];
  double_data: number[];
}

export interface AttributeProto {
  name: string;
  type: number;
  f?: number;
  i?: Int64;
  s?: Uint8Array;
  t?: TensorProto;
  g?: GraphProto;
  floats: number[];
  ints: Int64[];
  graphs: GraphProto[];
}

export interface NodeProto {
  name: string;
  op_type: string;
  domain: string;
  input: string[];
  output: string[];
  attribute: AttributeProto[];
}

export interface TypeProto {
  tensor_type?: { elem_type: number; shape?: unknown };
}

export interface ValueInfoProto {
  name: string;
  type?: TypeProto;
}

export interface GraphProto {
  name: string;
  node: NodeProto[];
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  value_info: ValueInfoProto[];
}

export interface ModelProto {
  ir_version: Int64;
  producer_name: string;
  producer_version: string;
  opset_import: Array<{ domain: string; version: Int64 }>;
  graph: GraphProto;
  metadata_props: Array<{ key: string; value: string }>;
}

/** AttributeProto.AttributeType values. */
export const ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7 } as const;

let modelType: protobuf.Type | undefined;
let messageTypes: Record<string, protobuf.Type> = {};

/** The schema file shipped with faultsense. */
export const ONNX_SCHEMA = join(PACKAGE_ROOT, 'schema', 'onnx.proto');

function schema(): protobuf.Type {
  if (!modelType) {
    const root = protobuf.parse(readFileSync(ONNX_SCHEMA, 'utf8'), { keepCase: true }).root;
    modelType = root.lookupType('onnx.ModelProto');
    messageTypes = Object.fromEntries(['TensorProto', 'NodeProto', 'AttributeProto', 'ValueInfoProto']
      .map((n) => [n, root.lookupType(`onnx.${n}`)]));
  }
  return modelType;
}

export function int(v: Int64 | undefined): number {
  if (v === undefined || v === null) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

/** Decodes an ONNX model (a file path or its bytes). Throws naming the file when it is not ONNX. */
export function readModel(source: string | Uint8Array): ModelProto {
  const bytes = typeof source === 'string' ? readFileSync(source) : source;
  try {
    const m = schema().decode(bytes) as unknown as ModelProto;
    if (!m.graph) throw new Error('no graph');
    return m;
  } catch (err) {
    throw new Error(`${typeof source === 'string' ? source : 'model bytes'} is not a readable ONNX model: ${(err as Error).message}`);
  }
}

/** Encodes a model to bytes. */
export function writeModel(model: ModelProto): Uint8Array {
  const type = schema();
  const err = type.verify(model);
  if (err) throw new Error(`the edited ONNX model is invalid: ${err}`);
  return type.encode(type.fromObject(model as unknown as Record<string, unknown>)).finish();
}

function make<T>(kind: string, fields: Record<string, unknown>): T {
  schema();
  return messageTypes[kind]!.fromObject(fields) as unknown as T;
}

// ---- tensors ----------------------------------------------------------------

/** The values of a float/float16/int tensor as numbers (raw_data or the typed fields). */
export function tensorValues(t: TensorProto): Float64Array {
  const n = t.dims.reduce<number>((a, d) => a * int(d), 1);
  const out = new Float64Array(n);
  const raw = t.raw_data && t.raw_data.length ? t.raw_data : undefined;
  if (raw) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let i = 0; i < n; i++) {
      switch (t.data_type) {
        case DT.FLOAT: out[i] = view.getFloat32(4 * i, true); break;
        case DT.DOUBLE: out[i] = view.getFloat64(8 * i, true); break;
        case DT.FLOAT16: out[i] = halfToFloat(view.getUint16(2 * i, true)); break;
        case DT.INT64: out[i] = Number(view.getBigInt64(8 * i, true)); break;
        case DT.INT32: out[i] = view.getInt32(4 * i, true); break;
        case DT.INT8: out[i] = view.getInt8(i); break;
        case DT.UINT8: case DT.BOOL: out[i] = view.getUint8(i); break;
        default: throw new Error(`tensor ${t.name}: data type ${t.data_type} is not supported here`);
      }
    }
    return out;
  }
  const src: ArrayLike<Int64> = t.data_type === DT.FLOAT ? t.float_data
    : t.data_type === DT.DOUBLE ? t.double_data
      : t.data_type === DT.INT64 ? t.int64_data : t.int32_data;
  for (let i = 0; i < n; i++) {
    const v = int(src[i] ?? 0);
    out[i] = t.data_type === DT.FLOAT16 ? halfToFloat(v) : v;
  }
  return out;
}

export function tensorDims(t: TensorProto): number[] {
  return t.dims.map(int);
}

function rawTensor(name: string, dims: number[], dataType: number, bytes: Uint8Array): TensorProto {
  return make<TensorProto>('TensorProto', { name, dims, data_type: dataType, raw_data: bytes });
}

export function floatTensor(name: string, dims: number[], values: ArrayLike<number>): TensorProto {
  return rawTensor(name, dims, DT.FLOAT, new Uint8Array(Float32Array.from(values).buffer));
}

export function float16Tensor(name: string, dims: number[], values: ArrayLike<number>): TensorProto {
  const half = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) half[i] = floatToHalf(values[i]!);
  return rawTensor(name, dims, DT.FLOAT16, new Uint8Array(half.buffer));
}

export function int8Tensor(name: string, dims: number[], values: Int8Array): TensorProto {
  return rawTensor(name, dims, DT.INT8, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

export function uint8Tensor(name: string, dims: number[], values: Uint8Array): TensorProto {
  return rawTensor(name, dims, DT.UINT8, Uint8Array.from(values));
}

export function int32Tensor(name: string, dims: number[], values: Int32Array): TensorProto {
  return rawTensor(name, dims, DT.INT32, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

// ---- nodes and attributes ---------------------------------------------------

export type AttrValue = number | number[] | string | TensorProto | { int: number };

/** A node; numbers become FLOAT attributes unless given as {int: n} or an integer array (INTS). */
export function makeNode(op: string, inputs: string[], outputs: string[], name: string, attrs: Record<string, AttrValue> = {}): NodeProto {
  const attribute = Object.entries(attrs).map(([k, v]) => {
    if (typeof v === 'number') return { name: k, type: ATTR.FLOAT, f: v };
    if (typeof v === 'string') return { name: k, type: ATTR.STRING, s: new TextEncoder().encode(v) };
    if (Array.isArray(v)) return { name: k, type: ATTR.INTS, ints: v };
    if ('int' in v) return { name: k, type: ATTR.INT, i: v.int };
    return { name: k, type: ATTR.TENSOR, t: v };
  });
  return make<NodeProto>('NodeProto', { op_type: op, input: inputs, output: outputs, name, attribute });
}

export function valueInfo(name: string, elemType: number): ValueInfoProto {
  return make<ValueInfoProto>('ValueInfoProto', { name, type: { tensor_type: { elem_type: elemType } } });
}

export function attr(node: NodeProto, name: string): AttributeProto | undefined {
  return node.attribute.find((a) => a.name === name);
}

export function attrInt(node: NodeProto, name: string, fallback: number): number {
  const a = attr(node, name);
  return a ? int(a.i) : fallback;
}

/** Subgraphs held by a node's attributes (If, Loop, Scan). */
export function subgraphs(node: NodeProto): GraphProto[] {
  return node.attribute.flatMap((a) => [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]);
}

/** Names a subgraph reads from the scope around it (not produced or declared inside it). */
export function outerScopeNames(g: GraphProto): Set<string> {
  const local = new Set<string>([...g.input.map((i) => i.name), ...g.initializer.map((t) => t.name)]);
  const out = new Set<string>();
  for (const n of g.node) {
    for (const i of n.input) if (i && !local.has(i)) out.add(i);
    for (const sg of subgraphs(n)) for (const name of outerScopeNames(sg)) if (!local.has(name)) out.add(name);
    for (const o of n.output) local.add(o);
  }
  return out;
}

/** The opset version of the default domain. */
export function opsetVersion(model: ModelProto): number {
  return int(model.opset_import.find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 0);
}

// ---- element types of values --------------------------------------------------

const BOOL_OPS = new Set(['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'Not', 'And', 'Or', 'Xor', 'IsNaN', 'IsInf']);
const INT64_OPS = new Set(['Shape', 'Size', 'NonZero', 'ArgMax', 'ArgMin', 'NonMaxSuppression']);

/**
 * Element type of every value of the top-level graph that can be told from the
 * inputs, initializers, declared value_info and a few op rules (enough to know
 * which tensors are float; unknown values are left out).
 */
export function elementTypes(g: GraphProto): Map<string, number> {
  const types = new Map<string, number>();
  for (const v of [...g.input, ...g.output, ...g.value_info]) {
    const t = v.type?.tensor_type?.elem_type;
    if (t) types.set(v.name, t);
  }
  for (const t of g.initializer) types.set(t.name, t.data_type);
  for (const n of g.node) {
    let t: number | undefined;
    if (n.op_type === 'Cast') t = attrInt(n, 'to', 0);
    else if (BOOL_OPS.has(n.op_type)) t = DT.BOOL;
    else if (INT64_OPS.has(n.op_type)) t = DT.INT64;
    else if (n.op_type === 'Constant') {
      const a = n.attribute[0];
      t = a?.t ? a.t.data_type : a?.name === 'value_float' || a?.name === 'value_floats' ? DT.FLOAT : DT.INT64;
    } else if (n.op_type === 'ConstantOfShape') t = attr(n, 'value')?.t?.data_type ?? DT.FLOAT;
    else if (n.op_type === 'DequantizeLinear') t = DT.FLOAT;
    else if (n.op_type === 'QuantizeLinear') t = types.get(n.input[2] ?? '') ?? DT.UINT8;
    else if (n.op_type === 'Where') t = types.get(n.input[1] ?? '');
    else if (subgraphs(n).length) {
      // If: each output has the type its then-branch declares for it.
      const branch = n.op_type === 'If' ? attr(n, 'then_branch')?.g : undefined;
      n.output.forEach((o, k) => {
        const bt = branch?.output[k]?.type?.tensor_type?.elem_type;
        if (o && bt && !types.has(o)) types.set(o, bt);
      });
      continue;
    } else t = types.get(n.input[0] ?? '');
    n.output.forEach((o, k) => {
      if (!o || types.has(o)) return;
      if (n.op_type === 'TopK' && k === 1) types.set(o, DT.INT64);
      else if (t) types.set(o, t);
    });
  }
  return types;
}

// ---- half floats --------------------------------------------------------------

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary16 bits of a number (round to nearest even; overflow → ±inf). */
export function floatToHalf(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant = (mant | 0x800000) >>> (1 - e);
    const rounded = (mant + 0xfff + ((mant >>> 13) & 1)) >>> 13;
    return sign | rounded;
  }
  const rounded = mant + 0xfff + ((mant >>> 13) & 1);
  if (rounded & 0x800000) { mant = 0; e += 1; if (e >= 0x1f) return sign | 0x7c00; } else mant = rounded;
  return sign | (e << 10) | (mant >>> 13);
}

export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f, m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 0x1f) return m ? NaN : sign * Infinity;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

/** Removes initializers nothing reads any more (the float weights that were replaced). */
export function dropUnused(model: ModelProto): void {
  const g = model.graph;
  const used = new Set<string>(g.output.map((o) => o.name));
  const visit = (nodes: NodeProto[]) => {
    for (const n of nodes) {
      for (const i of n.input) used.add(i);
      for (const sg of subgraphs(n)) visit(sg.node);
    }
  };
  visit(g.node);
  g.initializer = g.initializer.filter((t) => used.has(t.name));
}

/**
 * Turns Constant nodes that hold tensors into initializers (the PP-OCR exports
 * keep every weight in a Constant node), so weights can be told from activations.
 * Edits the model in place.
 */
export function constantsToInitializers(model: ModelProto): number {
  const g = model.graph;
  const keep: NodeProto[] = [];
  let moved = 0;
  for (const n of g.node) {
    const value = n.op_type === 'Constant' && n.attribute.length === 1 && n.attribute[0]!.name === 'value' ? n.attribute[0]!.t : undefined;
    if (value) {
      value.name = n.output[0]!;
      g.initializer.push(value);
      moved++;
    } else keep.push(n);
  }
  g.node = keep;
  return moved;
}
