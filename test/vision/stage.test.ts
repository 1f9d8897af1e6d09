// The vision stage: the one newest-wins queue in front of analysis, and frames
// the cache calls unchanged handing the last findings on again instead of
// being analysed (decided when the frame's turn comes, not as it arrives).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame, VisionFindings } from '../../src/types.js';
import { VisionAnalysisStage } from '../../src/vision/stage.js';

const frame = (seq: number, value: number): Frame =>
  ({ data: Buffer.alloc(32 * 24 * 3, value), width: 32, height: 24, channels: 3, ts: 1000 + seq, seq, source: 'cam' });

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(ok(), what);
}

test('an unchanged frame hands the last findings on again (reused), a changed one is analysed', async () => {
  const seen: Array<{ seq: number; findings: VisionFindings; reused: boolean }> = [];
  const asked: number[] = [];
  const stage = new VisionAnalysisStage({
    ocr: { enabled: false, minConfidence: 0.5 }, intervalMs: 0,
    unchanged: (f) => { asked.push(f.seq); return f.data[0] === 100 && f.seq > 0; },
    onFindings: (findings, f, reused) => { seen.push({ seq: f.seq, findings, reused }); },
  });
  await stage.start();
  try {
    stage.submit(frame(0, 100));
    await until('frame 0', () => seen.length === 1);
    stage.submit(frame(1, 100));
    await until('frame 1', () => seen.length === 2);
    stage.submit(frame(2, 30));
    await until('frame 2', () => seen.length === 3);
    assert.deepEqual(seen.map((s) => [s.seq, s.reused]), [[0, false], [1, true], [2, false]]);
    assert.equal(seen[1]!.findings, seen[0]!.findings, 'the reused findings are the last analysed frame\'s');
    assert.deepEqual(asked, [0, 1, 2], 'asked once per frame whose turn came');
    const h = stage.health() as { analysed: number; reused: number; dropped: number };
    assert.deepEqual([h.analysed, h.reused, h.dropped], [2, 1, 0]);
  } finally {
    await stage.stop();
  }
});

test('frames that arrive while one is analysed: only the newest waits, the rest are dropped and counted once', async () => {
  const seen: number[] = [];
  const stage = new VisionAnalysisStage({ ocr: { enabled: false, minConfidence: 0.5 }, intervalMs: 200, onFindings: (_f, f) => { seen.push(f.seq); } });
  await stage.start();
  try {
    for (let i = 0; i < 10; i++) stage.submit(frame(i, i * 10));
    await until('two analysed', () => seen.length === 2);
    assert.deepEqual(seen, [0, 9]);
    assert.equal((stage.health() as { dropped: number }).dropped, 8);
  } finally {
    await stage.stop();
  }
});
