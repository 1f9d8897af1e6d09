// The local API beside the daemon's pipeline, over real sockets with the
// official openai client: questions wait for the analysis stages (the real
// InferenceSlot, held busy here the way a stage holds it while it analyses),
// 429 when the queue is full, 503 + Retry-After when the pipeline never pauses
// within api.pipelineWaitMs or when there is nothing live to look at; a live
// question answered from the evidence rings' newest frame and last seconds of
// audio; several images in one question as several views.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import sharp from 'sharp';
import { liveView } from '../../src/api/live-view.js';
import { ApiServer } from '../../src/api/server.js';
import { decodeAudioFile } from '../../src/baseline/decode.js';
import { AudioRing, FrameRing } from '../../src/capture/evidence-rings.js';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { loadFaultCatalog } from '../../src/diagnosis/catalog.js';
import { DiagnosisStage } from '../../src/diagnosis/stage.js';
import { InferenceSlot } from '../../src/inference/inference-slot.js';
import { FindingsJoin } from '../../src/pipeline/findings-join.js';
import type { Diagnosis, Frame } from '../../src/types.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { DEMO, demoImageDataUrl } from './api-harness.js';

const FAULTS = join(REPO_ROOT, 'config', 'faults.example.yaml');
const FAULT = 'spindle-bearing-overheat';
interface WithDiagnosis { faultsense: Diagnosis }
interface WithReasoning { reasoning_content?: string }
interface ErrorBody { error: { message: string; type: string; code: string | null; param: string | null } }

async function pngFrame(name: string, ts: number, seq: number): Promise<Frame> {
  const { data, info } = await sharp(join(DEMO, name)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3, ts, seq, source: 'camera' };
}

/** Holds the slot the way an analysis stage does while it analyses, until the returned function is called. */
function holdPipeline(slot: InferenceSlot): { end: () => Promise<void> } {
  let finish!: () => void;
  const held = slot.pipeline(() => new Promise<void>((r) => { finish = r; }));
  return { end: async () => { finish(); await held; } };
}

/** A counter's value on the server's /metrics (loopback: no token). */
async function metricValue(url: string, series: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  assert.ok(line, `${series} is on /metrics`);
  return Number(line.slice(series.length + 1));
}
const REFUSED_BUSY = 'faultsense_api_questions_refused_total{reason="pipeline_busy"}';
const REFUSED_FULL = 'faultsense_api_questions_refused_total{reason="queue_full"}';

