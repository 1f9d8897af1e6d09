import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseProcCgroup, readCgroupMemory } from '../../src/memory/cgroup.js';
import { tempDir } from '../helpers/tmp.js';

const fixtures = join(import.meta.dirname, '../fixtures/cgroup');
const roots = (name: string) => ({ proc: join(fixtures, name, 'proc'), sys: join(fixtures, name, 'sys') });

test('parses /proc/self/cgroup lines for v2 and the v1 memory controller', () => {
  assert.deepEqual(parseProcCgroup('0::/system.slice/x.service\n'), { v2: '/system.slice/x.service' });
  assert.deepEqual(parseProcCgroup('9:name=systemd:/\n4:memory:/docker/abc\n2:cpu,cpuacct:/\n0::/\n'), { v1Memory: '/docker/abc', v2: '/' });
  assert.deepEqual(parseProcCgroup(''), {});
});

test('cgroup v2: limit and usage of the service, page cache discounted', () => {
  const m = readCgroupMemory(roots('v2-service'))!;
  assert.equal(m.version, 2);
  assert.equal(m.path, '/system.slice/faultsense.service');
  assert.equal(m.max, 536870912);
  assert.equal(m.current, 482344960);
  assert.equal(m.inactiveFile, 37748736);
  assert.equal(m.workingSet, 482344960 - 37748736);
  assert.ok(Math.abs(m.fraction! - (482344960 - 37748736) / 536870912) < 1e-9);
  assert.ok(m.limitDir!.endsWith(join('system.slice', 'faultsense.service')));
});

test('cgroup v2: an unlimited service under a limited slice gets the slice limit', () => {
  const m = readCgroupMemory(roots('v2-parent-limit'))!;
  assert.equal(m.max, 1073741824);
  assert.equal(m.current, 209715200);
  assert.ok(m.limitDir!.endsWith('faultsense.slice'));
  assert.ok(Math.abs(m.fraction! - 209715200 / 1073741824) < 1e-9);
});

test('cgroup v2: no limit anywhere gives max null and fraction null', () => {
  const m = readCgroupMemory(roots('v2-unlimited'))!;
  assert.equal(m.max, null);
  assert.equal(m.fraction, null);
  assert.equal(m.current, 73400320);
});

test('cgroup v2 in a container namespace reads the mount root', () => {
  const m = readCgroupMemory(roots('v2-container'))!;
  assert.equal(m.max, 268435456);
  assert.equal(m.fraction, 0.5);
});

test('cgroup v1 (hybrid host): memory controller read, huge v1 "unlimited" ignored', () => {
  const m = readCgroupMemory(roots('v1-hybrid'))!;
  assert.equal(m.version, 1);
  assert.equal(m.max, 805306368);
  assert.equal(m.current, 629145600);
  assert.equal(m.workingSet, 629145600 - 52428800);
});

test('no cgroup information at all is undefined, not an error', () => {
  const dir = tempDir();
  assert.equal(readCgroupMemory({ proc: join(dir, 'proc'), sys: join(dir, 'sys') }), undefined);
});

test('the real machine: reading never throws and gives sane figures when present', () => {
  const m = readCgroupMemory();
  if (m) {
    assert.ok(m.current > 0);
    assert.ok(m.max === null || m.max > 0);
  }
});
