// The local API analyses a question's own media in a worker process at low OS
// priority (api.analysisWorkers), over real sockets with the official openai
// client against a running daemon: the answer is the in-process one, the
// worker's threads run niced, its models are opened on the pipeline's engine
// (the accelerator list starts with QNN, which this build lacks: a fake NPU
// that fails, so both fall back to ort-node/cpu and say so), its runs reach
// /metrics and the status page; a worker killed or frozen mid-question gives
// 503 with Retry-After and the next question is answered by a new worker.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI, { APIError } from 'openai';
import { QuestionAnswerer, type MediaItem } from '../../src/api/question-answerer.js';
import { loadConfig } from '../../src/config/load.js';
import { loadFaultCatalog } from '../../src/diagnosis/catalog.js';
import { OneShotDiagnoser } from '../../src/pipeline/one-shot.js';
import type { Diagnosis } from '../../src/types.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { DEMO, startApiDaemon, type ApiDaemon } from './api-harness.js';

const FAULTS = join(REPO_ROOT, 'config', 'faults.example.yaml');
const QUESTION = 'What is wrong with the spindle?';
const TIMEOUT_MS = 20_000;
interface WithDiagnosis extends OpenAI.Chat.ChatCompletion.Choice { faultsense: Diagnosis }
interface Analysis {
  analysed: number; crashed: number; hung: number;
  workers: Array<{ pid: number; state: string; nice: number | null; served: number }>;
  sessions: Record<string, { model: string; backend: string; ep: string; runs: number; fellBack?: Array<{ accelerator: string }> }>;
}

const png = readFileSync(join(DEMO, 'panel-alarm.png'));
const wav = readFileSync(join(DEMO, 'machine-alarm.wav'));
let variant = 0;
/** The demo recording with one sample changed: new bytes (no cache hit), the same sound. */
function freshWav(): Buffer {
  const b = Buffer.from(wav);
  b.writeInt16LE(++variant * 97, 4000);
  return b;
}

const content = (image: Buffer | undefined, audio: Buffer | undefined): OpenAI.Chat.ChatCompletionContentPart[] => [
  { type: 'text', text: QUESTION },
  ...(image ? [{ type: 'image_url' as const, image_url: { url: `data:image/png;base64,${image.toString('base64')}` } }] : []),
  ...(audio ? [{ type: 'input_audio' as const, input_audio: { data: audio.toString('base64'), format: 'wav' as const } }] : []),
];

