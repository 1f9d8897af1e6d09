// The disk governor against real files: clip segments read by the real clip
// recorder, a state directory with an outbox file, baselines, models and a
// configuration. On a real 4 MB tmpfs where this process may mount one (root),
// and always with a fake free-space reader (named as such) that counts the
// bytes really left in the folder, so the deletions are real either way.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createMetricsRegistry } from '../../src/api/metrics.js';
import { ClipRecorder } from '../../src/capture/clip-recorder.js';
import { createFrameSource } from '../../src/capture/index.js';
import { cameraSchema, captureSchema } from '../../src/config/sections/capture.js';
import { storageSchema, type StorageConfig } from '../../src/config/sections/storage.js';
import { healthPayload } from '../../src/integrations/contract-schemas.js';
import { DiskGovernor, type DiskSpaceReader } from '../../src/memory/disk-governor.js';
import { bytesUnder, clipSegmentTrimmer, offloadScratchTrimmer } from '../../src/memory/disk-trimmers.js';
import type { Logger } from '../../src/system/logger.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const KB = 1024;
const storage = (over: Partial<StorageConfig> = {}): StorageConfig => ({
  ...storageSchema.parse({}), minFreePercent: 0, criticalFreePercent: 0, clipRetentionHours: 0, ...over,
});

/** Log lines kept for assertions. */
function recordingLog(): Logger & { lines: Array<{ level: string; msg: string }> } {
  const lines: Array<{ level: string; msg: string }> = [];
  const log = {
    lines,
    error: (msg: string) => { lines.push({ level: 'error', msg }); },
    warn: (msg: string) => { lines.push({ level: 'warn', msg }); },
    info: (msg: string) => { lines.push({ level: 'info', msg }); },
    debug: (msg: string) => { lines.push({ level: 'debug', msg }); },
    child: () => log,
  };
  return log;
}

/** A fake file system of `capacity` bytes: free = capacity − the bytes really under `root`. */
function fakeDiskOf(root: string, capacity: number): DiskSpaceReader {
  return async () => ({ freeBytes: Math.max(0, capacity - bytesUnder(root)), totalBytes: capacity });
}

const stamp = (t: number) => `clip-${new Date(t).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.ts`;

/** A state directory as the daemon leaves it, with `clips` segments of `clipBytes` each, 10 s apart. */
function stateDir(root: string, clips: number, clipBytes: number): { state: string; clipsDir: string; kept: string[]; clipFiles: string[] } {
  const state = join(root, 'state');
  const clipsDir = join(state, 'clips');
  for (const d of [clipsDir, join(state, 'baselines', 'b1'), join(state, 'models', 'ocr'), join(state, 'offload')]) mkdirSync(d, { recursive: true });
  const kept = [join(state, 'outbox.sqlite'), join(state, 'baselines', 'b1', 'baseline.json'), join(state, 'models', 'ocr', 'det.onnx'), join(root, 'config.yaml')];
  writeFileSync(kept[0]!, Buffer.alloc(600 * KB, 1));
  writeFileSync(kept[1]!, Buffer.alloc(100 * KB, 2));
  writeFileSync(kept[2]!, Buffer.alloc(100 * KB, 3));
  writeFileSync(kept[3]!, 'deviceId: press-07\n');
  const t0 = Date.UTC(2026, 0, 5, 8, 0, 0);
  const clipFiles: string[] = [];
  for (let i = 0; i < clips; i++) {
    const f = join(clipsDir, stamp(t0 + i * 10_000));
    writeFileSync(f, Buffer.alloc(clipBytes, i));
    clipFiles.push(f);
  }
  return { state, clipsDir, kept, clipFiles };
}

function recorderOver(clipsDir: string): ClipRecorder {
  // The real recorder, never started: it only reads the spool (every segment is complete).
  const camera = cameraSchema.parse({ source: `file:${join(REPO_ROOT, 'demo', 'demo.mp4')}` });
  return new ClipRecorder({ ...captureSchema.parse({}).clips, enabled: true, dir: clipsDir }, createFrameSource(camera), camera);
}

