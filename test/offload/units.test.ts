// The offload pieces that need no broker: timeline merging, the job schema,
// chunking, clip names, time parsing, segment cutting with real ffmpeg.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { validateConfig } from '../../src/config/load.js';
import { emptyCatalog } from '../../src/diagnosis/catalog.js';
import { DirectoryClipSource, startFromName } from '../../src/offload/clip-segments.js';
import { cutSegments, decodeFrames } from '../../src/offload/ffmpeg-video.js';
import { encode, parseJob, PROTOCOL_VERSION, splitChunks } from '../../src/offload/protocol.js';
import { buildTimeline, type PlacedSample } from '../../src/offload/timeline.js';
import { VideoRangeAnalyzer } from '../../src/offload/video-analysis.js';
import { parseTime } from '../../src/offload/video-analysis-service.js';
import { buildVideoDiagnosis } from '../../src/offload/video-diagnosis.js';
import { createOffloadVision } from '../../src/offload/vision-select.js';
import type { VisionFindings } from '../../src/types.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';
import { makePanelVideo } from './fixtures.js';

const f = (over: Partial<VisionFindings> = {}): VisionFindings => ({ quality: 0.9, anomalyScore: 0.2, text: [], alarmCodes: [], ...over });
const at = (t: number, worker: string, over: Partial<VisionFindings> = {}): PlacedSample => ({ t, worker, findings: f(over) });

test('timeline: samples from several workers merge in time order; codes appear and clear once', () => {
  const samples = [
    at(20, 'b', { alarmCodes: ['E-042'] }), at(0, 'a'), at(10, 'a', { alarmCodes: ['E-042'] }),
    at(30, 'b', { alarmCodes: ['E-042', 'A-17'] }), at(40, 'c'),
  ];
  const { timeline, summary } = buildTimeline(samples, { anomalyAbove: 1.2, qualityBelow: 0.4, alarmConfirmFrames: 1, alarmClearFrames: 1 });
  const codes = timeline.filter((e) => e.kind === 'alarm-code').map((e) => e.kind === 'alarm-code' && [e.t, e.code, e.change, e.worker]);
  assert.deepEqual(codes, [
    [10, 'E-042', 'appeared', 'a'], [30, 'A-17', 'appeared', 'b'], [40, 'E-042', 'cleared', 'c'], [40, 'A-17', 'cleared', 'c'],
  ]);
  assert.deepEqual(summary.alarmCodes, [{ code: 'E-042', firstSeen: 10, lastSeen: 30 }, { code: 'A-17', firstSeen: 30, lastSeen: 30 }]);
  assert.equal(summary.frames, 5);
});

test('timeline: a code appears after N consecutive frames (dated at the first), a one-frame flicker neither raises nor clears it', () => {
  const E = { alarmCodes: ['E-317'] };
  const samples = [
    at(0, 'a'), at(1, 'a', { alarmCodes: ['RUN1450'] }), at(2, 'a'), // one misread frame: never an alarm
    at(3, 'a', E), at(4, 'a', E), at(5, 'a', E), at(6, 'a'), at(7, 'a', E), // one frame without it: not cleared
    at(8, 'a'), at(9, 'a'), at(10, 'a'), // two frames without it: cleared at the first
  ];
  const { timeline, summary } = buildTimeline(samples, { anomalyAbove: 1.2, qualityBelow: 0.4, alarmConfirmFrames: 2, alarmClearFrames: 2 });
  const codes = timeline.filter((e) => e.kind === 'alarm-code').map((e) => e.kind === 'alarm-code' && [e.t, e.code, e.change]);
  assert.deepEqual(codes, [[3, 'E-317', 'appeared'], [8, 'E-317', 'cleared']]);
  assert.deepEqual(summary.alarmCodes, [{ code: 'E-317', firstSeen: 3, lastSeen: 7 }]);
  assert.deepEqual(summary.unconfirmedCodes, [{ code: 'RUN1450', frames: 1 }]);
  // With three frames required, a two-frame run is not enough.
  const strict = buildTimeline(samples.slice(0, 5), { anomalyAbove: 1.2, qualityBelow: 0.4, alarmConfirmFrames: 3 });
  assert.deepEqual(strict.summary.alarmCodes, []);
  // Status readings are kept as readings, with their last value.
  const r = buildTimeline([at(0, 'a', { readings: [{ name: 'RUN', value: '1450', text: 'RUN 1450' }] }), at(1, 'a', { readings: [{ name: 'RUN', value: '1460', text: 'RUN 1460' }] })]);
  assert.deepEqual(r.summary.readings, [{ name: 'RUN', value: '1460', lastSeen: 1 }]);
  assert.deepEqual(r.summary.alarmCodes, []);
});

