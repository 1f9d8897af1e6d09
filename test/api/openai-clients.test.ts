// The running daemon's local API driven by the official `openai` npm client and
// LangChain's ChatOpenAI, unchanged: an image data URL + a base64 WAV + a
// question in English and Chinese, streaming with reasoning, json_schema, live
// mode without media; and the SDK's FaultsenseClient against the same server.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { HumanMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import OpenAI from 'openai';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { FaultsenseClient } from '../../src/sdk/index.js';
import type { Diagnosis, PublishedDiagnosis } from '../../src/types.js';
import { uploadRaw } from '../helpers/raw-upload.js';
import { DEMO, demoImageDataUrl, demoWavBase64, startApiDaemon, type ApiDaemon } from './api-harness.js';

const FAULT = 'spindle-bearing-overheat';
const TITLE = 'Spindle bearing overheat';

type Part = OpenAI.Chat.Completions.ChatCompletionContentPart;
const mediaParts = (text: string): Part[] => [
  { type: 'text', text },
  { type: 'image_url', image_url: { url: demoImageDataUrl() } },
  { type: 'input_audio', input_audio: { data: demoWavBase64(), format: 'wav' } },
];
interface WithDiagnosis { faultsense: Diagnosis }
interface WithReasoning { reasoning_content?: string }