function canMountTmpfs(at: string): boolean {
  if (process.getuid?.() !== 0) return false;
  mkdirSync(at, { recursive: true });
  return spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', at]).status === 0;
}

describe('disk governor', () => {
  it('on a real 4 MB tmpfs: short of space it deletes the oldest clips first and nothing else; still short, it says low', async (t) => {
    const mnt = mkdtempSync(join(tmpdir(), 'faultsense-disk-mnt-'));
    if (!canMountTmpfs(mnt)) { rmSync(mnt, { recursive: true }); t.skip('mounting a tmpfs needs root (the fake-reader test below covers the same logic)'); return; }
    t.after(() => { spawnSync('umount', [mnt]); rmSync(mnt, { recursive: true, force: true }); });
    const { state, clipsDir, kept, clipFiles } = stateDir(mnt, 6, 400 * KB);
    const log = recordingLog();
    const gov = new DiskGovernor({ config: storage({ minFree: '1MiB', criticalFree: '256KiB' }), dirs: { state, clips: clipsDir }, log,
      trimmers: [clipSegmentTrimmer(recorderOver(clipsDir), 0)] });
    await gov.check(); // tmpfs counts whole pages: 4096 − 800 kept − 2400 clips − 4 config = 892 KiB free
    const remaining = () => readdirSync(clipsDir).filter((n) => n.endsWith('.ts')).sort();
    // Below 1 MiB: the oldest clip goes (the target is 1 MiB + 10 %).
    assert.deepEqual(remaining(), clipFiles.slice(1).map((f) => f.slice(clipsDir.length + 1)));
    for (const f of kept) assert.ok(existsSync(f), `${f} must never be deleted`);
    const h = gov.health();
    assert.equal(h.level, 'normal');
    assert.equal(h.trimmedFiles, 1);
    assert.equal(h.trimmedBytes, 400 * KB);
    assert.ok(h.filesystems.state!.freeBytes >= 1.1 * 1024 * KB, `free ${h.filesystems.state!.freeBytes}`);
    assert.ok(log.lines.some((l) => l.level === 'info' && /deleted 1 clips file\(s\)/.test(l.msg)), JSON.stringify(log.lines));

    // The outbox grows: three more clips go, still normal; it grows again until deleting every clip
    // is not enough: low, said once, the outbox untouched.
    writeFileSync(kept[0]!, Buffer.alloc(1800 * KB, 1));
    assert.equal((await gov.check()).level, 'normal');
    assert.equal(remaining().length, 2);
    writeFileSync(kept[0]!, Buffer.alloc(3000 * KB, 1));
    const low = await gov.check();
    assert.equal(low.level, 'low');
    assert.equal(remaining().length, 0);
    assert.equal(statSync(kept[0]!).size, 3000 * KB);
    const warns = () => log.lines.filter((l) => l.level === 'warn');
    assert.equal(warns().length, 1);
    assert.match(warns()[0]!.msg, /disk normal → low: state .* low below 1\.0 MB.*freed 819\.2 kB by deleting clips; still short\. Accepted diagnoses are kept/);
    assert.match(gov.problems()[0]!, /state disk low/);
    await gov.check();
    assert.equal(warns().length, 1, 'a level that persists is not logged again');
  });

  it('with a fake free-space reader over real files: order, retention, critical, recovery, health contract and metrics', async () => {
    const root = tempDir('faultsense-disk-');
    const { state, clipsDir, kept, clipFiles } = stateDir(root, 8, 100 * KB);
    // Leftover scratch from a killed analysis, and one an analysis holds now.
    const leftover = join(state, 'offload', 'video-dead-1');
    const held = join(state, 'offload', 'video-live-2');
    for (const d of [leftover, held]) { mkdirSync(d); writeFileSync(join(d, 'seg.segment'), Buffer.alloc(50 * KB)); }
    const capacity = bytesUnder(root) + 50 * KB; // 50 KiB free
    const log = recordingLog();
    let now = Date.UTC(2026, 0, 5, 8, 2, 0);
    const gov = new DiskGovernor({
      config: storage({ minFree: 300 * KB, criticalFree: 100 * KB, hysteresis: 0.1 }), dirs: { state, clips: clipsDir },
      readSpace: fakeDiskOf(root, capacity), log, now: () => now,
      trimmers: [offloadScratchTrimmer(join(state, 'offload'), () => new Set([held])), clipSegmentTrimmer(recorderOver(clipsDir), 0)],
    });
    const first = await gov.check();
    // 330 KiB wanted, 280 short: the dead scratch first (50), then the three oldest clips (300).
    assert.ok(!existsSync(leftover));
    assert.ok(existsSync(held), 'scratch in use is never deleted');
    assert.deepEqual(clipFiles.filter((f) => existsSync(f)), clipFiles.slice(3));
    assert.deepEqual(first.trimmed[0]!.byTrimmer, { 'offload-scratch': { files: 1, bytes: 50 * KB }, clips: { files: 3, bytes: 300 * KB } });
    assert.equal(first.level, 'normal');
    for (const f of kept) assert.ok(existsSync(f));

    // Outbox grows past the clips: critical once free < 100 KiB after every clip went.
    writeFileSync(kept[0]!, Buffer.alloc(1450 * KB, 1));
    const crit = await gov.check();
    assert.equal(crit.level, 'critical');
    assert.equal(clipFiles.filter((f) => existsSync(f)).length, 0);
    assert.equal(statSync(kept[0]!).size, 1450 * KB);
    const health = { schemaVersion: '1.0', ts: new Date().toISOString(), deviceId: 'd', uptimeSec: 1, mqtt: { reconnects: 0, takeovers: 0 }, disk: gov.health() };
    assert.doesNotThrow(() => healthPayload.parse(health));
    assert.equal(gov.health().trimmedBytes, 50 * KB + 800 * KB);

    const registry = createMetricsRegistry({ health: () => ({ disk: gov.health() }), faultIds: [], published: () => 0, api: () => ({ answered: 0, refused: 0 }) });
    const text = await registry.metrics();
    assert.match(text, /^faultsense_disk_level 2$/m);
    assert.match(text, new RegExp(`^faultsense_disk_trimmed_bytes_total ${850 * KB}$`, 'm'));
    assert.match(text, /^faultsense_disk_trimmed_files_total 9$/m);

    // Space freed by the operator: back to normal (past the margin), said once at info.
    writeFileSync(kept[0]!, Buffer.alloc(100 * KB, 1));
    assert.equal((await gov.check()).level, 'normal');
    assert.ok(log.lines.some((l) => l.level === 'info' && /disk critical → normal/.test(l.msg)));

    // Retention: a new clip older than clipRetentionHours goes whatever the space; a young one stays.
    const gov2 = new DiskGovernor({ config: storage({ minFree: 1, criticalFree: 1, clipRetentionHours: 1 }), dirs: { state }, readSpace: fakeDiskOf(root, 1e9), log, now: () => now,
      trimmers: [clipSegmentTrimmer(recorderOver(clipsDir), 1)] });
    const old = join(clipsDir, stamp(now - 2 * 3_600_000));
    const young = join(clipsDir, stamp(now - 600_000));
    writeFileSync(old, Buffer.alloc(KB));
    writeFileSync(young, Buffer.alloc(KB));
    now += 1;
    const ret = await gov2.check();
    assert.equal(ret.trimmed[0]?.reason, 'retention');
    assert.ok(!existsSync(old));
    assert.ok(existsSync(young));
    assert.equal(gov2.health().retentionFiles, 1);
    rmSync(young);
  });
});
