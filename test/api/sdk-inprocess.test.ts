// The SDK in-process: multimodalQuery runs the same analysis as `faultsense diagnose`
// and says the same things the API says.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { multimodalQuery } from '../../src/sdk/index.js';
import { REPO_ROOT, runCliSync } from '../helpers/cli.js';

const DEMO = join(REPO_ROOT, 'demo');
const FAULTS = join(REPO_ROOT, 'config', 'faults.example.yaml');

describe('multimodalQuery (in-process)', { timeout: 300_000 }, () => {
  it('diagnoses an image file and recording bytes like the diagnose command', async () => {
    const r = await multimodalQuery({
      image: join(DEMO, 'panel-alarm.png'), audio: readFileSync(join(DEMO, 'machine-alarm.wav')), text: 'what is that noise?', faults: FAULTS,
    });
    assert.equal(r.diagnosis.faults[0]!.id, 'spindle-bearing-overheat');
    assert.match(r.answer, /^Fault: Spindle bearing overheat \(\d+% confidence, critical\)/);
    assert.match(r.reasoning, /Question focus: vision words \[\], audio words \["nois/);
    const cli = runCliSync(['diagnose', '--image', join(DEMO, 'panel-alarm.png'), '--audio', join(DEMO, 'machine-alarm.wav'),
      '--question', 'what is that noise?', '--faults', FAULTS, '--no-cache', '--json'], { timeoutMs: 180_000 });
    assert.equal(cli.status, 0, cli.stderr);
    const fromCli = JSON.parse(cli.stdout) as typeof r.diagnosis;
    assert.deepEqual(r.diagnosis.faults.map((f) => [f.id, f.confidence]), fromCli.faults.map((f) => [f.id, f.confidence]));
  });

  it('answers in Chinese and says what was not assessed', async () => {
    const r = await multimodalQuery({ image: readFileSync(join(DEMO, 'panel-normal.png')), text: '显示屏上显示什么？', faults: FAULTS });
    assert.match(r.answer, /^未发现故障（已分析：图像）/);
    assert.match(r.answer, /声音：未分析（没有音频）/);
    assert.equal(r.diagnosis.modalities.audio, undefined);
  });

  it('refuses bytes that are neither an image nor audio', async () => {
    await assert.rejects(multimodalQuery({ image: Buffer.from('hello'), faults: FAULTS }), /not a recognised image format/);
    await assert.rejects(multimodalQuery({ text: 'anything?' }), /needs an image and\/or audio/);
  });
});