describe('local API with the official clients', { timeout: 600_000 }, () => {
  let d: ApiDaemon;
  let client: OpenAI;
  before(async () => {
    d = await startApiDaemon({ api: { bodyLimit: '4MB', maxConcurrent: 1, maxQueued: 0, allowFetch: ['127.0.0.1'] } });
    client = new OpenAI({ apiKey: d.token, baseURL: `${d.url}/v1`, maxRetries: 0, timeout: 240_000 });
  });
  after(async () => { await d?.stop(); });

  it('lists the faultsense model', async () => {
    const models = await client.models.list();
    assert.deepEqual(models.data.map((m) => m.id), ['faultsense']);
  });

  it('answers an English question about an image and a recording (non-streaming, no reasoning unless asked)', async () => {
    const r = await client.chat.completions.create({ model: 'faultsense', messages: [{ role: 'user', content: mediaParts('What is wrong with the spindle?') }] });
    const choice = r.choices[0]!;
    assert.equal(r.object, 'chat.completion');
    assert.equal(choice.finish_reason, 'stop');
    const content = choice.message.content ?? '';
    assert.match(content, new RegExp(`^Fault: ${TITLE} \\(\\d+% confidence, critical\\)`));
    assert.match(content, /alarm E-042 read on the display/);
    assert.match(content, /Repair steps:\n1\. Stop the spindle/);
    assert.match(content, /Heard: [^\n]*impulse/);
    assert.equal((choice.message as WithReasoning).reasoning_content, undefined, 'reasoning only when asked');
    const diagnosis = (choice as unknown as WithDiagnosis).faultsense;
    assert.equal(diagnosis.faults[0]!.id, FAULT);
    assert.ok(diagnosis.modalities.vision?.alarmCodes.includes('E-042'));
    assert.ok(diagnosis.modalities.audio, 'the recording was analysed');
    assert.ok(r.usage && r.usage.completion_tokens > 0 && r.usage.prompt_tokens > 0);
  });

  it('answers a Chinese question in Chinese', async () => {
    const r = await client.chat.completions.create({ model: 'faultsense', messages: [{ role: 'user', content: mediaParts('主轴有什么问题？') }] });
    const content = r.choices[0]!.message.content ?? '';
    const top = (r.choices[0] as unknown as WithDiagnosis).faultsense.faults[0]!;
    assert.match(content, new RegExp(`^故障：${top.title}（置信度 \\d+%，严重）`), 'the title as the diagnosis gives it for a Chinese question');
    assert.match(content, /维修步骤：/);
    assert.match(content, /显示屏(在 \d+ 帧中)?读到报警 E-042/);
    assert.equal((r.choices[0] as unknown as WithDiagnosis).faultsense.faults[0]!.id, FAULT);
  });

  it('streams reasoning then content, with usage, ending in [DONE] (the same media now from the feature cache)', async () => {
    const stream = await client.chat.completions.create({
      model: 'faultsense', stream: true, stream_options: { include_usage: true },
      messages: [{ role: 'user', content: mediaParts('What is that noise?') }],
      // Request-body flags as an OpenAI-compatible server takes them.
      ...({ enable_thinking: true } as object),
    });
    let reasoning = '';
    let content = '';
    let role: string | undefined;
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    let diagnosis: Diagnosis | undefined;
    let contentBeforeReasoning = false;
    for await (const chunk of stream) {
      if (chunk.usage) usage = chunk.usage;
      const c = chunk.choices[0];
      if (!c) continue;
      role ??= c.delta.role;
      const r = (c.delta as WithReasoning).reasoning_content;
      if (r) { reasoning += r; if (content) contentBeforeReasoning = true; }
      if (c.delta.content) content += c.delta.content;
      if (c.finish_reason) finish = c.finish_reason;
      diagnosis ??= (c as unknown as Partial<WithDiagnosis>).faultsense;
    }
    assert.equal(role, 'assistant');
    assert.equal(finish, 'stop');
    assert.equal(contentBeforeReasoning, false, 'the evidence chain comes before the answer');
    assert.match(reasoning, /Quality gate: vision quality [\d.]+/);
    assert.match(reasoning, new RegExp(`Chosen ${FAULT} \\(\\d+%\\), matched signals: [^\\n]*alarm:E-042`));
    for (const c of diagnosis?.candidates ?? []) assert.match(reasoning, new RegExp(`Candidate ${c.id} \\(\\d+%, \\d+% on its own\\) not raised: `));
    for (const f of diagnosis?.faults.slice(1) ?? []) assert.match(reasoning, new RegExp(`Candidate ${f.id} \\(\\d+%\\) lost: \\d+ points below`));
    assert.match(reasoning, /features from the cache/, 'repeated media come from the feature cache');
    assert.match(content, new RegExp(`^Fault: ${TITLE}`));
    assert.equal(diagnosis?.faults[0]?.id, FAULT);
    assert.equal(diagnosis?.timings.cacheHit, true);
    assert.ok(usage && usage.total_tokens === usage.prompt_tokens + usage.completion_tokens);
  });

  it('returns the Diagnosis as JSON content for response_format json_schema', async () => {
    const r = await client.chat.completions.create({
      model: 'faultsense', messages: [{ role: 'user', content: mediaParts('Diagnose the machine') }],
      response_format: { type: 'json_schema', json_schema: { name: 'diagnosis', schema: { type: 'object' } } },
    });
    const parsed = JSON.parse(r.choices[0]!.message.content ?? 'null') as Diagnosis;
    assert.equal(parsed.faults[0]!.id, FAULT);
    assert.ok(['warning', 'critical'].includes(parsed.severity));
    assert.ok(parsed.modalities.vision && parsed.modalities.audio);
  });

  it('LangChain ChatOpenAI streams an answer with the reasoning flags passed as model kwargs', async () => {
    const llm = new ChatOpenAI({
      model: 'faultsense', apiKey: d.token, configuration: { baseURL: `${d.url}/v1` }, streaming: true, maxRetries: 0,
      modelKwargs: { enable_thinking: true, return_reasoning: true },
    });
    const message = new HumanMessage({ content: mediaParts('为什么主轴报警？') as never });
    let content = '';
    let reasoning = '';
    let chunks = 0;
    for await (const chunk of await llm.stream([message])) {
      chunks++;
      if (typeof chunk.content === 'string') content += chunk.content;
      const r = chunk.additional_kwargs?.reasoning_content;
      if (typeof r === 'string') reasoning += r;
    }
    assert.ok(chunks > 3, `streamed in pieces (${chunks} chunks)`);
    assert.match(content, /^故障：.+（置信度 \d+%，严重）/);
    assert.match(reasoning, new RegExp(`首选 ${FAULT}`));
  });

  it('LangChain invoke (non-streaming) gives the same answer', async () => {
    const llm = new ChatOpenAI({ model: 'faultsense', apiKey: d.token, configuration: { baseURL: `${d.url}/v1` }, maxRetries: 0 });
    const res = await llm.invoke([new HumanMessage({ content: mediaParts('What is wrong?') as never })]);
    assert.match(String(res.content), new RegExp(`^Fault: ${TITLE}`));
  });

  it('answers about the live machine when the question carries no media', async () => {
    const r = await client.chat.completions.create({
      model: 'faultsense', messages: [{ role: 'system', content: 'You are a maintenance assistant.' }, { role: 'user', content: 'What is wrong right now?' }],
      ...({ return_reasoning: true } as object),
    });
    const choice = r.choices[0]!;
    const diagnosis = (choice as unknown as WithDiagnosis).faultsense;
    assert.equal(diagnosis.input?.mode, 'live');
    assert.ok(diagnosis.modalities.vision || diagnosis.modalities.audio, 'the live camera or microphone was analysed');
    assert.match(choice.message.content ?? '', /Faults currently raised on the machine: /);
    assert.match((choice.message as WithReasoning).reasoning_content ?? '', /Input: live: /);
    assert.match((choice.message as WithReasoning).reasoning_content ?? '', /Fault state of the daemon: \{"raised":/);
  });

  it('the daemon\'s analysis stages and its questions share one InferenceSlot, the stages first (/readyz)', async () => {
    const j = await (await fetch(`${d.url}/readyz`)).json() as { components: Record<string, Record<string, unknown>> };
    const slot = j.components.api!.pipelineFirst as { pipelineRuns: number; granted: number; waiting: number; pipelineMeanMs: number };
    const analysed = (j.components['analysis.vision']!.analysed as number) + (j.components['analysis.audio']!.analysed as number);
    assert.ok(slot.pipelineRuns >= analysed && analysed > 0, `every analysed frame and window ran as pipeline work (${slot.pipelineRuns} ≥ ${analysed})`);
    assert.ok(slot.pipelineMeanMs > 0);
    assert.ok(slot.granted >= 1, 'the questions asked so far waited for idle moments');
    assert.equal(slot.waiting, 0);
  });

  it('the SDK client asks, streams, uploads and reads the feed', async () => {
    const fs = new FaultsenseClient(d.url, d.token);
    assert.deepEqual(await fs.models(), ['faultsense']);
    const image = join(DEMO, 'panel-alarm.png');
    const audio = readFileSync(join(DEMO, 'machine-alarm.wav'));
    const a = await fs.ask('What is wrong?', { image, audio });
    assert.equal(a.diagnosis.faults[0]!.id, FAULT);
    assert.match(a.reasoning ?? '', /Chosen spindle-bearing-overheat/);
    const kinds: string[] = [];
    let text = '';
    for await (const delta of fs.askStream('What is wrong?', { image, audio })) {
      kinds.push(delta.type);
      if (delta.type === 'content') text += delta.text;
    }
    assert.equal(kinds[0], 'reasoning');
    assert.equal(kinds[kinds.length - 1], 'done');
    assert.equal(text, a.content);
    const uploaded = await fs.diagnose({ image, audio, question: 'what is that noise?' });
    assert.equal(uploaded.faults[0]!.id, FAULT);
    const latest = await fs.latest();
    assert.ok(latest && latest.seq >= 1 && latest.deviceId === 'api-test', 'the last published diagnosis carries its seq');
    const stop = new AbortController();
    const events = fs.events(stop.signal);
    const first = await events.next();
    stop.abort();
    assert.equal(first.done, false);
    assert.ok((first.value as PublishedDiagnosis).seq >= 1);
  });

  // --- errors, in OpenAI's shape ---
  const post = (body: unknown, token: string | null = d.token): Promise<Response> => fetch(`${d.url}/v1/chat/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const errorOf = async (r: Response): Promise<{ message: string; type: string; param: string | null; code: string | null }> => {
    const j = await r.json() as { error: { message: string; type: string; param: string | null; code: string | null } };
    assert.equal(typeof j.error.message, 'string');
    assert.ok('param' in j.error && 'code' in j.error && 'type' in j.error, 'OpenAI error shape');
    return j.error;
  };
  const ask = (content: unknown) => ({ model: 'faultsense', messages: [{ role: 'user', content }] });

  it('401 without or with a wrong bearer token; probes stay open', async () => {
    const none = await post(ask('hi'), null);
    assert.equal(none.status, 401);
    assert.equal((await errorOf(none)).type, 'authentication_error');
    const wrong = new OpenAI({ apiKey: 'not-the-token', baseURL: `${d.url}/v1`, maxRetries: 0 });
    await assert.rejects(wrong.models.list(), (e: unknown) => e instanceof OpenAI.AuthenticationError && e.status === 401);
    assert.equal((await fetch(`${d.url}/healthz`)).status, 200);
    const readyz = await fetch(`${d.url}/readyz`);
    assert.equal(readyz.status, 200);
    assert.ok('api' in ((await readyz.json()) as { components: Record<string, unknown> }).components);
    const doc = await (await fetch(`${d.url}/openapi.json`)).json() as { openapi: string; paths: Record<string, unknown> };
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.paths['/v1/chat/completions'] && doc.paths['/api/diagnose']);
    assert.deepEqual((doc.paths['/asyncapi.json'] as { get?: { security?: unknown[] } } | undefined)?.get?.security, [], 'the MQTT contract is listed, open');
    const mqttDoc = await (await fetch(`${d.url}/asyncapi.json`)).json() as { asyncapi: string; channels: Record<string, unknown> };
    assert.equal(mqttDoc.asyncapi, '3.1.0', 'the MQTT contract is served without a token');
    assert.ok(mqttDoc.channels.diagnosis && mqttDoc.channels['cmd-diagnose-now']);
  });

  it('404 for an unknown model (openai client raises NotFoundError) and for an unknown route', async () => {
    await assert.rejects(client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
      (e: unknown) => e instanceof OpenAI.NotFoundError && e.status === 404 && (e.error as { code?: string }).code === 'model_not_found');
    const r = await fetch(`${d.url}/v2/nothing`, { headers: { authorization: `Bearer ${d.token}` } });
    assert.equal(r.status, 404);
    assert.equal((await errorOf(r)).type, 'not_found_error');
  });

  it('400 for bad parts, naming the part', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [[{ type: 'video_url', video_url: { url: 'x' } }], /messages\[0\]\.content\[0\]: content part type "video_url" is not supported/],
      [[{ type: 'image_url', image_url: { url: 'data:image/png;base64,!!!notbase64!!!' } }], /messages\[0\]\.content\[0\]: the image data is not valid base64/],
      [[{ type: 'image_url', image_url: { url: 'data:text/plain;base64,aGVsbG8=' } }], /image type text\/plain is not supported/],
      [[{ type: 'image_url', image_url: { url: `data:image/png;base64,${Buffer.from('not a png at all').toString('base64')}` } }], /messages\[0\]\.content\[0\] \(image\): cannot decode as an image/],
      [[{ type: 'input_audio', input_audio: { data: demoWavBase64('abnormal.wav').slice(0, 100), format: 'ogg' } }], /audio format "ogg" is not supported; use wav or mp3/],
      [[{ type: 'image_url', image_url: { url: 'http://localhost/panel.png' } }], /localhost is not in api.allowFetch/],
      [[{ type: 'image_url', image_url: { url: 'file:///etc/passwd' } }], /only data: and http\(s\): image URLs/],
    ];
    for (const [content, re] of cases) {
      const r = await post(ask(content));
      assert.equal(r.status, 400, `status for ${JSON.stringify(content).slice(0, 80)}`);
      assert.match((await errorOf(r)).message, re);
    }
    const noMessages = await post({ model: 'faultsense', messages: [] });
    assert.equal(noMessages.status, 400);
    assert.equal((await errorOf(noMessages)).param, 'messages');
    const notJson = await post('{"model": ');
    assert.equal(notJson.status, 400);
    await assert.rejects(client.chat.completions.create({ model: 'faultsense', messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'x' } }] }] }),
      (e: unknown) => e instanceof OpenAI.BadRequestError);
  });

  it('an error found after the stream started arrives as an error event the openai client raises', async () => {
    const stream = await client.chat.completions.create({
      model: 'faultsense', stream: true,
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${Buffer.from('not a png').toString('base64')}` } }] }],
    });
    await assert.rejects(async () => { for await (const _ of stream) { /* role chunk, then the error */ } },
      (e: unknown) => e instanceof OpenAI.APIError && /cannot decode as an image/.test(e.message));
  });

  it('fetches an http image only from a host in api.allowFetch', async () => {
    const png = readFileSync(join(DEMO, 'panel-alarm.png'));
    const srv = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'image/png' }); res.end(png); });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    try {
      const port = (srv.address() as { port: number }).port;
      const r = await post(ask([{ type: 'text', text: 'what does the display say?' }, { type: 'image_url', image_url: { url: `http://127.0.0.1:${port}/panel.png` } }]));
      assert.equal(r.status, 200);
      const j = await r.json() as { choices: Array<WithDiagnosis & { message: { content: string } }> };
      assert.equal(j.choices[0]!.faultsense.faults[0]!.id, FAULT);
      assert.match(j.choices[0]!.message.content, /Sound: not assessed \(no audio\)/, 'an absent modality is said to be absent');
    } finally {
      srv.close();
    }
  });

  // Sent with uploadRaw, which takes the first answer as the outcome whatever the write
  // side sees; test/api/refused-body.test.ts checks that ordinary clients get the 413 too.
  const sendRaw = (path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; body: string }> =>
    uploadRaw(`${d.url}${path}`, body, { headers: { authorization: `Bearer ${d.token}`, ...headers } });

  it('413 for a body over api.bodyLimit, JSON or multipart', async () => {
    const big = Buffer.alloc(5_000_000, 1).toString('base64');
    const r = await sendRaw('/v1/chat/completions', { 'content-type': 'application/json' }, Buffer.from(JSON.stringify(ask([{ type: 'input_audio', input_audio: { data: big, format: 'wav' } }]))));
    assert.equal(r.status, 413);
    assert.equal((JSON.parse(r.body) as { error: { code: string } }).error.code, 'request_too_large');
    const boundary = 'faultsense-test-boundary';
    const multipart = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="audio"; filename="big.wav"\r\nContent-Type: audio/wav\r\n\r\n`),
      Buffer.alloc(5_000_000, 1),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const m = await sendRaw('/api/diagnose', { 'content-type': `multipart/form-data; boundary=${boundary}` }, multipart);
    assert.equal(m.status, 413);
    assert.equal((JSON.parse(m.body) as { error: { code: string } }).error.code, 'request_too_large');
  });

  it('429 with Retry-After when more questions arrive than maxConcurrent + maxQueued', async () => {
    // Different recordings, so none is answered from the cache while the others wait.
    const wav = readFileSync(join(DEMO, 'abnormal.wav'));
    const variants = [1, 2, 3, 4].map((k) => { const b = Buffer.from(wav); b.writeInt16LE(k * 97, 1000); return b.toString('base64'); });
    const rs = await Promise.all(variants.map((data) => post(ask([{ type: 'text', text: 'noise?' }, { type: 'input_audio', input_audio: { data, format: 'wav' } }]))));
    const statuses = rs.map((r) => r.status).sort();
    assert.ok(statuses.includes(200), `one is answered (${statuses})`);
    const refused = rs.filter((r) => r.status === 429);
    assert.ok(refused.length >= 1, `the others are refused (${statuses})`);
    assert.match(refused[0]!.headers.get('retry-after') ?? '', /^\d+$/);
    assert.equal((await errorOf(refused[0]!)).type, 'rate_limit_error');
  });

  it('POST /api/diagnose without files is a 400', async () => {
    const form = new FormData();
    form.append('question', 'anything?');
    const r = await fetch(`${d.url}/api/diagnose`, { method: 'POST', headers: { authorization: `Bearer ${d.token}` }, body: form });
    assert.equal(r.status, 400);
    assert.match((await errorOf(r)).message, /no image or audio file/);
  });

  // --- Prometheus metrics (issue 15) ---
  interface Family { name: string; type: string; metrics: Array<{ value?: string; labels?: Record<string, string> }> }
  const scrape = async (): Promise<Family[]> => {
    const r = await fetch(`${d.url}/metrics`, { headers: { authorization: `Bearer ${d.token}` } });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    return (parsePrometheusTextFormat as (t: string) => Family[])(await r.text());
  };
  const value = (fams: Family[], name: string, labels: Record<string, string> = {}): number | undefined => {
    const m = fams.find((f) => f.name === name)?.metrics.find((s) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v));
    return m?.value === undefined ? undefined : Number(m.value);
  };

  it('/metrics parses as Prometheus text, counters increase, labels stay bounded', async () => {
    assert.equal((await fetch(`${d.url}/metrics`)).status, 401, 'behind the token like the rest of the API');
    const first = await scrape();
    await new Promise((r) => setTimeout(r, 2500));
    await client.chat.completions.create({ model: 'faultsense', messages: [{ role: 'user', content: 'status?' }] });
    const second = await scrape();
    const frames1 = value(first, 'faultsense_capture_frames_total', { source: 'camera' });
    const frames2 = value(second, 'faultsense_capture_frames_total', { source: 'camera' });
    assert.ok(frames1 !== undefined && frames2 !== undefined && frames2 > frames1, `camera frames counted (${frames1} → ${frames2})`);
    const windows1 = value(first, 'faultsense_capture_frames_total', { source: 'microphone' })!;
    assert.ok(value(second, 'faultsense_capture_frames_total', { source: 'microphone' })! > windows1);
    assert.equal(value(second, 'faultsense_api_questions_answered_total'), value(first, 'faultsense_api_questions_answered_total')! + 1, 'the question between the scrapes was counted');
    for (const reason of ['queue_full', 'pipeline_busy']) assert.ok(value(second, 'faultsense_api_questions_refused_total', { reason })! >= 0, `refusals by reason ${reason}`);
    assert.ok(value(second, 'faultsense_diagnoses_published_total')! >= 1, 'published');
    assert.equal(value(second, 'faultsense_mqtt_connected'), 1);
    assert.equal(value(second, 'faultsense_capture_online', { source: 'camera' }), 1);
    assert.ok(value(second, 'faultsense_board_disk_free_bytes', { dir: 'state' })! > 0, 'disk free');
    assert.equal(value(second, 'faultsense_disk_level'), 0, 'the disk governor reports, normal here');
    assert.equal(value(second, 'faultsense_disk_trimmed_bytes_total'), 0);
    assert.ok(value(second, 'faultsense_process_resident_memory_bytes')! > 0, 'rss');
    assert.ok(second.some((f) => f.name === 'faultsense_nodejs_eventloop_lag_seconds'), 'event-loop lag');
    // Fault gauges: one series per catalogued fault (and the unknown anomaly), whatever was diagnosed.
    const faults = second.find((f) => f.name === 'faultsense_fault_raised')!.metrics.map((m) => m.labels!.fault!).sort();
    const catalogIds = [...readFileSync(join(DEMO, '..', 'config', 'faults.example.yaml'), 'utf8').matchAll(/^ {2}- id: (\S+)/gm)].map((m) => m[1]!);
    assert.deepEqual(faults, [...catalogIds, 'unknown-anomaly'].sort());
    // Bounded: the same series in both scrapes, and no label value that names one diagnosis.
    const series = (fams: Family[]) => fams.filter((f) => f.name.startsWith('faultsense_') && !f.name.includes('_gc_'))
      .flatMap((f) => f.metrics.map((m) => `${f.name}${JSON.stringify(m.labels ?? {})}`)).sort();
    assert.deepEqual(series(second).filter((s) => !s.includes('nodejs_')), series(first).filter((s) => !s.includes('nodejs_')));
    // The Grafana dashboard in docs/ is built on metrics that exist.
    const dashboard = readFileSync(join(DEMO, '..', 'docs', 'grafana-dashboard.json'), 'utf8');
    const used = [...new Set([...dashboard.matchAll(/faultsense_[a-z0-9_]+/g)].map((m) => m[0]))];
    const names = new Set(second.flatMap((f) => (f.type === 'HISTOGRAM' ? [f.name, `${f.name}_bucket`, `${f.name}_sum`, `${f.name}_count`] : [f.name])));
    assert.deepEqual(used.filter((n) => !names.has(n)), [], 'dashboard metrics missing from /metrics');
    const labelValues = second.flatMap((f) => f.metrics.flatMap((m) => Object.values(m.labels ?? {})));
    assert.ok(!labelValues.some((v) => /[0-9a-f]{8}-[0-9a-f]{4}-/.test(v)), 'no diagnosis ids as labels');
  });
});
