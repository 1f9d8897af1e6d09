// A small, dependency-free writer for ONNX ModelProto files. It lets the
// project export fitted baselines (means, projections, thresholds) as real ONNX
// graphs that run through the same engine as every other model, and lets tests
// build tiny models on the fly.
//
// Usage:
//   const g = new OnnxGraph('baseline');
//   const x = g.input('x', 'float32', ['N', 4]);
//   const mean = g.initializer('mean', new Float32Array([..4 values..]), [4]);
//   const d = g.node('Sub', [x, mean]);
//   const sq = g.node('Mul', [d, d]);
//   const s = g.node('ReduceSum', [sq, g.int64s('axes', [1])], { keepdims: 0 });
//   g.output(g.node('Sqrt', [s], {}, 'score'), 'float32', ['N']);
//   const bytes = g.toModel({ opset: 17 });   // Uint8Array, write to model.onnx
//
// Field numbers follow onnx.proto (ModelProto, GraphProto, NodeProto, ...).

export type OnnxElementType = 'float32' | 'uint8' | 'int8' | 'int32' | 'int64' | 'bool' | 'float16' | 'float64';

/** ONNX TensorProto.DataType codes. */
export const ONNX_ELEMENT_CODE: Record<OnnxElementType, number> = {
  float32: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9, float16: 10, float64: 11,
};

/** A dimension: a fixed size, or a symbolic name (e.g. 'N') for a dynamic one. */
export type OnnxDim = number | string;

/** An attribute value. Plain numbers are ints when integral; use attr.float() to force a float. */
export type OnnxAttrValue =
  | number
  | string
  | number[]
  | string[]
  | { kind: 'float'; value: number }
  | { kind: 'floats'; value: number[] }
  | { kind: 'int'; value: number }
  | { kind: 'ints'; value: number[] }
  | { kind: 'tensor'; value: OnnxTensor };

export interface OnnxTensor {
  name?: string;
  type: OnnxElementType;
  dims: number[];
  /** Little-endian bytes of the elements. */
  raw: Uint8Array;
}

/** Explicit attribute constructors for cases where a plain number is ambiguous. */
export const attr = {
  float: (value: number) => ({ kind: 'float', value }) as const,
  floats: (value: number[]) => ({ kind: 'floats', value }) as const,
  int: (value: number) => ({ kind: 'int', value }) as const,
  ints: (value: number[]) => ({ kind: 'ints', value }) as const,
  tensor: (value: OnnxTensor) => ({ kind: 'tensor', value }) as const,
};

// ---- protobuf wire encoding ------------------------------------------------

class ProtoWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  varint(value: number | bigint): void {
    // Negative int64 values are written as their 64-bit two's complement (10 bytes).
    let v = typeof value === 'bigint' ? value : BigInt(Math.trunc(value));
    if (v < 0n) v = BigInt.asUintN(64, v);
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  int(field: number, value: number | bigint): void {
    this.tag(field, 0);
    this.varint(value);
  }

  float(field: number, value: number): void {
    this.tag(field, 5);
    this.ensure(4);
    new DataView(this.buf.buffer, this.buf.byteOffset).setFloat32(this.len, value, true);
    this.len += 4;
  }

