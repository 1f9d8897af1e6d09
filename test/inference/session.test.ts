// The one model session: the same graph through onnxruntime-node on the CPU and
// through the inference component's engine gives the same float outputs; int64
// outputs are converted once; health forgets a session when it is released.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inferenceSchema } from '../../src/config/sections/inference.js';
import { InferenceService } from '../../src/inference/service.js';
import { floatOutputs, openCpuSession } from '../../src/inference/session.js';
import { tempDir } from '../helpers/tmp.js';
import { writeAffine } from './helpers.js';

describe('ModelSession', () => {
  it('the CPU opener and the inference component run a graph alike; released sessions leave its health', async () => {
    const file = writeAffine(tempDir('faultsense-session-'), 'affine.onnx', 2, 1);
    const feeds = { x: { data: Float32Array.from([0, 1, 2.5, -1]), dims: [1, 4] } };

    const cpu = await openCpuSession(file);
    assert.deepEqual(cpu.inputNames, ['x']);
    assert.deepEqual(cpu.outputNames, ['y']);
    const a = await cpu.run(feeds);
    await cpu.release();

    const inference = new InferenceService({ config: inferenceSchema.parse({}), stateDir: tempDir('faultsense-session-state-'), models: [] });
    await inference.start();
    const viaEngine = await inference.open(file, 'affine');
    const sessions = () => inference.health().sessions as Record<string, { backend: string; runs: number }>;
    assert.deepEqual(Object.keys(sessions()), ['affine']);
    const b = await viaEngine.run(feeds);
    assert.equal(sessions().affine!.backend, 'ort-native', 'the default accelerators start with ort-native/cpu');
    assert.equal(sessions().affine!.runs, 1);
    await viaEngine.release();
    assert.deepEqual(sessions(), {});
    await inference.stop();

    assert.deepEqual([...a.y!.data], [1, 3, 6, -1]);
    assert.deepEqual(b, a);
  });

  it('a missing model file is named', async () => {
    await assert.rejects(openCpuSession('/nonexistent/model.onnx'), /ONNX model \/nonexistent\/model\.onnx does not exist/);
  });

  it('floatOutputs passes float32 through and converts other numbers once', () => {
    const f = Float32Array.from([1.5]);
    const out = floatOutputs({
      f: { type: 'float32', data: f, dims: [1] },
      i: { type: 'int64', data: BigInt64Array.from([3n, -2n]), dims: [2] },
    });
    assert.equal(out.f!.data, f, 'no copy of float32 data');
    assert.deepEqual([...out.i!.data], [3, -2]);
    assert.ok(out.i!.data instanceof Float32Array);
  });
});
