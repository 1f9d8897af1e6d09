// Board health: CPU temperature and throttling read from sysfs (a fake sysfs
// tree here: this machine exposes no thermal zone), memory and load from
// systeminformation, free space by statfs on real directories; sampled in the
// background and cached, and the figures reach /metrics from the cache.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { createMetricsRegistry } from '../../src/api/metrics.js';
import { BoardHealth, readCpuTemperature, readThrottling } from '../../src/system/board-health.js';
import { tempDir } from '../helpers/tmp.js';

/** A fake sysfs: thermal zones, one hwmon sensor, and the Raspberry Pi firmware's get_throttled. */
function fakeSys(opts: { zones?: Record<string, number>; hwmon?: Record<string, number>; throttled?: string }): string {
  const root = tempDir('faultsense-fake-sysfs-');
  Object.entries(opts.zones ?? {}).forEach(([type, milli], i) => {
    const d = join(root, 'class', 'thermal', `thermal_zone${i}`);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'type'), `${type}\n`);
    writeFileSync(join(d, 'temp'), `${milli}\n`);
  });
  Object.entries(opts.hwmon ?? {}).forEach(([label, milli], i) => {
    const d = join(root, 'class', 'hwmon', 'hwmon0');
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, `temp${i + 1}_label`), `${label}\n`);
    writeFileSync(join(d, `temp${i + 1}_input`), `${milli}\n`);
  });
  if (opts.throttled !== undefined) {
    const d = join(root, 'devices', 'platform', 'soc', 'soc:firmware');
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'get_throttled'), `${opts.throttled}\n`);
  }
  return root;
}

describe('board health', () => {
  it('reads the CPU\'s thermal zone before a hotter non-CPU one, and hwmon package sensors', async () => {
    assert.deepEqual(await readCpuTemperature(fakeSys({ zones: { 'gpu-thermal': 71000, 'cpu-thermal': 52345 } })), { celsius: 52.3, sensor: 'cpu-thermal' });
    assert.deepEqual(await readCpuTemperature(fakeSys({ hwmon: { 'Package id 0': 64000, 'Core 0': 61000 } })), { celsius: 64, sensor: 'Package id 0' });
    assert.deepEqual(await readCpuTemperature(fakeSys({ zones: { 'soc-board': 0, 'ddr': 45000 } })), { celsius: 45, sensor: 'ddr' }, 'any zone when none names the CPU; a 0 reading is no reading');
    assert.equal(await readCpuTemperature(fakeSys({})), null, 'not exposed');
  });

  it('decodes the firmware throttling flags', async () => {
    const t = await readThrottling(fakeSys({ throttled: '0x50005' }));
    assert.deepEqual(t, { flags: 0x50005, underVoltage: true, frequencyCapped: false, throttled: true, softTempLimit: false, sinceBoot: true });
    assert.equal((await readThrottling(fakeSys({ throttled: '0x0' })))!.flags, 0);
    assert.equal(await readThrottling(fakeSys({})), null);
  });

  it('samples in the background, reports from its cache, names problems, and feeds /metrics', async () => {
    const state = tempDir('faultsense-board-state-');
    const board = new BoardHealth({
      dirs: { state, clips: join(state, 'not-created-yet') }, everyMs: 40,
      sysRoot: fakeSys({ zones: { 'cpu-thermal': 81200 }, throttled: '0x50005' }),
    });
    await board.start();
    try {
      const h = board.health() as { cpuTempC: number; load: number[]; memory: { totalBytes: number; availableBytes: number }; disk: Record<string, { freeBytes: number; totalBytes: number }>; ageSec: number };
      assert.equal(h.cpuTempC, 81.2);
      assert.equal(h.load.length, 3);
      assert.ok(h.memory.totalBytes > 0 && h.memory.availableBytes > 0 && h.memory.availableBytes <= h.memory.totalBytes, 'memory from systeminformation');
      assert.ok(h.disk.state!.freeBytes > 0 && h.disk.state!.freeBytes <= h.disk.state!.totalBytes, 'statfs of the state directory');
      assert.equal(h.disk.clips, undefined, 'a directory that does not exist yet is left out, not reported as 0');
      assert.deepEqual(board.problems(), ['under-voltage (power supply too weak)', 'CPU throttled']);
      const first = board.samples;
      for (let i = 0; i < 200 && board.samples <= first; i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(board.samples > first, 'sampled again by its timer');
      const seen = board.samples;
      board.health(); board.health();
      assert.equal(board.samples, seen, 'reading health samples nothing');
      await board.stop();
      const cached = board.health() as typeof h;

      const registry = createMetricsRegistry({ health: () => ({ board: cached }), faultIds: [], published: () => 0, api: () => ({ answered: 0, refused: 0 }) });
      const fams = (parsePrometheusTextFormat as (t: string) => Array<{ name: string; metrics: Array<{ value: string; labels?: Record<string, string> }> }>)(await registry.metrics());
      const value = (name: string, labels: Record<string, string> = {}) => Number(fams.find((f) => f.name === name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value);
      assert.equal(value('faultsense_board_cpu_temperature_celsius', { sensor: 'main' }), 81.2);
      assert.equal(value('faultsense_board_throttled_flags', { source: 'firmware' }), 0x50005);
      assert.equal(value('faultsense_board_disk_free_bytes', { dir: 'state' }), cached.disk.state!.freeBytes);
      assert.equal(value('faultsense_board_disk_size_bytes', { dir: 'state' }), cached.disk.state!.totalBytes);
      assert.equal(value('faultsense_board_memory_available_bytes'), cached.memory.availableBytes);
    } finally {
      await board.stop();
    }
  });
});
