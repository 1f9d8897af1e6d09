// Offload against a hostile client on the same broker: real mosquitto, real
// ffmpeg, edge workers running the real `faultsense edge` command. A playlist
// job must not read local files, a claimed job that never sends bytes must not
// hold the worker, oversized pictures are refused, a forged result is ignored,
// and with a shared key unsigned jobs and replies are dropped.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import { validateConfig } from '../../src/config/load.js';
import { cutSegments } from '../../src/offload/ffmpeg-video.js';
import { brokerUrl, linkOptionsFrom } from '../../src/offload/mqtt-link.js';
import { encode, offloadTopics, PROTOCOL_VERSION, splitChunks, type OffloadJob, type WorkerReply } from '../../src/offload/protocol.js';
import { signedProperties, verifySignature } from '../../src/offload/signing.js';
import { VideoRangeAnalyzer } from '../../src/offload/video-analysis.js';
import { emptyCatalog } from '../../src/diagnosis/catalog.js';
import { missingPrograms } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';
import { Mosquitto } from '../publish/broker.js';
import { makePanelVideo, startWorker, writeCatalog, type WorkerProcess } from './fixtures.js';

const missing = missingPrograms(['ffmpeg', 'ffprobe', 'mosquitto'], 'hostile offload tests');

const KEY = 'c0ffee'.repeat(8);
const SIGNED_BASE = 'signedfs';
const TIGHT_BASE = 'tightfs';

interface Setup { broker: Mosquitto; dir: string; video: string; catalog: string; plain: WorkerProcess; signed: WorkerProcess; keyFile: string }

async function setUp(): Promise<Setup> {
  const broker = await Mosquitto.start();
  const dir = tempDir('faultsense-hostile-');
  const video = makePanelVideo(dir, 20);
  const catalog = writeCatalog(dir);
  const keyFile = join(dir, 'offload.key');
  writeFileSync(keyFile, `${KEY}\n`, { mode: 0o600 });
  const plainCfg = join(dir, 'plain.yaml');
  writeFileSync(plainCfg, ['edge:', '  firstChunkTimeoutSec: 1', '  maxPixels: 100000', ''].join('\n'));
  const signedCfg = join(dir, 'signed.yaml');
  writeFileSync(signedCfg, ['mqtt:', `  baseTopic: ${SIGNED_BASE}`, 'offload:', `  sharedKeyFile: ${keyFile}`, ''].join('\n'));
  const [plain, signed] = await Promise.all([
    startWorker(broker.url, 'edge-plain', catalog, ['-c', plainCfg]),
    startWorker(broker.url, 'edge-signed', catalog, ['-c', signedCfg], SIGNED_BASE),
  ]);
  return { broker, dir, video, catalog, plain, signed, keyFile };
}
const setup = missing.length ? undefined : await setUp();

/** A client that collects replies on one reply topic. */
async function replyCollector(url: string, replyTopic: string): Promise<{ client: MqttClient; replies: Array<{ r: WorkerReply; signedOk: boolean }>;
  wait: (pred: (r: WorkerReply) => boolean, what: string, ms?: number) => Promise<WorkerReply> }> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 5 });
  const replies: Array<{ r: WorkerReply; signedOk: boolean }> = [];
  client.on('message', (t, p, packet) => {
    if (t === replyTopic) replies.push({ r: JSON.parse(p.toString()) as WorkerReply, signedOk: verifySignature(Buffer.from(KEY), t, p, packet) });
  });
  await client.subscribeAsync(replyTopic, { qos: 1 });
  const wait = async (pred: (r: WorkerReply) => boolean, what: string, ms = 20_000): Promise<WorkerReply> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = replies.find((x) => pred(x.r));
      if (hit) return hit.r;
      if (Date.now() > deadline) throw new Error(`no ${what}; replies: ${JSON.stringify(replies.map((x) => x.r))}`);
      await new Promise((res) => setTimeout(res, 25));
    }
  };
  return { client, replies, wait };
}

