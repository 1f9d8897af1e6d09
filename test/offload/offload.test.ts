// Offloading end to end: a real mosquitto, real ffmpeg, real OCR, and edge
// workers running the real `faultsense edge` command as child processes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import mqtt from 'mqtt';
import type { Config } from '../../src/config/schema.js';
import type { FaultCatalog } from '../../src/diagnosis/catalog.js';
import { cutSegments } from '../../src/offload/ffmpeg-video.js';
import { encode, offloadTopics, PROTOCOL_VERSION, splitChunks, type OffloadJob, type WorkerReply } from '../../src/offload/protocol.js';
import type { TimelineEntry } from '../../src/offload/timeline.js';
import type { VideoAnalysisReport } from '../../src/offload/video-analysis.js';
import type { OffloadVision } from '../../src/offload/vision-select.js';
import { missingPrograms } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';
import { Mosquitto } from '../publish/broker.js';
import {
  ALARM_AT_SEC, boardConfig, boardVision, CLI_ENTRY, contentOf, makeBoard, makePanelVideo, REPO, SAMPLE_FPS, startWorker,
  writeCatalog, type WorkerProcess,
} from './fixtures.js';

const missing = missingPrograms(['ffmpeg', 'ffprobe', 'mosquitto'], 'offload tests');

function alarmAppeared(timeline: TimelineEntry[], code = 'E-042'): TimelineEntry | undefined {
  return timeline.find((e) => e.kind === 'alarm-code' && e.code === code && e.change === 'appeared');
}

interface Setup {
  broker: Mosquitto;
  dir: string;
  video: string;
  catalogFile: string;
  catalog: FaultCatalog;
  vision: OffloadVision;
  config: Config;
  workers: WorkerProcess[];
}

// Set up at the top level so the clean-up hooks (broker, workers, temp dirs) run when the file ends.
async function setUp(): Promise<Setup> {
  const broker = await Mosquitto.start();
  const dir = tempDir('faultsense-offload-');
  const video = makePanelVideo(dir);
  const catalogFile = writeCatalog(dir);
  const config = boardConfig(broker.url);
  const [workers, { vision, catalog }] = await Promise.all([
    Promise.all([startWorker(broker.url, 'edge-a', catalogFile), startWorker(broker.url, 'edge-b', catalogFile)]),
    boardVision(config, catalogFile),
  ]);
  return { broker, dir, video, catalogFile, catalog, vision, config, workers };
}
const setup = missing.length ? undefined : await setUp();

