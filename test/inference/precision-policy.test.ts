// inference.precision: what `auto` picks per accelerator kind, per-model settings, and gate-failed variants.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Manifest, VariantInfo } from '../../src/inference/manifest.js';
import { acceleratorKind, choosePrecision, settingFor } from '../../src/inference/precision-policy.js';

const file = { path: '/x.onnx', sha256: '0'.repeat(64) };
function manifest(files: Partial<Record<'fp32' | 'fp16' | 'int8', typeof file>>, variant?: Partial<VariantInfo>): Manifest {
  return {
    id: 'm', version: '1+int8', ref: 'm@1+int8', manifestFile: '/m.yaml', task: 'other', files, preprocessing: {}, decoding: {},
    ...(variant ? {
      variant: {
        of: 'm@1', precision: 'int8', method: 'qdq-static', createdAt: '', gate: { passed: true, kind: 'outputs', heldBack: 4, figures: {}, reasons: [] }, ...variant,
      } as VariantInfo,
    } : {}),
  } as Manifest;
}

test('auto: NPU → int8, GPU → fp16, CPU → the variant only when it measured faster', () => {
  const m = manifest({ fp32: file, int8: file }, { latency: { fp32Ms: 10, variantMs: 6, runs: 8, backend: 'ort-node/cpu' } });
  assert.equal(acceleratorKind({ ep: 'QNN' }), 'npu');
  assert.equal(acceleratorKind({ ep: 'cuda' }), 'gpu');
  assert.equal(acceleratorKind({ ep: 'cpu' }), 'cpu');
  assert.equal(choosePrecision(m, { ep: 'VSINPU' }, 'auto').precision, 'int8');
  assert.equal(choosePrecision(m, { ep: 'cuda' }, 'auto').precision, 'fp32');  // no fp16 file
  assert.equal(choosePrecision(manifest({ fp32: file, fp16: file }), { ep: 'tensorrt' }, 'auto').precision, 'fp16');
  assert.equal(choosePrecision(m, { ep: 'cpu' }, 'auto').precision, 'int8');
  const slow = manifest({ fp32: file, int8: file }, { latency: { fp32Ms: 10, variantMs: 12, runs: 8, backend: 'ort-node/cpu' } });
  const c = choosePrecision(slow, { ep: 'cpu' }, 'auto');
  assert.equal(c.precision, 'fp32');
  assert.match(c.reason, /not faster/);
  // An accelerator's own precision and an explicit setting win over auto.
  assert.equal(choosePrecision(slow, { ep: 'cpu', precision: 'int8' }, 'auto').precision, 'int8');
  assert.equal(choosePrecision(m, { ep: 'QNN' }, 'fp32').precision, 'fp32');
});

test('a variant that failed its gate is never chosen; per-model settings fall back to default', () => {
  const failed = manifest({ fp32: file, int8: file }, { gate: { passed: false, kind: 'outputs', heldBack: 4, figures: {}, reasons: ['correlation 0.2 < 0.99'] } });
  assert.equal(choosePrecision(failed, { ep: 'QNN' }, 'auto').precision, 'fp32');
  assert.equal(choosePrecision(failed, { ep: 'cpu' }, 'int8').precision, 'fp32');
  assert.equal(settingFor({ default: 'fp16', m: 'int8' }, 'm'), 'int8');
  assert.equal(settingFor({ default: 'fp16', m: 'int8' }, 'other'), 'fp16');
  assert.equal(settingFor({ m: 'int8' }, 'other'), 'auto');
  assert.equal(settingFor('fp32', 'x'), 'fp32');
});