  bytes(field: number, data: Uint8Array): void {
    this.tag(field, 2);
    this.varint(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
  }

  string(field: number, value: string): void {
    this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (w: ProtoWriter) => void): void {
    const child = new ProtoWriter();
    build(child);
    this.bytes(field, child.finish());
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

// ---- tensors ---------------------------------------------------------------

function toBytes(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

function checkCount(dims: number[], count: number, what: string): void {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (expected !== count) {
    throw new Error(`onnx-builder: ${what} has ${count} elements but dims [${dims.join(', ')}] need ${expected}`);
  }
}

/** A float32 tensor (data length must match dims). */
export function floatTensor(data: ArrayLike<number>, dims: number[]): OnnxTensor {
  const arr = data instanceof Float32Array ? data : Float32Array.from(data);
  checkCount(dims, arr.length, 'float tensor');
  return { type: 'float32', dims: [...dims], raw: toBytes(arr) };
}

/** An int64 tensor (used for shapes, axes, indices). */
export function int64Tensor(data: ArrayLike<number> | BigInt64Array, dims: number[]): OnnxTensor {
  const arr = data instanceof BigInt64Array ? data : BigInt64Array.from(Array.from(data as ArrayLike<number>, (v) => BigInt(v)));
  checkCount(dims, arr.length, 'int64 tensor');
  return { type: 'int64', dims: [...dims], raw: toBytes(arr) };
}

/** An int32 tensor. */
export function int32Tensor(data: ArrayLike<number>, dims: number[]): OnnxTensor {
  const arr = data instanceof Int32Array ? data : Int32Array.from(data);
  checkCount(dims, arr.length, 'int32 tensor');
  return { type: 'int32', dims: [...dims], raw: toBytes(arr) };
}

function writeTensor(w: ProtoWriter, t: OnnxTensor, name: string): void {
  for (const d of t.dims) w.int(1, d);
  w.int(2, ONNX_ELEMENT_CODE[t.type]);
  w.string(8, name);
  w.bytes(9, t.raw);
}

// ---- graph -----------------------------------------------------------------

interface ValueInfo {
  name: string;
  type: OnnxElementType;
  shape?: OnnxDim[];
}

interface NodeDef {
  opType: string;
  inputs: string[];
  outputs: string[];
  name: string;
  domain: string;
  attrs: Record<string, OnnxAttrValue>;
}

export interface ModelOptions {
  /** Default opset 17 (ai.onnx). */
  opset?: number;
  /** Default chosen from the opset (IR 7 for opset ≤ 15, IR 8 for 16–18, IR 9 above). */
  irVersion?: number;
  producer?: string;
  producerVersion?: string;
  docString?: string;
  /** Stored as metadata_props (readable by tools; ORT exposes them as custom metadata). */
  metadata?: Record<string, string>;
}

export class OnnxGraph {
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly initializers = new Map<string, OnnxTensor>();
  private readonly nodes: NodeDef[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(readonly name = 'graph') {}

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`onnx-builder: value name "${name}" is used twice in graph "${this.name}"`);
    this.names.add(name);
    return name;
  }

  /** A fresh value name with the given prefix. */
  fresh(prefix = 'v'): string {
    let n: string;
    do n = `${prefix}_${this.counter++}`; while (this.names.has(n));
    return n;
  }

  /** Declares a graph input; returns its name. */
  input(name: string, type: OnnxElementType, shape: OnnxDim[]): string {
    this.inputs.push({ name: this.claim(name), type, shape: [...shape] });
    return name;
  }

  /** Declares an existing value as a graph output. Shape may be omitted (ORT infers it). */
  output(name: string, type: OnnxElementType = 'float32', shape?: OnnxDim[]): string {
    if (!this.names.has(name)) throw new Error(`onnx-builder: output "${name}" is not produced by any node or input`);
    this.outputs.push({ name, type, shape: shape ? [...shape] : undefined });
    return name;
  }

  /** Adds a constant (weights); returns its name. */
  constant(name: string, tensor: OnnxTensor): string {
    this.initializers.set(this.claim(name), tensor);
    return name;
  }

  /** Adds a float32 constant. */
  initializer(name: string, data: ArrayLike<number>, dims: number[]): string {
    return this.constant(name, floatTensor(data, dims));
  }

  /** Adds an int64 constant (shapes for Reshape, axes for ReduceSum, ...). */
  int64s(name: string, data: number[], dims: number[] = [data.length]): string {
    return this.constant(name, int64Tensor(data, dims));
  }

  /**
   * Adds a node with one output; returns the output name (given or generated).
   * Pass '' in inputs for an omitted optional input.
   */
  node(opType: string, inputs: string[], attrs: Record<string, OnnxAttrValue> = {}, output?: string, domain = ''): string {
    const [out] = this.nodeMulti(opType, inputs, 1, attrs, output ? [output] : undefined, domain);
    return out!;
  }

  /** Adds a node with several outputs; returns their names. */
  nodeMulti(
    opType: string,
    inputs: string[],
    outputCount: number,
    attrs: Record<string, OnnxAttrValue> = {},
    outputs?: string[],
    domain = '',
  ): string[] {
    for (const i of inputs) {
      if (i !== '' && !this.names.has(i)) {
        throw new Error(`onnx-builder: ${opType} input "${i}" is not defined yet (declare inputs/initializers first)`);
      }
    }
    const outs = outputs ?? Array.from({ length: outputCount }, () => this.fresh(opType.toLowerCase()));
    for (const o of outs) this.claim(o);
    this.nodes.push({ opType, inputs: [...inputs], outputs: outs, name: `${opType}_${this.nodes.length}`, domain, attrs });
    return outs;
  }

  /** Serialises the graph into ModelProto bytes. */
  toModel(opts: ModelOptions = {}): Uint8Array {
    if (this.outputs.length === 0) throw new Error(`onnx-builder: graph "${this.name}" has no outputs`);
    const opset = opts.opset ?? 17;
    const ir = opts.irVersion ?? (opset <= 15 ? 7 : opset <= 18 ? 8 : 9);
    const m = new ProtoWriter();
    m.int(1, ir);
    m.string(2, opts.producer ?? 'faultsense');
    m.string(3, opts.producerVersion ?? '1');
    if (opts.docString) m.string(6, opts.docString);
    m.message(7, (g) => this.writeGraph(g));
    m.message(8, (o) => {
      o.string(1, '');
      o.int(2, opset);
    });
    for (const [key, value] of Object.entries(opts.metadata ?? {})) {
      m.message(14, (kv) => {
        kv.string(1, key);
        kv.string(2, value);
      });
    }
    return m.finish();
  }

  private writeGraph(g: ProtoWriter): void {
    for (const n of this.nodes) g.message(1, (w) => writeNode(w, n));
    g.string(2, this.name);
    for (const [name, t] of this.initializers) g.message(5, (w) => writeTensor(w, t, name));
    for (const v of this.inputs) g.message(11, (w) => writeValueInfo(w, v));
    for (const v of this.outputs) g.message(12, (w) => writeValueInfo(w, v));
  }
}

function writeValueInfo(w: ProtoWriter, v: ValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) => {
    type.message(1, (tensor) => {
      tensor.int(1, ONNX_ELEMENT_CODE[v.type]);
      if (v.shape) {
        tensor.message(2, (shape) => {
          for (const d of v.shape!) {
            shape.message(1, (dim) => {
              if (typeof d === 'number') dim.int(1, d);
              else dim.string(2, d);
            });
          }
        });
      }
    });
  });
}

function writeNode(w: ProtoWriter, n: NodeDef): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name);
  w.string(4, n.opType);
  for (const [name, value] of Object.entries(n.attrs)) w.message(5, (a) => writeAttr(a, name, value));
  if (n.domain) w.string(7, n.domain);
}

