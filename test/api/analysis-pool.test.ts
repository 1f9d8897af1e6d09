// The pool of analysis workers on its own (no daemon): a real worker process
// analyses real files; a file that is not an image is the same input error as
// in-process; an idle worker is stopped after api.analysisIdleSec and the
// memory governor's release stops it at once; the next question starts one.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MediaAnalysisPool } from '../../src/api/analysis-pool.js';
import { loadConfig } from '../../src/config/load.js';
import { loadFaultCatalog } from '../../src/diagnosis/catalog.js';
import { catalogVocabulary } from '../../src/pipeline/analyzers.js';
import { InputFileError } from '../../src/pipeline/media-findings.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const DEMO = join(REPO_ROOT, 'demo');

describe('MediaAnalysisPool', { timeout: 300_000 }, () => {
  const config = loadConfig(undefined, { env: {} }).config;
  const dir = tempDir();
  const pool = new MediaAnalysisPool({
    workers: 1, timeoutMs: 60_000, idleMs: 1500, pipelineWaitMs: () => 1000,
    init: {
      logLevel: 'warn', nice: 15, analysis: config.analysis, baseline: { audio: false, vision: false },
      vocabulary: catalogVocabulary(loadFaultCatalog(join(REPO_ROOT, 'config', 'faults.example.yaml'))),
      inference: config.inference, stateDir: join(dir, 'state'), labels: {}, turns: false,
    },
  });
  after(() => pool.close());
  type Stats = { workers: Array<{ pid: number; nice: number | null }>; stoppedIdle: number; started: number };

  it('analyses in a niced worker, stops it when idle, starts another on the next file', async () => {
    const v = await pool.vision(join(DEMO, 'panel-alarm.png'));
    assert.deepEqual(v.alarmCodes, ['E-042']);
    const s = pool.stats() as Stats;
    assert.equal(s.workers.length, 1);
    assert.equal(getPriority(s.workers[0]!.pid), 15);

    const bad = join(dir, 'not-an-image.png');
    writeFileSync(bad, 'hello');
    await assert.rejects(pool.vision(bad), (err: Error) => err instanceof InputFileError && /cannot decode as an image/.test(err.message));

    const deadline = Date.now() + 30_000;
    while ((pool.stats() as Stats).workers.length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal((pool.stats() as Stats).workers.length, 0, 'stopped after 1.5 s idle');
    assert.equal((pool.stats() as Stats).stoppedIdle, 1);

    const a = await pool.audio(join(DEMO, 'machine-alarm.wav'));
    assert.ok(a.events.some((e) => e.type === 'impulse'));
    assert.equal((pool.stats() as Stats).started, 2);
    assert.equal(pool.releaseIdle(), 1, 'the memory governor stops the idle worker at once');
  });
});