describe('edge offload', { skip: missing.length > 0, timeout: 240_000 }, () => {
  const { broker, dir, video, catalogFile, catalog, vision, config, workers } = setup ?? ({} as Setup);
  let reference: { timeline: TimelineEntry[] } | undefined;

  test('analyze-video with two workers: the alarm code appears within one sampling interval of 75 s, the diagnosis names it', async () => {
    const cfgFile = join(dir, 'board.yaml');
    writeFileSync(cfgFile, [`deviceId: board1`, `stateDir: ${join(dir, 'state')}`,
      'offload:', '  segmentSeconds: 10', '  chunkBytes: 4096', '  discoverSec: 0.5'].join('\n') + '\n');
    const child = spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, 'analyze-video', video, '-c', cfgFile, '--mqtt', broker.url,
      '--faults', catalogFile, '--sample-fps', String(SAMPLE_FPS), '--json'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    assert.equal(code, 0, `analyze-video failed:\n${err.slice(-3000)}`);
    const doc = JSON.parse(out) as { timeline: TimelineEntry[]; diagnosis: VideoAnalysisReport['diagnosis']; offload: VideoAnalysisReport['offload'] };
    assert.equal(doc.offload.placement, 'edge', doc.offload.reason);
    assert.equal(doc.offload.segments, 12);
    assert.ok((doc.offload.workers['edge-a'] ?? 0) > 0 && (doc.offload.workers['edge-b'] ?? 0) > 0,
      `both workers should have taken segments: ${JSON.stringify(doc.offload.workers)}`);
    assert.equal(doc.offload.workers.local, undefined);
    const appeared = alarmAppeared(doc.timeline);
    assert.ok(appeared, `E-042 not in the timeline: ${JSON.stringify(doc.timeline)}`);
    assert.ok(appeared.t >= ALARM_AT_SEC && appeared.t <= ALARM_AT_SEC + 1 / SAMPLE_FPS, `E-042 appeared at ${appeared.t} s`);
    assert.match(appeared.worker, /^edge-[ab]$/);
    assert.ok(!doc.timeline.some((e) => e.kind === 'alarm-code' && e.t < ALARM_AT_SEC), 'no alarm code before 75 s');
    assert.equal(doc.diagnosis.faults[0]?.id, 'spindle-overtemp');
    assert.ok(doc.diagnosis.faults[0]!.matched.some((m) => m.includes('E-042')), JSON.stringify(doc.diagnosis.faults[0]));
    assert.deepEqual(doc.diagnosis.modalities.vision?.alarmCodes, ['E-042']);
    assert.match(doc.diagnosis.summary, /E-042/);
    // --json: progress comes as JSON events on stderr, the last one for all 12 segments.
    const events = err.split('\n').filter((l) => l.startsWith('{"progress"'))
      .map((l) => (JSON.parse(l) as { progress: { task: string; done: number; total: number; unit: string } }).progress);
    const last = events.at(-1);
    assert.ok(last, `progress events on stderr:\n${err.slice(-2000)}`);
    assert.deepEqual([last.task, last.done, last.total, last.unit], ['analyze-video', 12, 12, 'segments']);
    reference = doc;
  });

  test('a worker killed mid-job: its segment is dispatched again and the result is identical', async () => {
    assert.ok(reference, 'needs the two-worker run');
    const board = await makeBoard(config, catalog, vision);
    let killed: string | undefined;
    const report = await board.analyze({
      source: { kind: 'file', path: video },
      onProgress: (p) => {
        if (killed) return;
        const busy = Object.entries(p.perWorker).find(([id, w]) => id !== 'local' && w.framesDone > 0 && p.done >= 2);
        if (busy) {
          killed = busy[0];
          void workers.find((w) => w.id === killed)!.kill('SIGKILL');
        }
      },
    });
    assert.ok(killed, 'a worker was killed mid-job');
    assert.equal(report.offload.placement, 'edge', report.offload.reason);
    assert.ok(report.offload.redispatched >= 1, `re-dispatched ${report.offload.redispatched}`);
    assert.equal(Object.values(report.offload.workers).reduce((a, b) => a + b, 0), 12, JSON.stringify(report.offload.workers));
    assert.deepEqual(contentOf(report.timeline), contentOf(reference.timeline));
    assert.equal(report.diagnosis.faults[0]?.id, 'spindle-overtemp');
  });

  test('corrupted chunk, oversized and malformed jobs get error results and the worker keeps serving', async () => {
    const live = workers.filter((w) => w.alive());
    assert.ok(live.length >= 1);
    const topics = offloadTopics('faultsense');
    const replyTopic = topics.replies('tester', 'bad-jobs');
    const client = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
    const replies: WorkerReply[] = [];
    client.on('message', (t, p) => { if (t === replyTopic) replies.push(JSON.parse(p.toString()) as WorkerReply); });
    await client.subscribeAsync(replyTopic, { qos: 1 });
    const waitReply = async (pred: (r: WorkerReply) => boolean, what: string): Promise<WorkerReply> => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const r = replies.find(pred);
        if (r) return r;
        if (Date.now() > deadline) throw new Error(`no ${what}; replies: ${JSON.stringify(replies)}`);
        await new Promise((res) => setTimeout(res, 25));
      }
    };
    try {
      const segDir = tempDir('faultsense-offload-seg-');
      const seg = (await cutSegments(video, segDir, 10))[7]!; // 70-80 s: shows E-042 from 75 s
      const bytes = readFileSync(seg.path);
      const chunkBytes = 4096;
      const job = (id: string, over: Partial<OffloadJob['segment']> = {}): OffloadJob => ({
        v: PROTOCOL_VERSION, jobId: id, dispatchId: `${id}.1`, attempt: 1, requester: 'tester', replyTopic,
        chunkTopic: topics.chunks(`${id}.1`), sampleFps: SAMPLE_FPS, deadlineSec: 30,
        segment: { index: 7, startSec: 70, durationSec: 10, format: seg.format, bytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'), chunks: Math.ceil(bytes.length / chunkBytes), chunkBytes, ...over },
      });
      const props = { qos: 1 as const, properties: { responseTopic: replyTopic } };

      await client.publishAsync(topics.jobs, Buffer.from('{"v":1,"jobId":'), props);
      const malformed = await waitReply((r) => r.type === 'error' && r.code === 'malformed', 'malformed-job error');
      assert.match((malformed as { message: string }).message, /not JSON/);

      await client.publishAsync(topics.jobs, encode({ ...job('j-schema'), sampleFps: 'fast' }), props);
      await waitReply((r) => r.type === 'error' && r.code === 'malformed' && /sampleFps/.test(r.message), 'invalid-field error');

      const huge = 200 * 1024 * 1024;
      await client.publishAsync(topics.jobs, encode(job('j-huge', { bytes: huge, chunks: Math.ceil(huge / chunkBytes) })), props);
      const oversized = await waitReply((r) => r.type === 'error' && r.jobId === 'j-huge', 'oversized-job error');
      assert.equal((oversized as { code: string }).code, 'oversized');

      const send = async (j: OffloadJob, corrupt: boolean) => {
        await client.publishAsync(topics.jobs, encode(j), props);
        await waitReply((r) => r.type === 'ack' && r.dispatchId === j.dispatchId, `ack of ${j.jobId}`);
        const chunks = splitChunks(bytes, chunkBytes).map((c, i) => {
          if (!corrupt || i !== 0) return c;
          const bad = Buffer.from(c);
          bad[bad.length - 1] = bad[bad.length - 1]! ^ 0xff;
          return bad;
        });
        for (const [i, c] of chunks.entries()) await client.publishAsync(`${j.chunkTopic}/${i}`, c, { qos: 1 });
      };
      await send(job('j-corrupt'), true);
      const corrupt = await waitReply((r) => r.type === 'error' && r.jobId === 'j-corrupt', 'corrupt-chunk error');
      assert.equal((corrupt as { code: string }).code, 'corrupt');
      assert.match((corrupt as { message: string }).message, /sha256/);

      await client.publishAsync(topics.jobs, encode(job('j-cancel')), props);
      await waitReply((r) => r.type === 'ack' && r.jobId === 'j-cancel', 'ack of j-cancel');
      await client.publishAsync(`${topics.chunks('j-cancel.1')}/cancel`, Buffer.alloc(0), { qos: 1 });
      const cancelled = await waitReply((r) => r.type === 'error' && r.jobId === 'j-cancel', 'cancelled-job error');
      assert.match((cancelled as { message: string }).message, /cancelled/);

      await send(job('j-good'), false);
      const good = await waitReply((r) => r.jobId === 'j-good' && (r.type === 'result' || r.type === 'error'), 'result of a valid job');
      assert.equal(good.type, 'result', JSON.stringify(good));
      const frames = (good as Extract<WorkerReply, { type: 'result' }>).frames;
      assert.equal(frames.length, 5);
      assert.deepEqual(frames.map((f) => f.findings.alarmCodes.includes('E-042')), [false, false, false, true, true]);
      for (const w of live) assert.ok(w.alive(), `${w.id} still runs:\n${w.stderr().slice(-2000)}`);
    } finally {
      await client.endAsync(true);
    }
  });

  test('no worker online: the board analyses locally at a reduced rate and says so', async () => {
    const lonely = boardConfig(broker.url, { baseTopic: 'no-workers-here' });
    const board = await makeBoard(lonely, catalog, vision);
    const report = await board.analyze({ source: { kind: 'file', path: video } });
    assert.equal(report.offload.placement, 'local-fallback');
    assert.match(report.offload.reason, /no edge worker online/);
    assert.equal(report.offload.fallback?.sampleFps, SAMPLE_FPS / 2);
    assert.deepEqual(report.offload.workers, { local: 1 });
    const appeared = alarmAppeared(report.timeline);
    assert.ok(appeared && appeared.t >= ALARM_AT_SEC && appeared.t <= ALARM_AT_SEC + 2 / SAMPLE_FPS, JSON.stringify(appeared));
    assert.equal(appeared.worker, 'local');
    assert.equal(report.diagnosis.faults[0]?.id, 'spindle-overtemp');
  });

  test('ranges of 30 s or less never leave the board', async () => {
    const spy = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
    const seen: string[] = [];
    spy.on('message', (t) => { if (!t.includes('/workers/')) seen.push(t); });
    await spy.subscribeAsync('faultsense/offload/#', { qos: 1 });
    try {
      const board = await makeBoard(config, catalog, vision);
      const report = await board.analyze({ source: { kind: 'file', path: video, fromSec: 60, toSec: 90 } });
      assert.equal(report.offload.placement, 'local');
      assert.match(report.offload.reason, /within localMaxSeconds/);
      assert.deepEqual(report.offload.workers, { local: 1 });
      const appeared = alarmAppeared(report.timeline);
      assert.ok(appeared && appeared.t >= ALARM_AT_SEC - 60 && appeared.t <= ALARM_AT_SEC - 60 + 1 / SAMPLE_FPS, JSON.stringify(report.timeline));
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(seen, [], 'nothing was published for offloading');
    } finally {
      await spy.endAsync(true);
    }
  });
});