async function until(what: string, ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('local API beside the pipeline (pipeline first, queue, rings, views)', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultsense-api-pipeline-'));
  const slot = new InferenceSlot();
  const frameRing = new FrameRing({ maxFrames: 8, maxBytes: 8_000_000 });
  const audioRing = new AudioRing(10, 16000);
  let diagnosis: DiagnosisStage;
  let main: ApiServer;
  let impatient: ApiServer;
  let client: OpenAI;

  const configWith = (api: Partial<Config['api']>): Config => {
    const config = loadConfig(undefined, { env: {} }).config;
    config.stateDir = dir;
    config.api = { ...config.api, listen: '127.0.0.1:0', ...api };
    return config;
  };

  before(async () => {
    const catalog = loadFaultCatalog(FAULTS);
    const base = configWith({});
    diagnosis = new DiagnosisStage({ config: base.diagnosis, deviceId: 'api-pipeline-test', catalog, publish: () => undefined });
    await diagnosis.start();
    // No analysis runs here, so the join never holds fresh findings: live questions fall back to the rings.
    const join = new FindingsJoin({ maxAgeMs: 3000, submit: (input) => diagnosis.submit(input) });
    const live = liveView({ join, diagnosis, frameRing, audioRing });
    main = new ApiServer({ config: configWith({ maxConcurrent: 1, maxQueued: 1, pipelineWaitMs: 60_000 }), catalog, live, slot });
    impatient = new ApiServer({ config: configWith({ maxConcurrent: 2, maxQueued: 2, pipelineWaitMs: 300 }), catalog, live, slot });
    await main.start();
    await impatient.start();
    client = new OpenAI({ apiKey: 'unused-on-loopback', baseURL: `${main.url}/v1`, maxRetries: 0, timeout: 240_000 });
  });
  after(async () => {
    await main?.stop();
    await impatient?.stop();
    await diagnosis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const liveQuestion = (url: string, extra: Record<string, unknown> = {}): Promise<Response> => fetch(`${url}/v1/chat/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'faultsense', messages: [{ role: 'user', content: 'What is wrong right now?' }], ...extra }),
  });

  it('503 with Retry-After while nothing live has been captured yet', async () => {
    const r = await liveQuestion(main.url!);
    assert.equal(r.status, 503);
    assert.equal(r.headers.get('retry-after'), '5');
    const e = (await r.json() as ErrorBody).error;
    assert.equal(e.type, 'service_unavailable');
    assert.equal(e.code, 'no_live_data');
    assert.match(e.message, /no camera frame or microphone audio yet/);
  });

  it('answers "now" from the rings: the newest frame and the last seconds of audio', async () => {
    const t = Date.now() - 2000;
    await frameRing.push(await pngFrame('panel-normal.png', t, 0));
    await frameRing.push(await pngFrame('panel-alarm.png', t + 1000, 1));
    assert.equal(frameRing.size, 2);
    const pcm = await decodeAudioFile(join(DEMO, 'machine-alarm.wav'), 16000);
    audioRing.push({ samples: Int16Array.from(pcm, (v) => Math.max(-32768, Math.min(32767, Math.round(v * 32767)))), ts: t });
    const granted = slot.stats().granted;

    const r = await client.chat.completions.create({
      model: 'faultsense', messages: [{ role: 'user', content: 'What is wrong right now?' }], ...({ return_reasoning: true } as object),
    });
    const choice = r.choices[0]!;
    const d = (choice as unknown as WithDiagnosis).faultsense;
    const reasoning = (choice.message as WithReasoning).reasoning_content ?? '';
    assert.equal(d.input?.mode, 'live');
    assert.equal(d.faults[0]?.id, FAULT, 'the alarm on the newest frame was read');
    assert.ok(d.modalities.vision?.alarmCodes.includes('E-042'));
    assert.ok(d.modalities.audio, 'the ring\'s audio was analysed');
    assert.match(reasoning, new RegExp(`Input: live camera frame of ${new Date(t + 1000).toISOString()}`), 'the newest frame, not the older one');
    assert.match(reasoning, /Input: live microphone, last 5\.0 s/, 'api.liveAudioSec of the ring');
    assert.match(reasoning, /Fault state of the daemon: \{"raised":\[\]/);
    assert.ok(slot.stats().granted > granted + 1, 'the question and each of its model runs waited for an idle moment of the pipeline');
  });

  it('several images are several views: the best-supported one speaks, the other is reported', async () => {
    const r = await client.chat.completions.create({
      model: 'faultsense', ...({ enable_thinking: true } as object),
      messages: [{ role: 'user', content: [
        { type: 'text', text: 'What do these two photos of the panel show?' },
        { type: 'image_url', image_url: { url: demoImageDataUrl('panel-normal.png') } },
        { type: 'image_url', image_url: { url: demoImageDataUrl('panel-alarm.png') } },
      ] }],
    });
    const choice = r.choices[0]!;
    const d = (choice as unknown as WithDiagnosis).faultsense;
    const reasoning = (choice.message as WithReasoning).reasoning_content ?? '';
    assert.equal(d.faults[0]?.id, FAULT);
    assert.ok(d.modalities.vision?.alarmCodes.includes('E-042'));
    assert.equal(d.input?.image, 'messages[0].content[2] (image)', 'the second view, where the alarm is, speaks');
    assert.match(reasoning, /Input: messages\[0\]\.content\[1\] \(image\): image \(png, \d+ bytes\) — view 1 of 2/);
    assert.match(reasoning, /Input: messages\[0\]\.content\[2\] \(image\): image \(png, \d+ bytes\) — view 2 of 2/);
    assert.match(reasoning, /Input: view chosen: messages\[0\]\.content\[2\] \(image\)/);
    assert.match(reasoning, /Other view messages\[0\]\.content\[1\] \(image\): /);
    assert.match(choice.message.content ?? '', /E-042/);
  });

  it('questions wait while the pipeline analyses; the queue beyond maxConcurrent + maxQueued gets 429', async () => {
    const busy = holdPipeline(slot);
    const served = main.health().served as number;
    const refusedFull = await metricValue(main.url!, REFUSED_FULL);
    const settled: number[] = [];
    const first = liveQuestion(main.url!).then((r) => { settled.push(r.status); return r; });
    await until('the first question waits for the pipeline', () => slot.stats().waiting === 1 && main.health().answering === 1);
    const second = liveQuestion(main.url!).then((r) => { settled.push(r.status); return r; });
    await until('the second question is queued', () => main.health().queued === 1);

    const third = await liveQuestion(main.url!);
    assert.equal(third.status, 429);
    assert.match(third.headers.get('retry-after') ?? '', /^\d+$/);
    const e = (await third.json() as ErrorBody).error;
    assert.equal(e.type, 'rate_limit_error');
    assert.match(e.message, /1 answering, 1 waiting/);
    assert.deepEqual(settled, [], 'nothing was answered while the pipeline was busy');
    assert.equal(main.health().served, served);
    assert.equal(await metricValue(main.url!, REFUSED_FULL), refusedFull + 1, 'the 429 is counted as queue_full');
    assert.equal(await metricValue(main.url!, REFUSED_BUSY), 0);

    await busy.end();
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    assert.equal(((await a.json()) as { choices: WithDiagnosis[] }).choices[0]!.faultsense.input?.mode, 'live');
    assert.equal(main.health().served, served + 2);
  });

  it('503 with Retry-After when the pipeline does not pause within api.pipelineWaitMs (plain and streaming)', async () => {
    const busy = holdPipeline(slot);
    const refused = slot.stats().refused;
    const served = impatient.health().served as number;
    const [refusedBusy, refusedFull] = [await metricValue(impatient.url!, REFUSED_BUSY), await metricValue(impatient.url!, REFUSED_FULL)];
    try {
      const c = new OpenAI({ apiKey: 'unused-on-loopback', baseURL: `${impatient.url}/v1`, maxRetries: 0 });
      await assert.rejects(c.chat.completions.create({ model: 'faultsense', messages: [{ role: 'user', content: 'What is wrong right now?' }] }),
        (err: unknown) => {
          assert.ok(err instanceof OpenAI.APIError);
          assert.equal(err.status, 503);
          assert.equal(err.code, 'pipeline_busy');
          assert.match(err.headers?.get('retry-after') ?? '', /^\d+$/);
          return true;
        });
      // Streaming is refused before the stream starts, so the status is a real 503 too.
      const s = await liveQuestion(impatient.url!, { stream: true });
      assert.equal(s.status, 503);
      assert.match(s.headers.get('content-type') ?? '', /application\/json/);
      const e = (await s.json() as ErrorBody).error;
      assert.equal(e.type, 'service_unavailable');
      assert.match(e.message, /pipeline kept the board busy for \d+ ms.*api\.pipelineWaitMs 300/);
      assert.equal(slot.stats().refused, refused + 2);
      assert.equal(await metricValue(impatient.url!, REFUSED_BUSY), refusedBusy + 2, 'both 503s are counted as pipeline_busy');
      assert.equal(await metricValue(impatient.url!, REFUSED_FULL), refusedFull, 'and not as queue_full');
      assert.equal(impatient.health().served, served, 'a refused question is not counted as answered');
      assert.equal(impatient.health().answering, 0, 'its place in the queue was given back');
    } finally {
      await busy.end();
    }
    const ok = await liveQuestion(impatient.url!);
    assert.equal(ok.status, 200, 'answered once the pipeline pauses');
  });
});
