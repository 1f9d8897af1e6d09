// Accelerator probe against file trees captured from real boards.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { probeAccelerators } from '../../src/inference/probe.js';
import { REPO_ROOT } from '../helpers/cli.js';

const fixture = (name: string) => join(REPO_ROOT, 'test', 'fixtures', 'probe', name);
const summary = (root: string) => {
  const r = probeAccelerators(root);
  return { soc: r.soc, devices: r.devices.map((d) => `${d.kind}:${d.node}:${d.driver}:${d.ep ?? '-'}`), suggested: r.suggested.map((s) => `${s.backend}/${s.ep}`) };
};

test('RK3588 with the vendor RKNPU driver: NPU found on a render node, ONNX models stay on the CPU', () => {
  const r = summary(fixture('rk3588-rknpu'));
  assert.equal(r.soc, 'rockchip,rk3588');
  assert.deepEqual(r.devices, ['npu:/dev/dri/renderD129:RKNPU:-']);
  assert.deepEqual(r.suggested, ['ort-node/cpu']);
});

test('RK3588 with the mainline rocket accel driver and the panthor GPU', () => {
  const r = summary(fixture('rk3588-rocket'));
  assert.equal(r.soc, 'rockchip,rk3588');
  assert.deepEqual(r.devices, ['npu:/dev/accel/accel0:rocket:-', 'gpu:/dev/dri/renderD128:panthor:-']);
  assert.deepEqual(r.suggested, ['ort-node/cpu']);
});

test('i.MX 8M Plus with galcore suggests VSINPU, int8, before the CPU', () => {
  const full = probeAccelerators(fixture('imx8mp-galcore'));
  assert.equal(full.soc, 'fsl,imx8mp');
  assert.deepEqual(summary(fixture('imx8mp-galcore')).devices, ['npu:/dev/galcore:galcore:VSINPU']);
  assert.deepEqual(full.suggested[0], { backend: 'ort-native', ep: 'VSINPU', options: {}, precision: 'int8' });
  assert.equal(full.suggested.at(-1)!.ep, 'cpu');
});

test('Qualcomm board with FastRPC suggests QNN on the HTP', () => {
  const full = probeAccelerators(fixture('qcs6490-fastrpc'));
  assert.equal(full.soc, 'qcom,qcm6490');
  assert.deepEqual(summary(fixture('qcs6490-fastrpc')).devices, [
    'gpu:/dev/dri/renderD128:msm:-', 'dsp:/dev/fastrpc-adsp:fastrpc:-', 'dsp:/dev/fastrpc-cdsp:fastrpc:QNN', 'dsp:/dev/fastrpc-cdsp-secure:fastrpc:QNN',
  ]);
  assert.deepEqual(full.suggested.map((s) => `${s.backend}/${s.ep}`), ['ort-native/QNN', 'ort-node/cpu']);
  assert.deepEqual(full.suggested[0]!.options, { backend_type: 'htp' });
});

test('plain x86 box: an Intel GPU, no device tree, CPU only', () => {
  const r = summary(fixture('x86-plain'));
  assert.equal(r.soc, undefined);
  assert.deepEqual(r.devices, ['gpu:/dev/dri/renderD128:i915:-']);
  assert.deepEqual(r.suggested, ['ort-node/cpu']);
});

test('a root with nothing in it is probed without errors', () => {
  const r = probeAccelerators(join(REPO_ROOT, 'test', 'fixtures', 'probe', 'does-not-exist'));
  assert.deepEqual(r.devices, []);
  assert.deepEqual(r.compatible, []);
});
