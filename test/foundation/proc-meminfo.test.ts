// The board's memory and CPU busy share read without systeminformation (issue #17):
// the same figures as systeminformation's mem() on this machine.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import si from 'systeminformation';
import { CpuBusy, parseMeminfo, readMeminfo } from '../../src/system/proc-meminfo.js';

test('parseMeminfo: kB lines to bytes; MemAvailable, or free + buffers + cached without it; swap used', () => {
  const text = 'MemTotal:        2000 kB\nMemFree:          300 kB\nMemAvailable:     900 kB\nBuffers:  100 kB\nCached:  200 kB\nSwapTotal: 1000 kB\nSwapFree: 250 kB\nHugePages_Total: 0\n';
  assert.deepEqual(parseMeminfo(text), { totalBytes: 2000 * 1024, availableBytes: 900 * 1024, swapUsedBytes: 750 * 1024 });
  assert.equal(parseMeminfo(text.replace(/MemAvailable.*\n/, '')).availableBytes, 600 * 1024);
  assert.throws(() => parseMeminfo('nothing'), /MemTotal/);
});

test('readMeminfo agrees with systeminformation on this machine (total exactly, available within 64 MB)', async () => {
  const [mine, theirs] = await Promise.all([readMeminfo(), si.mem()]);
  assert.equal(mine.totalBytes, theirs.total);
  assert.ok(Math.abs(mine.availableBytes - theirs.available) < 64 * 2 ** 20, `${mine.availableBytes} vs ${theirs.available}`);
});

test('CpuBusy: a share in 0..1 per core count; a busy loop between samples reads as busy', () => {
  const cpu = new CpuBusy();
  const first = cpu.sample();
  assert.ok(first.cpus >= 1 && first.busy >= 0 && first.busy <= 1);
  const until = Date.now() + 300;
  let x = 0;
  while (Date.now() < until) x += Math.sqrt(x + 1);
  const second = cpu.sample();
  assert.ok(second.busy > 0, `busy ${second.busy} after 300 ms of spinning (${x > 0})`);
});