test('timeline: one anomaly peak per run above the threshold, with the box of its maximum; poor-quality stretches', () => {
  const box = { x: 10, y: 20, width: 30, height: 40 };
  const { timeline, summary } = buildTimeline([
    at(0, 'a'), at(1, 'a', { anomalyScore: 1.5 }), at(2, 'a', { anomalyScore: 3.1, anomalyBox: box }), at(3, 'a', { anomalyScore: 1.3 }),
    at(4, 'a', { quality: 0.1 }), at(5, 'a', { quality: 0.2 }), at(6, 'a'), at(7, 'a', { anomalyScore: 2 }),
  ], { anomalyAbove: 1.2, qualityBelow: 0.4 });
  const peaks = timeline.filter((e) => e.kind === 'anomaly-peak');
  assert.deepEqual(peaks, [
    { t: 2, kind: 'anomaly-peak', score: 3.1, box, from: 1, to: 4, worker: 'a' },
    { t: 7, kind: 'anomaly-peak', score: 2, from: 7, to: 7, worker: 'a' },
  ]);
  assert.deepEqual(timeline.filter((e) => e.kind === 'quality'), [{ t: 4, kind: 'quality', problem: 'poor-image', quality: 0.1, until: 6, worker: 'a' }]);
  assert.equal(summary.maxAnomaly, 3.1);
  assert.equal(summary.maxAnomalyAt, 2);
  assert.deepEqual(summary.anomalyBox, box);
});

const goodJob = {
  v: PROTOCOL_VERSION, jobId: 'run1-s0', dispatchId: 'run1-s0.1', attempt: 1, requester: 'board1',
  replyTopic: 'faultsense/offload/replies/board1/run1', chunkTopic: 'faultsense/offload/chunks/run1-s0.1',
  segment: { index: 0, startSec: 0, durationSec: 10, format: 'mp4', bytes: 5000, sha256: 'a'.repeat(64), chunks: 2, chunkBytes: 4096 },
  sampleFps: 1, deadlineSec: 60,
};

test('job schema: a valid job parses; bad ones are rejected with the field named', () => {
  assert.equal(parseJob(encode(goodJob)).ok, true);
  const cases: Array<[unknown, RegExp]> = [
    [{ ...goodJob, jobId: 'a/b' }, /jobId/],
    [{ ...goodJob, v: 2 }, /^invalid job: v/],
    [{ ...goodJob, segment: { ...goodJob.segment, sha256: 'xyz' } }, /segment\.sha256/],
    [{ ...goodJob, extra: 1 }, /extra|unrecognized/i],
    [{ ...goodJob, sampleFps: -1 }, /sampleFps/],
  ];
  for (const [job, re] of cases) {
    const r = parseJob(encode(job));
    assert.equal(r.ok, false);
    assert.match((r as { error: string }).error, re);
  }
  const notJson = parseJob(Buffer.from('{oops'));
  assert.equal(notJson.ok, false);
  assert.match((notJson as { error: string }).error, /not JSON/);
  const huge = parseJob(Buffer.alloc(100 * 1024, 0x20));
  assert.match((huge as { error: string }).error, /exceeds/);
});

test('chunks: bounded size, reassemble to the same bytes', () => {
  const bytes = Buffer.from(Array.from({ length: 10_000 }, (_, i) => i % 251));
  const chunks = splitChunks(bytes, 4096);
  assert.deepEqual(chunks.map((c) => c.length), [4096, 4096, 1808]);
  assert.ok(Buffer.concat(chunks).equals(bytes));
});

test('clip names carry their start time', () => {
  assert.equal(startFromName('clip-20240610T121500Z.ts'), Date.UTC(2024, 5, 10, 12, 15, 0));
  assert.equal(startFromName('cam-1718000000.mp4'), 1718000000000);
  assert.equal(startFromName('1718000000123.mkv'), 1718000000123);
  assert.equal(startFromName('random.mp4'), undefined);
});

