import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadAudioBaseline } from '../../src/baseline/audio.js';
import { checkParams, modalityMeta, newBaselineDocument, readBaselineDocument, writeBaselineDocument } from '../../src/baseline/store.js';
import { BaselineMismatchError } from '../../src/baseline/types.js';
import { tempDir } from '../helpers/tmp.js';

describe('baseline.json', () => {
  it('round-trips and names what is wrong with a bad document', () => {
    const dir = tempDir();
    const doc = newBaselineDocument('0.1.0');
    writeBaselineDocument(dir, doc);
    assert.deepEqual(readBaselineDocument(dir), doc);
    assert.throws(() => modalityMeta(dir, doc, 'audio'), /has no audio part; fit one with faultsense baseline fit --audio/);

    writeFileSync(join(dir, 'baseline.json'), JSON.stringify({ ...doc, version: 99 }));
    assert.throws(() => readBaselineDocument(dir), (err: Error) => err instanceof BaselineMismatchError && /format version 99; this faultsense reads version 1/.test(err.message));
    writeFileSync(join(dir, 'baseline.json'), JSON.stringify({ hello: 1 }));
    assert.throws(() => readBaselineDocument(dir), /is not a faultsense baseline/);
    writeFileSync(join(dir, 'baseline.json'), '{oops');
    assert.throws(() => readBaselineDocument(dir), /is not valid JSON/);
  });

  it('lists every mismatched parameter', () => {
    assert.throws(
      () => checkParams('audio baseline X', { sampleRate: 16000, melBands: 64, hopLength: 160 }, { sampleRate: 8000, melBands: 40, hopLength: 160 }),
      /sampleRate: baseline has 16000, analyzer uses 8000; melBands: baseline has 64, analyzer uses 40/,
    );
    checkParams('ok', { a: 1, b: [1, 2] }, { a: 1, b: [1, 2] });
  });

  it('refuses an audio part with a damaged model manifest', async () => {
    const dir = tempDir();
    const doc = newBaselineDocument();
    doc.modalities.audio = {
      method: 'audio-logmel-pca-mahalanobis', model: 'audio-anomaly.onnx', manifest: 'audio-anomaly.manifest.yaml',
      calibration: { scale: 1, percentile: 0.99, heldOut: 1 },
      params: { sampleRate: 16000, winLength: 400, hopLength: 160, nFft: 512, melBands: 64, fMin: 20, fMax: 8000, context: 5, power: 2 },
      inputs: [],
    };
    writeBaselineDocument(dir, doc);
    writeFileSync(join(dir, 'audio-anomaly.manifest.yaml'), 'id: audio-anomaly\n');
    await assert.rejects(loadAudioBaseline(dir, {}), /manifest .* is not usable/);
    doc.modalities.audio.method = 'something-else';
    writeBaselineDocument(dir, doc);
    await assert.rejects(loadAudioBaseline(dir, {}), /audio method something-else is not supported/);
  });
});