// AttributeProto.AttributeType codes.
const ATTR_FLOAT = 1, ATTR_INT = 2, ATTR_STRING = 3, ATTR_TENSOR = 4, ATTR_FLOATS = 6, ATTR_INTS = 7, ATTR_STRINGS = 8;

function writeAttr(a: ProtoWriter, name: string, value: OnnxAttrValue): void {
  a.string(1, name);
  if (typeof value === 'number') {
    if (Number.isInteger(value)) {
      a.int(3, value);
      a.int(20, ATTR_INT);
    } else {
      a.float(2, value);
      a.int(20, ATTR_FLOAT);
    }
  } else if (typeof value === 'string') {
    a.string(4, value);
    a.int(20, ATTR_STRING);
  } else if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string')) {
      for (const s of value as string[]) a.string(9, s);
      a.int(20, ATTR_STRINGS);
    } else if ((value as number[]).every((v) => Number.isInteger(v))) {
      for (const v of value as number[]) a.int(8, v);
      a.int(20, ATTR_INTS);
    } else {
      for (const v of value as number[]) a.float(7, v);
      a.int(20, ATTR_FLOATS);
    }
  } else {
    switch (value.kind) {
      case 'float': a.float(2, value.value); a.int(20, ATTR_FLOAT); break;
      case 'int': a.int(3, value.value); a.int(20, ATTR_INT); break;
      case 'floats': for (const v of value.value) a.float(7, v); a.int(20, ATTR_FLOATS); break;
      case 'ints': for (const v of value.value) a.int(8, v); a.int(20, ATTR_INTS); break;
      case 'tensor': a.message(5, (t) => writeTensor(t, value.value, value.value.name ?? name)); a.int(20, ATTR_TENSOR); break;
    }
  }
}
