import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/cli.js';
import { requireProgram } from '../helpers/programs.js';

const unitDir = join(REPO_ROOT, 'systemd');
const units = readdirSync(unitDir).filter((f) => f.endsWith('.service'));

describe('systemd units', () => {
  it('ships the daemon unit', () => {
    assert.ok(units.includes('faultsense.service'));
  });

  for (const unit of units) {
    it(`${unit} passes systemd-analyze verify`, (t) => {
      if (!requireProgram(t, 'systemd-analyze', 'apt-get install -y systemd')) return;
      const r = spawnSync('systemd-analyze', ['verify', join(unitDir, unit)], { encoding: 'utf8' });
      // verify exits non-zero on errors; warnings about this machine's own units are not ours.
      const ours = (r.stderr ?? '').split('\n').filter((l) => l.includes(unit));
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(ours, [], ours.join('\n'));
    });
  }

  it('faultsense.service is a hardened notify service with a watchdog', () => {
    const text = readFileSync(join(unitDir, 'faultsense.service'), 'utf8');
    for (const line of ['Type=notify', 'WatchdogSec=', 'Restart=on-failure', 'StartLimitBurst=', 'StateDirectory=',
      'NoNewPrivileges=yes', 'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes', 'SupplementaryGroups=video audio',
      'DeviceAllow=', 'MemoryMax=']) {
      assert.ok(text.includes(line), `faultsense.service lacks ${line}`);
    }
  });
});
