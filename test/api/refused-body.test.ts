// A body over api.bodyLimit is answered 413, and ordinary clients read that 413
// rather than EPIPE/ECONNRESET from a server that answered and closed while the body
// was still going up. curl, in its own process, is the client that showed it: before
// the server read refused bodies to their end, about 1 in 4 of its 12 MB uploads
// ended in "send failure" (exit 55) with no status. Also fetch, node:http writing
// the whole body before it listens, and the official openai client.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { liveView } from '../../src/api/live-view.js';
import { ApiServer } from '../../src/api/server.js';
import { AudioRing, FrameRing } from '../../src/capture/evidence-rings.js';
import { loadConfig } from '../../src/config/load.js';
import { loadFaultCatalog } from '../../src/diagnosis/catalog.js';
import { DiagnosisStage } from '../../src/diagnosis/stage.js';
import { InferenceSlot } from '../../src/inference/inference-slot.js';
import { FindingsJoin } from '../../src/pipeline/findings-join.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { requireProgram } from '../helpers/programs.js';

const TRIES = 20;

/** node:http as a naive client uses it: write the whole body, end, then wait for the answer. */
function naivePost(url: string, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('a refused body is read to its end, so clients see the 413', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultsense-api-413-'));
  let server: ApiServer;
  let diagnosis: DiagnosisStage;
  const big = Buffer.from(JSON.stringify({
    model: 'faultsense',
    messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: Buffer.alloc(3_000_000, 7).toString('base64'), format: 'wav' } }] }],
  }));

  before(async () => {
    const config = loadConfig(undefined, { env: {} }).config;
    config.stateDir = dir;
    config.api = { ...config.api, listen: '127.0.0.1:0', bodyLimit: '512KB' };
    const catalog = loadFaultCatalog(join(REPO_ROOT, 'config/faults.example.yaml'));
    diagnosis = new DiagnosisStage({ config: config.diagnosis, deviceId: 'api-413-test', catalog, publish: () => undefined });
    await diagnosis.start();
    const findings = new FindingsJoin({ maxAgeMs: 3000, submit: (input) => diagnosis.submit(input) });
    const live = liveView({ join: findings, diagnosis, frameRing: new FrameRing({ maxFrames: 2, maxBytes: 1_000_000 }), audioRing: new AudioRing(2, 16000) });
    server = new ApiServer({ config, catalog, live, slot: new InferenceSlot() });
    await server.start();
  });
  after(async () => {
    await server?.stop();
    await diagnosis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`curl (another process) gets 413 for 12 MB, with and without Expect: 100-continue, ${TRIES} of ${TRIES}`, async (t) => {
    if (!requireProgram(t, 'curl')) return;
    const file = join(dir, 'big.json');
    writeFileSync(file, Buffer.alloc(12_000_000, 0x61));
    const outcomes: string[] = [];
    for (let i = 0; i < TRIES; i++) {
      const args = ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', 'content-type: application/json', '--data-binary', `@${file}`];
      if (i % 2 === 1) args.push('-H', 'Expect:');
      args.push(`${server.url}/v1/chat/completions`);
      outcomes.push(await new Promise<string>((resolve) => {
        execFile('curl', args, (err, stdout) => resolve(`${stdout}${err ? ` exit ${(err as { code?: number }).code}` : ''}`));
      }));
    }
    assert.deepEqual(outcomes, Array(TRIES).fill('413'));
  });

  it(`fetch gets 413 with the error body, ${TRIES} of ${TRIES}`, async () => {
    for (let i = 0; i < TRIES; i++) {
      const r = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
      assert.equal(r.status, 413, `try ${i}`);
      assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'request_too_large');
    }
  });

  it(`node:http writing the whole body first gets 413, ${TRIES} of ${TRIES}`, async () => {
    for (let i = 0; i < TRIES; i++) assert.equal(await naivePost(`${server.url}/v1/chat/completions`, big), 413, `try ${i}`);
  });

  it('the official openai client gets an APIError with status 413, not a connection error', async () => {
    const client = new OpenAI({ apiKey: 'unused-on-loopback', baseURL: `${server.url}/v1`, maxRetries: 0, timeout: 60_000 });
    for (let i = 0; i < 5; i++) {
      await assert.rejects(
        client.chat.completions.create({ model: 'faultsense', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: Buffer.alloc(3_000_000, 7).toString('base64'), format: 'wav' } }] }] }),
        (e: unknown) => e instanceof OpenAI.APIError && e.status === 413,
      );
    }
  });

  it('the server still answers normally afterwards', async () => {
    const r = await fetch(`${server.url}/healthz`);
    assert.equal(r.status, 200);
  });
});