function jobFor(base: string, id: string, bytes: Buffer, replyTopic: string, segment: Partial<OffloadJob['segment']> = {}): OffloadJob {
  const chunkBytes = 4096;
  return {
    v: PROTOCOL_VERSION, jobId: id, dispatchId: `${id}.1`, attempt: 1, requester: 'tester', replyTopic,
    chunkTopic: offloadTopics(base).chunks(`${id}.1`), sampleFps: 0.5, deadlineSec: 60,
    segment: { index: 0, startSec: 0, durationSec: 10, format: 'mp4', bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'), chunks: Math.ceil(bytes.length / chunkBytes), chunkBytes, ...segment },
  };
}

async function sendBytes(client: MqttClient, job: OffloadJob, bytes: Buffer): Promise<void> {
  for (const [i, c] of splitChunks(bytes, job.segment.chunkBytes).entries()) await client.publishAsync(`${job.chunkTopic}/${i}`, c, { qos: 1 });
}

/** A board-side analyzer; local analysis is not expected (it would mean the offload failed). */
function board(url: string, base: string, keyFile?: string): VideoRangeAnalyzer {
  const config = validateConfig({ deviceId: 'board1', stateDir: tempDir(), mqtt: { url, baseTopic: base },
    offload: { sampleFps: 0.5, segmentSeconds: 10, localMaxSeconds: 5, ackTimeoutSec: 3, discoverSec: 0.5, chunkBytes: 4096,
      ...(keyFile ? { sharedKeyFile: keyFile } : {}) } });
  return new VideoRangeAnalyzer({ deviceId: 'board1', offload: config.offload, workDir: tempDir(), catalog: emptyCatalog(),
    vision: async () => { throw new Error('the board analysed a segment itself: the offload failed'); },
    mqtt: { link: linkOptionsFrom(config.mqtt, brokerUrl(config.mqtt), ''), baseTopic: base } });
}

/** Forges a result as soon as a worker acknowledges a dispatch on the board's reply topics. */
async function forger(url: string, base: string, as: (ackedBy: string) => string): Promise<{ forged: number; end: () => Promise<void> }> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 5 });
  const state = { forged: 0, end: () => client.endAsync(true) };
  client.on('message', (topic, payload) => {
    const r = JSON.parse(payload.toString()) as WorkerReply;
    if (r.type !== 'ack') return;
    state.forged++;
    const fake: WorkerReply = { type: 'result', jobId: r.jobId, dispatchId: r.dispatchId, workerId: as(r.workerId), segmentIndex: 0, sampleFps: 0.5,
      frames: [{ t: 0, findings: { quality: 1, anomalyScore: 0, text: ['X-666'], alarmCodes: ['X-666'] } }], timings: { transferMs: 0, decodeAnalyzeMs: 0 } };
    client.publish(topic, encode(fake), { qos: 1 });
  });
  await client.subscribeAsync(`${base}/offload/replies/#`, { qos: 1 });
  return state;
}