test('times: ISO, epoch ms, relative to now', () => {
  const now = Date.UTC(2024, 0, 1, 12, 0, 0);
  assert.equal(parseTime('2024-01-01T11:50:00Z', now), now - 600_000);
  assert.equal(parseTime('-10m', now), now - 600_000);
  assert.equal(parseTime(-600, now), now - 600_000);
  assert.equal(parseTime('now', now), now);
  assert.equal(parseTime(1704110400000, now), 1704110400000);
  assert.throws(() => parseTime('yesterday-ish', now), /ISO 8601/);
});

test('a file cut into 10 s segments by stream copy; frames sampled on the range\'s time grid', async (t) => {
  if (!requireProgram(t, 'ffmpeg')) return;
  const dir = tempDir();
  const video = makePanelVideo(dir, 30, 'short.mp4');
  const segs = await cutSegments(video, dir, 10);
  assert.deepEqual(segs.map((s) => Math.round(s.startSec)), [0, 10, 20]);
  assert.ok(segs.every((s) => Math.abs(s.durationSec - 10) < 0.5 && s.bytes === readFileSync(s.path).length));
  const frames = [];
  for await (const fr of decodeFrames(segs[1]!.path, { sampleFps: 0.5 })) frames.push(fr);
  assert.deepEqual(frames.map((fr) => fr.t), [0, 2, 4, 6, 8]);
  assert.equal(frames[0]!.data.length, 320 * 180 * 3);
});

test('a time range of clip-recorder segments: clips trimmed at both ends, t counted from the range start', async (t) => {
  if (!requireProgram(t, 'ffmpeg')) return;
  const dir = tempDir();
  const video = makePanelVideo(dir, 120, 'source.mp4');
  const clipDir = join(dir, 'clips');
  mkdirSync(clipDir);
  const t0 = Date.UTC(2024, 5, 10, 12, 0, 0);
  for (const s of await cutSegments(video, dir, 10)) {
    const name = `clip-${new Date(t0 + Math.round(s.startSec) * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.ts`;
    spawnSync('ffmpeg', ['-loglevel', 'error', '-i', s.path, '-c', 'copy', '-f', 'mpegts', join(clipDir, name)]);
  }
  const config = validateConfig({ deviceId: 'b', stateDir: dir, offload: { sampleFps: 0.5 } });
  const vision = await createOffloadVision(config, emptyCatalog());
  try {
    const analyzer = new VideoRangeAnalyzer({ deviceId: 'b', offload: config.offload, vision: vision.vision, catalog: emptyCatalog(), workDir: dir,
      clips: new DirectoryClipSource(clipDir) });
    // 12:00:55 .. 12:01:25: the code appears at 12:01:15, 20 s into the range.
    const r = await analyzer.analyze({ source: { kind: 'clips', fromMs: t0 + 55_000, toMs: t0 + 85_000 } });
    assert.equal(r.offload.placement, 'local');
    assert.equal(r.offload.segments, 4);
    assert.equal(r.summary.frames, 3 + 5 + 5 + 3);
    const appeared = r.timeline.find((e) => e.kind === 'alarm-code' && e.change === 'appeared');
    assert.ok(appeared && appeared.t >= 20 && appeared.t <= 22, JSON.stringify(r.timeline));
  } finally {
    await vision.close();
  }
});

test('a video range with no known faults gets the plain diagnosis: what was seen, as unrecognised, unnumbered', () => {
  const summary = { frames: 10, alarmCodes: [{ code: 'E-042', firstSeen: 20, lastSeen: 40 }], text: ['E-042'], maxAnomaly: 0.5,
    maxAnomalyAt: 30, meanQuality: 0.9, minQuality: 0.8 };
  const d = buildVideoDiagnosis({ deviceId: 'b', timeline: [], summary, catalog: emptyCatalog(), anomalyAbove: 1.2,
    range: { source: 'clip.mp4', durationSec: 60 }, totalMs: 5 });
  assert.deepEqual(d.faults.map((f) => [f.id, f.matched]), [['unknown-anomaly', ['alarmCode:E-042']]]);
  assert.match(d.summary, /alarm code E-042 shown from 20 s to 40 s/);
  assert.equal(d.seq, undefined, 'seq is given by the outbox when published');
});
