import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import si from 'systeminformation';
import { FeatureCache } from '../../src/cache/feature-cache.js';
import { memorySchema, type MemoryConfig } from '../../src/config/sections/memory.js';
import { MemoryGovernor } from '../../src/memory/governor.js';
import { LeakTrend } from '../../src/memory/leak-trend.js';
import { levelFor, nextLevel, type MemoryLevel } from '../../src/memory/levels.js';
import { cacheReleaser, releaser } from '../../src/memory/releasers.js';

const fixtures = join(import.meta.dirname, '../fixtures/cgroup');
const config = (over: Partial<MemoryConfig> = {}): MemoryConfig => ({ ...memorySchema.parse({}), ...over });

function filledCache(entries: number, size: number): FeatureCache {
  const cache = new FeatureCache({ maxBytes: 100_000_000, ttlSec: 600 });
  for (let i = 0; i < entries; i++) cache.set(`frame-${i}`, Buffer.alloc(size, i % 256), { modality: 'vision' });
  return cache;
}

test('thresholds above the machine\'s free memory: enters pressure and trims the cache (bytes before/after)', async () => {
  const free = (await si.mem()).available;
  const cache = filledCache(40, 10_000);
  const bytes = cache.stats().bytes;
  const governor = new MemoryGovernor({
    config: config({ pressureAvailable: free * 4, criticalAvailable: 1, trimFraction: 0.5 }), releasers: [cacheReleaser('feature-cache', cache, 0.5)],
  });
  const check = await governor.check();
  assert.equal(check.previous, 'normal');
  assert.equal(check.level, 'pressure');
  assert.equal(governor.level, 'pressure');
  assert.ok(check.reading.systemAvailable > 0 && check.reading.systemAvailable < free * 4);
  const r = check.released.find((x) => x.name === 'feature-cache')!;
  assert.equal(r.bytesBefore, bytes);
  assert.ok(r.bytesAfter! <= bytes / 2, `after ${r.bytesAfter} of ${bytes}`);
  assert.equal(cache.stats().bytes, r.bytesAfter);
  assert.deepEqual((governor.health().lastReleased as Array<{ name: string }>)[0]!.name, 'feature-cache');

  // Steady at pressure: no release again before releaseRepeatSec.
  const again = await governor.check();
  assert.equal(again.level, 'pressure');
  assert.deepEqual(again.released, []);
});

test('critical clears caches and runs critical releasers; back to normal restores them', async () => {
  let available = 100e6;
  const cache = filledCache(10, 5_000);
  const calls: string[] = [];
  const governor = new MemoryGovernor({
    config: config({ pressureAvailable: '500MB', criticalAvailable: '200MB' }),
    readSystem: async () => ({ available, total: 2e9 }),
    cgroupRoots: { proc: join(fixtures, 'v2-unlimited', 'proc'), sys: join(fixtures, 'v2-unlimited', 'sys') },
    releasers: [
      cacheReleaser('feature-cache', cache, 0.5),
      releaser('ring-buffers', 'pressure', () => { calls.push('rings:min'); return { bytesBefore: 8e6, bytesAfter: 2e6 }; }, () => { calls.push('rings:restore'); }),
      releaser('analysis-rate', 'critical', (lvl) => { calls.push(`rate:${lvl}`); return { detail: 'vision 1 fps → 0.2 fps' }; }, () => { calls.push('rate:restore'); }),
      releaser('broken', 'pressure', () => { throw new Error('boom'); }),
    ],
  });

  const c = await governor.check();
  assert.equal(c.level, 'critical');
  const rec = Object.fromEntries(c.released.map((x) => [x.name, x]));
  assert.equal(rec['feature-cache']!.bytesAfter, 0);
  assert.ok(rec['feature-cache']!.bytesBefore! > 0);
  assert.equal(rec['broken']!.error, 'boom', 'a failing releaser is reported, the others still run');
  assert.deepEqual(calls, ['rings:min', 'rate:critical']);

  available = 1e9;
  const n = await governor.check();
  assert.equal(n.level, 'normal');
  assert.deepEqual(calls.slice(2).sort(), ['rate:restore', 'rings:restore']);
});

test('cgroup fraction drives the level: 83 % of the limit is pressure with an 80 % threshold', async () => {
  const governor = new MemoryGovernor({
    config: config({ pressureCgroupFraction: 0.8, criticalCgroupFraction: 0.95 }),
    readSystem: async () => ({ available: 10e9, total: 16e9 }),
    cgroupRoots: { proc: join(fixtures, 'v2-service', 'proc'), sys: join(fixtures, 'v2-service', 'sys') },
  });
  const c = await governor.check();
  assert.equal(c.level, 'pressure');
  assert.equal(c.reading.cgroup!.max, 536870912);
  assert.equal(c.reading.cgroupHeadroom, 536870912 - c.reading.cgroup!.workingSet);
  assert.equal(c.reading.available, 10e9, 'absolute thresholds apply to system memory');
});