describe('hostile offload clients', { skip: missing.length > 0, timeout: 240_000 }, () => {
  const { broker, dir, video, catalog, plain, signed, keyFile } = setup ?? ({} as Setup);
  const topics = offloadTopics('faultsense');

  test('an HLS playlist naming a local video gets an error and no content; real bytes named "m3u8" are still analysed', async () => {
    const replyTopic = topics.replies('tester', 'hls');
    const c = await replyCollector(broker.url, replyTopic);
    try {
      const playlist = Buffer.from(['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-TARGETDURATION:20', '#EXT-X-MEDIA-SEQUENCE:0',
        '#EXTINF:20.0,', `file://${video}`, '#EXTINF:20.0,', video, '#EXT-X-ENDLIST', ''].join('\n'));
      const job = jobFor('faultsense', 'j-hls', playlist, replyTopic, { format: 'm3u8' });
      await c.client.publishAsync(topics.jobs, encode(job), { qos: 1 });
      await c.wait((r) => r.type === 'ack' && r.jobId === 'j-hls', 'ack of the playlist job');
      await sendBytes(c.client, job, playlist);
      const err = await c.wait((r) => r.jobId === 'j-hls' && (r.type === 'error' || r.type === 'result'), 'answer to the playlist job');
      assert.equal(err.type, 'error', JSON.stringify(err));
      assert.equal((err as { code: string }).code, 'unsupported');
      assert.match((err as { message: string }).message, /not mp4\/mov.*#EXTM3U/);
      // The video named in the playlist shows E-042 from 75 s and RUN before: none of its text may come back.
      const seg = (await cutSegments(video, tempDir(), 10))[0]!;
      const mp4 = readFileSync(seg.path);
      const good = jobFor('faultsense', 'j-named-m3u8', mp4, replyTopic, { format: 'm3u8' });
      await c.client.publishAsync(topics.jobs, encode(good), { qos: 1 });
      await c.wait((r) => r.type === 'ack' && r.jobId === 'j-named-m3u8', 'ack of the mp4 job named m3u8');
      await sendBytes(c.client, good, mp4);
      const res = await c.wait((r) => r.jobId === 'j-named-m3u8' && (r.type === 'result' || r.type === 'error'), 'its result');
      assert.equal(res.type, 'result', JSON.stringify(res));
      assert.ok(!c.replies.some((x) => x.r.jobId === 'j-hls' && x.r.type === 'result'), 'no result for the playlist');
      assert.ok(!c.replies.some((x) => x.r.jobId === 'j-hls' && JSON.stringify(x.r).includes('RUN')), 'no text of the named video');
    } finally {
      await c.client.endAsync(true);
    }
  });

  test('a claimed job that never sends bytes frees the worker after firstChunkTimeoutSec', async () => {
    const replyTopic = topics.replies('tester', 'silent');
    const c = await replyCollector(broker.url, replyTopic);
    try {
      const bytes = readFileSync(video);
      const silent = jobFor('faultsense', 'j-silent', bytes, replyTopic);
      await c.client.publishAsync(topics.jobs, encode(silent), { qos: 1 });
      await c.wait((r) => r.type === 'ack' && r.jobId === 'j-silent', 'ack');
      // Capacity 1: while the silent job holds the worker, another job is answered "busy".
      await c.client.publishAsync(topics.jobs, encode(jobFor('faultsense', 'j-while-held', bytes, replyTopic)), { qos: 1 });
      assert.equal(((await c.wait((r) => r.jobId === 'j-while-held', 'answer while held')) as { code?: string }).code, 'busy');
      const timeout = await c.wait((r) => r.type === 'error' && r.jobId === 'j-silent', 'transfer-timeout error', 10_000);
      assert.equal((timeout as { code: string }).code, 'transfer-timeout');
      assert.match((timeout as { message: string }).message, /no segment bytes arrived within 1000 ms/);
      await c.client.publishAsync(topics.jobs, encode(jobFor('faultsense', 'j-after', bytes, replyTopic)), { qos: 1 });
      await c.wait((r) => r.type === 'ack' && r.jobId === 'j-after', 'the worker takes the next job');
    } finally {
      await c.client.endAsync(true);
    }
  });

  test('the sender does not set the deadline: a job asking for 600 s gets the worker\'s 1 s', async () => {
    const tightCfg = join(dir, 'tight.yaml');
    writeFileSync(tightCfg, ['mqtt:', `  baseTopic: ${TIGHT_BASE}`, 'edge:', '  maxDeadlineSec: 1', ''].join('\n'));
    const tight = await startWorker(broker.url, 'edge-tight', catalog, ['-c', tightCfg], TIGHT_BASE);
    const tTopics = offloadTopics(TIGHT_BASE);
    const replyTopic = tTopics.replies('tester', 'deadline');
    const c = await replyCollector(broker.url, replyTopic);
    try {
      const bytes = readFileSync(video);
      // 20 s at 5 fps, frames scaled to 1280x720: 100 full-size frames of OCR, many seconds of work (at 320x180 the
      // reader once finished all 100 within the second).
      const job = { ...jobFor(TIGHT_BASE, 'j-long', bytes, replyTopic, { durationSec: 20, width: 1280, height: 720 }), sampleFps: 5, deadlineSec: 600 };
      await c.client.publishAsync(tTopics.jobs, encode(job), { qos: 1 });
      await c.wait((r) => r.type === 'ack' && r.jobId === 'j-long', 'ack');
      await sendBytes(c.client, job, bytes);
      const end = await c.wait((r) => r.jobId === 'j-long' && (r.type === 'error' || r.type === 'result'), 'end of the long job', 60_000);
      assert.equal((end as { code?: string }).code, 'expired', JSON.stringify(end).slice(0, 300));
      assert.match((end as { message: string }).message, /within 1 s/);
      assert.ok(tight.alive());
    } finally {
      await c.client.endAsync(true);
      await tight.kill('SIGTERM');
    }
  });

  test('8K pictures are refused: from the job before any transfer, and from the bytes when the job does not say', async () => {
    const replyTopic = topics.replies('tester', 'big');
    const c = await replyCollector(broker.url, replyTopic);
    try {
      const bytes = readFileSync(video);
      await c.client.publishAsync(topics.jobs, encode(jobFor('faultsense', 'j-8k', bytes, replyTopic, { width: 7680, height: 4320 })), { qos: 1 });
      const err = await c.wait((r) => r.jobId === 'j-8k', 'answer to the 8K job');
      assert.equal((err as { code?: string }).code, 'oversized');
      assert.match((err as { message: string }).message, /7680x4320 exceed .* 100000 pixels/);
      assert.ok(!c.replies.some((x) => x.r.jobId === 'j-8k' && x.r.type === 'ack'), 'not even claimed');
      // 640x360 (230 400 px) against this worker's maxPixels 100 000, size not announced in the job.
      const wide = join(dir, 'wide.mkv');
      const r = spawnSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=gray:s=640x360:r=5:d=2', '-c:v', 'libx264',
        '-preset', 'ultrafast', wide]);
      assert.equal(r.status, 0, r.stderr?.toString());
      const wideBytes = readFileSync(wide);
      const job = jobFor('faultsense', 'j-wide', wideBytes, replyTopic, { format: 'mkv', durationSec: 2 });
      await c.client.publishAsync(topics.jobs, encode(job), { qos: 1 });
      await c.wait((x) => x.type === 'ack' && x.jobId === 'j-wide', 'ack of the wide job');
      await sendBytes(c.client, job, wideBytes);
      const wideErr = await c.wait((x) => x.jobId === 'j-wide' && (x.type === 'error' || x.type === 'result'), 'answer to the wide job');
      assert.equal((wideErr as { code?: string }).code, 'oversized', JSON.stringify(wideErr));
      assert.match((wideErr as { message: string }).message, /640x360/);
      assert.ok(plain.alive(), plain.stderr().slice(-2000));
    } finally {
      await c.client.endAsync(true);
    }
  });

  test('a forged result from a client that did not take the job is ignored', async () => {
    const rogue = await forger(broker.url, 'faultsense', () => 'rogue');
    try {
      const report = await board(broker.url, 'faultsense').analyze({ source: { kind: 'file', path: video } });
      assert.ok(rogue.forged >= 2, `forged ${rogue.forged}`);
      assert.equal(report.offload.placement, 'edge', report.offload.reason);
      assert.deepEqual(report.offload.workers, { 'edge-plain': 2 });
      assert.ok(report.offload.foreignIgnored >= 2, `ignored ${report.offload.foreignIgnored}`);
      assert.ok(!JSON.stringify(report.timeline).includes('X-666'), JSON.stringify(report.timeline));
    } finally {
      await rogue.end();
    }
  });

  test('with a shared key: unsigned jobs get nothing, signed ones are answered signed, a result forged in the worker\'s name is ignored', async () => {
    const sTopics = offloadTopics(SIGNED_BASE);
    const replyTopic = sTopics.replies('tester', 'signed');
    const c = await replyCollector(broker.url, replyTopic);
    try {
      const bytes = readFileSync(video);
      await c.client.publishAsync(sTopics.jobs, encode(jobFor(SIGNED_BASE, 'j-unsigned', bytes, replyTopic)), { qos: 1 });
      const payload = encode(jobFor(SIGNED_BASE, 'j-signed', bytes, replyTopic, { width: 7680, height: 4320 }));
      await c.client.publishAsync(sTopics.jobs, payload, { qos: 1, properties: signedProperties(Buffer.from(KEY), sTopics.jobs, payload) });
      await c.wait((r) => r.jobId === 'j-signed', 'answer to the signed job');
      assert.ok(c.replies.filter((x) => x.r.jobId === 'j-signed').every((x) => x.signedOk), 'replies are signed');
      await new Promise((res) => setTimeout(res, 300));
      assert.ok(!c.replies.some((x) => x.r.jobId === 'j-unsigned'), 'the unsigned job got no answer');
    } finally {
      await c.client.endAsync(true);
    }
    const rogue = await forger(broker.url, SIGNED_BASE, (ackedBy) => ackedBy);
    try {
      const report = await board(broker.url, SIGNED_BASE, keyFile).analyze({ source: { kind: 'file', path: video } });
      assert.ok(rogue.forged >= 2);
      assert.equal(report.offload.placement, 'edge', report.offload.reason);
      assert.deepEqual(report.offload.workers, { 'edge-signed': 2 });
      assert.ok(report.offload.foreignIgnored >= 2);
      assert.ok(!JSON.stringify(report.timeline).includes('X-666'));
      assert.ok(signed.alive());
    } finally {
      await rogue.end();
    }
  });
});
