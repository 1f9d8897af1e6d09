// A child process spawned to measure its own memory (the precision bench's
// per-model-set probe) must not report its parent's peak: getrusage's maxRSS
// does on Linux (the high-water mark survives fork and exec), VmHWM does not.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers/cli.js';
import { ownPeakRssMb } from '../../src/system/peak-rss.js';

test('a child spawned from a big parent reports its own peak RSS, not the parent\'s', { skip: process.platform !== 'linux' && 'Linux /proc only' }, () => {
  const big = Buffer.alloc(300 * 1024 * 1024, 1);  // touched pages: the parent's peak is now above 300 MB
  assert.ok(ownPeakRssMb() >= 300, `parent peak ${ownPeakRssMb()} MB`);
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e',
    "import('./src/system/peak-rss.ts').then((m) => console.log(JSON.stringify({ own: m.ownPeakRssMb(), rusage: Math.round(process.resourceUsage().maxRSS / 1024) })))"],
  { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  const { own, rusage } = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { own: number; rusage: number };
  assert.ok(own < 200, `the child's own peak is ${own} MB`);
  // What the probe used to read: the parent's high-water mark (kept here to show why VmHWM is used).
  assert.ok(rusage >= 300, `getrusage maxRSS in the child: ${rusage} MB`);
  assert.equal(big[big.length - 1], 1);
});