test('hysteresis: readings hovering at a threshold do not flap', async () => {
  const t = { pressureAvailable: 500e6, criticalAvailable: 200e6, pressureCgroupFraction: 0.85, criticalCgroupFraction: 0.95, hysteresis: 0.1 };
  assert.equal(levelFor({ available: 499e6, cgroupFraction: null }, t), 'pressure');
  assert.equal(levelFor({ available: 540e6, cgroupFraction: 0.8 }, t), 'normal');
  assert.equal(levelFor({ available: 540e6, cgroupFraction: 0.8 }, t, 0.1), 'pressure');

  let level: MemoryLevel = 'normal';
  const seen: MemoryLevel[] = [];
  for (let i = 0; i < 50; i++) {
    const available = i % 2 === 0 ? 495e6 : 530e6; // ±6 % around the threshold
    const next = nextLevel(level, { available, cgroupFraction: null }, t);
    if (next !== level) seen.push(next);
    level = next;
  }
  assert.deepEqual(seen, ['pressure'], 'entered once, never left while within the margin');
  assert.equal(nextLevel('pressure', { available: 551e6, cgroupFraction: null }, t), 'normal');
  assert.equal(nextLevel('critical', { available: 215e6, cgroupFraction: null }, t), 'critical');
  assert.equal(nextLevel('critical', { available: 300e6, cgroupFraction: null }, t), 'pressure');
  assert.equal(nextLevel('normal', { available: 100e6, cgroupFraction: null }, t), 'critical');
  assert.equal(nextLevel('pressure', { available: 1e9, cgroupFraction: 0.8 }, t), 'pressure', 'cgroup use within the margin holds pressure');

  // Same through the governor: releasers run once for the whole hovering period.
  let i = 0;
  let releases = 0;
  const governor = new MemoryGovernor({
    config: config({ releaseRepeatSec: 3600 }),
    readSystem: async () => ({ available: i++ % 2 === 0 ? 495e6 : 530e6, total: 2e9 }),
    cgroupRoots: { proc: join(fixtures, 'v2-unlimited', 'proc'), sys: join(fixtures, 'v2-unlimited', 'sys') },
    releasers: [releaser('counter', 'pressure', () => { releases++; })],
  });
  for (let k = 0; k < 20; k++) await governor.check();
  assert.equal(releases, 1);
  assert.equal(governor.transitions, 1);
  // The releasers are fixed when the governor is built: nothing can be added later.
  assert.equal('register' in governor, false);
});

test('leak trend: steady growth warns, saw-tooth use does not', async () => {
  const hour = 3_600_000;
  const leak = new LeakTrend(hour, 32e6);
  for (let k = 0; k <= 60; k++) leak.add(k * 60_000, 200e6 + k * 1e6 + (k % 3) * 2e5); // 60 MB/h
  const f = leak.leaking();
  assert.ok(f, 'steady growth is a leak');
  assert.ok(Math.abs(f.slopePerHour - 60e6) < 3e6, String(f.slopePerHour));

  const saw = new LeakTrend(hour, 32e6);
  for (let k = 0; k <= 60; k++) saw.add(k * 60_000, 200e6 + (k % 10) * 8e6); // GC saw-tooth
  assert.equal(saw.leaking(), undefined);

  const short = new LeakTrend(hour, 32e6);
  for (let k = 0; k < 20; k++) short.add(k * 60_000, 200e6 + k * 5e6);
  assert.equal(short.leaking(), undefined, 'not enough of the window observed yet');

  // The governor reports it in health.
  let now = 0;
  let rss = 300e6;
  const governor = new MemoryGovernor({
    config: config({ leakWindowSec: 600, leakWarnPerHour: '10MB' }),
    readSystem: async () => ({ available: 4e9, total: 8e9 }),
    readProcess: () => ({ rss: (rss += 1e6), heapUsed: 50e6 }),
    now: () => (now += 30_000),
  });
  for (let k = 0; k < 25; k++) await governor.check();
  assert.equal(governor.leakTrend()?.figure, 'rss');
  assert.equal((governor.health().leak as { figure: string }).figure, 'rss');
});

test('start/stop: first check on start, interval timer cleared on stop', async () => {
  const governor = new MemoryGovernor({ config: config({ intervalSec: 0.05 }), readSystem: async () => ({ available: 4e9, total: 8e9 }) });
  await governor.start();
  assert.equal(governor.health().level, 'normal');
  assert.ok((governor.health().available as number) > 0);
  await new Promise((r) => setTimeout(r, 120));
  await governor.stop();
});
