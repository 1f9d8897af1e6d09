// glibc malloc_trim through the addon (native/src/malloc_control.cc) and the memory
// governor that calls it every memory.mallocTrimSec and under pressure (issue #17).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { memorySchema, type MemoryConfig } from '../../src/config/sections/memory.js';
import { MemoryGovernor } from '../../src/memory/governor.js';
import { mallocStats, mallocTrimmer } from '../../src/system/malloc.js';
import { MALLOC_ENV } from '../../src/system/footprint.js';
import { nativeAddonPath } from '../../src/system/native.js';

const fixtures = join(import.meta.dirname, '../fixtures/cgroup');
const config = (over: Partial<MemoryConfig> = {}): MemoryConfig => ({ ...memorySchema.parse({}), ...over });

test('malloc.stats and malloc.trimAsync: free pages between live chunks leave RSS only when trimmed', () => {
  assert.ok(mallocTrimmer(), 'the addon offers malloc_trim on glibc');
  const s = mallocStats()!;
  for (const k of ['arenaBytes', 'inUseBytes', 'freeBytes', 'mmappedBytes', 'mmappedChunks', 'topReleasableBytes'] as const) {
    assert.ok(Number.isFinite(s[k]) && s[k] >= 0, `${k}: ${s[k]}`);
  }
  // A fresh process with the unit's malloc settings: 60 MB in 16 KiB buffers (under the mmap threshold, so in
  // malloc's heap), every tenth kept so the freed ones are holes the heap's top trimming cannot return.
  const script = `
    const m = require(process.env.ADDON).malloc;
    const rss = () => process.memoryUsage.rss();
    let bufs = Array.from({ length: 3840 }, () => Buffer.allocUnsafeSlow(16384).fill(1));
    const kept = bufs.filter((_, i) => i % 10 === 0);
    bufs = null; globalThis.gc(); globalThis.gc();
    const held = m.stats().freeBytes, before = rss();
    m.trimAsync(0).then((released) => {
      const after = rss();
      console.log(JSON.stringify({ held, before, after, released, again: m.trim(0), kept: kept.length }));
    });`;
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', script], { env: { ...process.env, ...MALLOC_ENV, ADDON: nativeAddonPath() }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const o = JSON.parse(r.stdout) as { held: number; before: number; after: number; released: boolean };
  assert.equal(o.released, true, 'malloc_trim (on a worker thread) says it released memory');
  assert.ok(o.held > 40 * 2 ** 20, `malloc holds the freed buffers as free chunks: ${(o.held / 2 ** 20).toFixed(1)} MB`);
  assert.ok(o.before - o.after > 30 * 2 ** 20, `trim gave back ${((o.before - o.after) / 2 ** 20).toFixed(1)} MB of RSS`);
});

test('memory governor: trims every mallocTrimSec, offers a pressure releaser, reports the trims in health', async () => {
  let now = 1_000_000;
  let trims = 0;
  let available = 1e9;
  const governor = new MemoryGovernor({
    config: config({ mallocTrimSec: 30, pressureAvailable: '500MB', criticalAvailable: '200MB' }),
    readSystem: async () => ({ available, total: 2e9 }),
    cgroupRoots: { proc: join(fixtures, 'v2-unlimited', 'proc'), sys: join(fixtures, 'v2-unlimited', 'sys') },
    now: () => now,
    trimMalloc: () => { trims++; },
  });
  assert.ok(governor.releaserNames.includes('malloc-trim'));
  await governor.check();
  assert.equal(trims, 1, 'the first check trims');
  now += 10_000;
  await governor.check();
  assert.equal(trims, 1, 'not again before 30 s');
  now += 20_000;
  await governor.check();
  assert.equal(trims, 2);
  available = 300e6;  // pressure: the releaser trims at once
  now += 1_000;
  const c = await governor.check();
  assert.equal(c.level, 'pressure');
  assert.ok(c.released.some((x) => x.name === 'malloc-trim' && typeof x.bytesBefore === 'number'));
  assert.equal(trims, 3);
  const h = governor.health().mallocTrim as { count: number; freedTotal: number };
  assert.equal(h.count, 3);
  assert.ok(h.freedTotal >= 0);
  const off = new MemoryGovernor({ config: config({ mallocTrimSec: 0 }), readSystem: async () => ({ available: 1e9, total: 2e9 }),
    cgroupRoots: { proc: join(fixtures, 'v2-unlimited', 'proc'), sys: join(fixtures, 'v2-unlimited', 'sys') }, trimMalloc: () => { trims++; } });
  await off.check();
  assert.equal(trims, 3, 'mallocTrimSec 0: no periodic trim');
});