/** What a Diagnosis says about the media, without what differs per call (id, time, timings at any depth, where the media came from). */
function said(d: Diagnosis): unknown {
  const { id: _id, ts: _ts, seq: _seq, input: _i, evidence, ...rest } = d as Diagnosis & { seq?: number; input?: unknown };
  const { snapshot: _s, audioClip: _a, ...ev } = (evidence ?? {}) as Record<string, unknown>;
  const untimed = (v: unknown): unknown => (Array.isArray(v) ? v.map(untimed)
    : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'timings').map(([k, x]) => [k, untimed(x)])) : v);
  return untimed({ ...rest, evidence: ev });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('local API: media analysed in a low-priority worker process', { timeout: 600_000 }, () => {
  let d: ApiDaemon;
  let client: OpenAI;
  const analysis = async (): Promise<Analysis> => {
    const r = await (await fetch(`${d.url}/readyz`)).json() as { components: { api: { analysis: Analysis } } };
    return r.components.api.analysis;
  };
  const ask = async (image: Buffer | undefined, audio: Buffer | undefined) => (await client.chat.completions.create({
    model: 'faultsense', messages: [{ role: 'user', content: content(image, audio) }],
  })) as OpenAI.Chat.ChatCompletion & { choices: Array<WithDiagnosis> };

  before(async () => {
    d = await startApiDaemon({
      api: { analysisTimeoutMs: TIMEOUT_MS, analysisNice: 12 },
      inference: { accelerators: [{ backend: 'ort-native', ep: 'QNN' }, { backend: 'ort-node', ep: 'cpu' }] },
    });
    client = new OpenAI({ baseURL: `${d.url}/v1`, apiKey: d.token, maxRetries: 0, timeout: 240_000 });
  });
  after(async () => { await d?.stop(); });

  it('answers an image + recording exactly as the in-process path does, from a niced worker', async () => {
    const audio = freshWav();
    const r = await ask(png, audio);
    const fromApi = r.choices[0]!.faultsense;
    assert.equal(fromApi.faults[0]?.id, 'spindle-bearing-overheat');

    // In-process: the same one-shot analysis (what `diagnose` and the SDK run), same catalog and device.
    const config = loadConfig(undefined, { env: {} }).config;
    const dc = config.diagnosis;
    const answerer = new QuestionAnswerer({
      openEngine: () => OneShotDiagnoser.create({
        analysis: config.analysis, catalog: loadFaultCatalog(FAULTS), deviceId: 'api-test', wantVision: true, wantAudio: true,
        diagnoser: { reportAbove: dc.reportAbove, raiseAbove: dc.raiseAbove, minQuality: dc.minQuality, anomalyAbove: dc.anomalyAbove, questionBoost: dc.questionBoost },
      }),
    });
    const media: MediaItem[] = [{ kind: 'image', bytes: png, ext: '.png', label: 'image' }, { kind: 'audio', bytes: audio, ext: '.wav', label: 'audio' }];
    try {
      const local = (await answerer.answer(media, QUESTION)).diagnosis;
      assert.deepEqual(said(fromApi), said(local));
    } finally {
      await answerer.close();
    }

    const a = await analysis();
    assert.ok(a.analysed >= 2, `the worker analysed the image and the recording (${a.analysed})`);
    const w = a.workers[0]!;
    assert.equal(getPriority(w.pid), 12, 'the worker runs at api.analysisNice');
    assert.equal(w.nice, 12);
    assert.notEqual(getPriority(w.pid), getPriority(process.pid));
    // Linux's nice is per thread: every thread of the worker (ONNX Runtime's, libuv's, V8's) runs niced.
    const tids = readdirSync(`/proc/${w.pid}/task`);
    assert.ok(tids.length > 1);
    for (const tid of tids) {
      const stat = readFileSync(`/proc/${w.pid}/task/${tid}/stat`, 'utf8');
      const nice = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      assert.equal(nice, 12, `thread ${tid} of the worker runs at nice 12`);
    }
  });

  it('opens the worker\'s models on the pipeline\'s engine: /metrics and the status page show its runs on the provider chosen', async () => {
    await ask(Buffer.from(png), freshWav()); // the image is cached by now: only the recording goes to the worker
    const image = await (await import('sharp')).default(png).raw().toBuffer({ resolveWithObject: true });
    image.data[1234] ^= 1;
    await ask(await (await import('sharp')).default(image.data, { raw: image.info }).png().toBuffer(), undefined);
    const health = await (await fetch(`${d.url}/readyz`)).json() as { components: { api: { analysis: Analysis }; inference: { sessions: Record<string, { runs: number }> } } };
    const metrics = await (await fetch(`${d.url}/metrics`, { headers: { authorization: `Bearer ${d.token}` } })).text();
    const sessions = Object.values(health.components.api.analysis.sessions);
    const det = sessions.find((s) => s.model === 'pp-ocrv4-det@4.0.0');
    assert.ok(det, `the worker opened the verified detector under its registry name (have ${sessions.map((s) => s.model).join(', ')})`);
    for (const s of sessions) {
      assert.equal(`${s.backend}/${s.ep}`, 'ort-node/cpu', `${s.model} runs on the provider the engine chose`);
      assert.equal(s.fellBack?.[0]?.accelerator, 'ort-native/QNN', `${s.model} tried the configured NPU first`);
    }
    assert.ok(det.runs >= 2, `two images analysed (${det.runs} detector runs)`);
    // The histogram counts the pipeline's runs and the worker's: at least both sessions' counts read just before.
    const count = Number(/^faultsense_inference_duration_seconds_count\{model="pp-ocrv4-det",backend="ort-node",ep="cpu"\} (\S+)$/m.exec(metrics)?.[1]);
    const pipelineRuns = health.components.inference.sessions['pp-ocrv4-det@4.0.0']?.runs ?? 0;
    assert.ok(count >= pipelineRuns + det.runs, `/metrics counts ${count} detector runs: the pipeline's ${pipelineRuns} and the worker's ${det.runs}`);
    const page = await (await fetch(`${d.url}/api/status`, { headers: { authorization: `Bearer ${d.token}` } })).json() as { inference: { models: Array<{ model: string; runsOn: string; precision: string | null }> } };
    const onPage = page.inference.models.find((m) => m.model === 'API: pp-ocrv4-det@4.0.0');
    assert.ok(onPage, 'the status page lists the API\'s detector');
    assert.equal(onPage.runsOn, 'ort-node/cpu');
    assert.equal(onPage.precision, 'fp32');
  });

  it('a worker killed mid-question: 503 with Retry-After, and the next question is answered by a new worker', async () => {
    const before = await analysis();
    const pid = before.workers[0]!.pid;
    process.kill(pid, 'SIGSTOP'); // holds it mid-question, whatever the machine's speed
    const asked = ask(undefined, freshWav()).then(() => undefined, (err: unknown) => err);
    await until('the worker has the question', async () => ((await analysis()).workers.find((w) => w.pid === pid)?.state === 'busy' ? true : undefined));
    process.kill(pid, 'SIGKILL');
    const err = await asked;
    assert.ok(err instanceof APIError, `an APIError, got ${String(err)}`);
    assert.equal(err.status, 503);
    assert.equal((err.error as { code?: string }).code, 'analysis_worker_failed');
    assert.match(err.message, /was killed by SIGKILL.*restarted/);
    assert.ok(Number(err.headers?.get('retry-after')) >= 1, 'Retry-After in seconds');

    const r = await ask(undefined, freshWav());
    assert.ok(r.choices[0]!.faultsense.modalities.audio, 'answered from the recording');
    const a = await analysis();
    assert.equal(a.crashed, before.crashed + 1);
    assert.ok(a.workers.length === 1 && a.workers[0]!.pid !== pid, 'a new worker answered');
  });

  it(`a worker frozen mid-question: 503 after api.analysisTimeoutMs (${TIMEOUT_MS} ms), then a new worker answers`, async () => {
    const before = await until('a worker is ready', async () => { const a = await analysis(); return a.workers[0]?.state === 'idle' ? a : undefined; });
    const pid = before.workers[0]!.pid;
    process.kill(pid, 'SIGSTOP');
    try {
      const err = await ask(undefined, freshWav()).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof APIError, `an APIError, got ${String(err)}`);
      assert.equal(err.status, 503);
      assert.match(err.message, new RegExp(`gave no sign of life for ${TIMEOUT_MS} ms`));
      assert.ok(Number(err.headers?.get('retry-after')) >= 1);
    } finally {
      try { process.kill(pid, 'SIGKILL'); } catch { /* killed by the daemon already */ }
    }
    const r = await ask(undefined, freshWav());
    assert.ok(r.choices[0]!.faultsense.modalities.audio);
    const a = await analysis();
    assert.equal(a.hung, before.hung + 1);
    assert.notEqual(a.workers[0]!.pid, pid);
  });
});
