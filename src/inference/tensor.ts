// Tensors as they cross the engine boundary: a typed array, its element type
// and its dimensions. Both backends take and return these.

export type ElementType =
  | 'float32' | 'uint8' | 'int8' | 'uint16' | 'int16' | 'int32' | 'int64'
  | 'bool' | 'float16' | 'float64' | 'uint32' | 'uint64';

export type TensorData =
  | Float32Array | Uint8Array | Int8Array | Uint16Array | Int16Array | Int32Array
  | BigInt64Array | Float64Array | Uint32Array | BigUint64Array;

export interface Tensor {
  type: ElementType;
  dims: readonly number[];
  data: TensorData;
}

/** Named inputs of one run. */
export type Feeds = Record<string, Tensor>;
/** Named outputs of one run. */
export type Outputs = Record<string, Tensor>;

/** A model input or output: dims hold a number, or a name (string) / -1 for a dynamic size. */
export interface TensorInfo {
  name: string;
  type: ElementType | 'unknown';
  dims: Array<number | string>;
}

/** ONNX element type codes (TensorProto.DataType). */
export const ELEMENT_CODE: Record<ElementType, number> = {
  float32: 1, uint8: 2, int8: 3, uint16: 4, int16: 5, int32: 6, int64: 7,
  bool: 9, float16: 10, float64: 11, uint32: 12, uint64: 13,
};

const CODE_TO_TYPE = new Map<number, ElementType>(
  Object.entries(ELEMENT_CODE).map(([k, v]) => [v, k as ElementType]),
);

export function elementTypeOf(code: number): ElementType | 'unknown' {
  return CODE_TO_TYPE.get(code) ?? 'unknown';
}

/** Number of elements a shape holds. */
export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Builds a tensor, checking that the data length matches the dims. */
export function tensor(type: ElementType, data: TensorData, dims: readonly number[]): Tensor {
  const n = elementCount(dims);
  if (data.length !== n) {
    throw new Error(`tensor: ${data.length} ${type} values do not fill dims [${dims.join(', ')}] (need ${n})`);
  }
  return { type, data, dims: [...dims] };
}

export function float32(data: Float32Array | number[], dims: readonly number[]): Tensor {
  return tensor('float32', data instanceof Float32Array ? data : Float32Array.from(data), dims);
}

export function int64(data: BigInt64Array | number[], dims: readonly number[]): Tensor {
  return tensor('int64', data instanceof BigInt64Array ? data : BigInt64Array.from(data.map((v) => BigInt(v))), dims);
}

/** Values of a tensor as plain numbers (bigints converted). */
export function toNumbers(t: Tensor): number[] {
  return Array.from(t.data as ArrayLike<number | bigint>, (v) => Number(v));
}
