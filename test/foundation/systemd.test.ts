import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
      // The unit names faultsense(1), which exists once the package is installed (the release test
      // verifies the installed unit with its man page); here only the unit itself is checked.
      const r = spawnSync('systemd-analyze', ['verify', '--man=no', join(unitDir, unit)], { encoding: 'utf8' });
      // verify exits non-zero on errors; warnings about this machine's own units are not ours.
      const ours = (r.stderr ?? '').split('\n').filter((l) => l.includes(unit));
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(ours, [], ours.join('\n'));
      assert.match(readFileSync(join(unitDir, unit), 'utf8'), /^Documentation=man:faultsense\(1\) /m);
    });
  }

  // The exposure figure systemd computes for each unit (lower is better; 10 is unprotected).
  const MAX_EXPOSURE = 2.5;
  for (const unit of units) {
    it(`${unit} scores at most ${MAX_EXPOSURE} in systemd-analyze security --offline=yes`, (t) => {
      if (!requireProgram(t, 'systemd-analyze', 'apt-get install -y systemd')) return;
      const r = spawnSync('systemd-analyze', ['security', '--offline=yes', '--no-pager', join(unitDir, unit)], { encoding: 'utf8' });
      const m = /Overall exposure level for \S+: ([\d.]+)/.exec(r.stdout + r.stderr);
      assert.ok(m, `no exposure figure in:\n${r.stdout}${r.stderr}`);
      const score = Number(m[1]);
      t.diagnostic(`${unit} exposure ${score}`);
      assert.ok(score <= MAX_EXPOSURE, `${unit} exposure ${score} > ${MAX_EXPOSURE}`);
    });
  }

  it('faultsense.service is a hardened notify service with a watchdog that keeps retrying', () => {
    const text = readFileSync(join(unitDir, 'faultsense.service'), 'utf8');
    for (const line of ['Type=notify', 'WatchdogSec=', 'Restart=on-failure', 'StateDirectory=',
      'NoNewPrivileges=yes', 'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes',
      'SystemCallFilter=@system-service', 'ProtectProc=invisible', 'ProcSubset=', 'RemoveIPC=yes',
      'DeviceAllow=/dev/mpp_service rw', 'DeviceAllow=/dev/rga rw', 'DeviceAllow=char-video4linux rw',
      'MemoryMax=', 'LoadCredential=mqtt.password:']) {
      assert.ok(text.includes(line), `faultsense.service lacks ${line}`);
    }
    // A start limit would leave the board down for good after a bad hour; restarts are spaced instead.
    assert.match(text, /^StartLimitIntervalSec=0$/m);
    const restartSec = Number(/^RestartSec=(\d+)$/m.exec(text)?.[1]);
    assert.ok(restartSec >= 10, `RestartSec=${restartSec} retries too fast`);
    // A group missing on the system makes systemd refuse the unit; groups come from sysusers.d instead.
    assert.doesNotMatch(text, /^SupplementaryGroups=/m);
  });

  it('sysusers.d creates the user and joins it to video, audio and render (creating render if missing)', (t) => {
    if (!requireProgram(t, 'systemd-sysusers', 'apt-get install -y systemd')) return;
    const root = mkdtempSync(join(tmpdir(), 'faultsense-sysusers-'));
    t.after(() => rmSync(root, { recursive: true, force: true }));
    mkdirSync(join(root, 'etc'));
    // A Debian 12 install without a render group.
    writeFileSync(join(root, 'etc', 'group'), 'root:x:0:\nvideo:x:44:\naudio:x:29:\n');
    writeFileSync(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
    const r = spawnSync('systemd-sysusers', [`--root=${root}`, join(unitDir, 'faultsense.sysusers')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const group = readFileSync(join(root, 'etc', 'group'), 'utf8');
    for (const g of ['video', 'audio', 'render']) assert.match(group, new RegExp(`^${g}:x:\\d+:faultsense$`, 'm'), group);
    assert.match(readFileSync(join(root, 'etc', 'passwd'), 'utf8'), /^faultsense:x:\d+:\d+:.*:\/var\/lib\/faultsense:\/usr\/sbin\/nologin$/m);
  });
});
