// A model file made from another (derived-files.ts) stands for its original where models are known by their files.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noteDerivedFile, originOf } from '../../src/inference/derived-files.js';

test('a derived copy names its original; a copy of a copy the first original; other files themselves', () => {
  assert.equal(originOf('/m/det.onnx'), '/m/det.onnx');
  noteDerivedFile('/cache/det.abc.fold1.onnx', '/m/det.onnx');
  assert.equal(originOf('/cache/det.abc.fold1.onnx'), '/m/det.onnx');
  noteDerivedFile('/cache/det.abc.fold1.x.onnx', '/cache/det.abc.fold1.onnx');
  assert.equal(originOf('/cache/det.abc.fold1.x.onnx'), '/m/det.onnx');
  noteDerivedFile('/m/rec.onnx', '/m/rec.onnx');
  assert.equal(originOf('/m/rec.onnx'), '/m/rec.onnx', 'a file is not its own copy');
});
