// journald logging through a fake journal socket: a python listener bound to a
// unix datagram socket stands in for /run/systemd/journal/socket (there is no
// journald here). A real `faultsense run` child with stderr on a file whose
// device:inode is given as JOURNAL_STREAM, as systemd does for services.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { JournalTransport, journalPayload, prefixedLine, stderrIsJournal } from '../../src/system/journal.js';
import { statusSummary } from '../../src/system/status-line.js';
import { exited, REPO_ROOT } from '../helpers/cli.js';
import { DatagramListener } from '../helpers/datagram-listener.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();

/** Stands in for journald's native socket: prints each datagram as parsed fields. */
class FakeJournalSocket extends DatagramListener {
  /** Each datagram as native-protocol fields (a field may repeat). */
  get records(): Map<string, string[]>[] {
    return this.messages.map((m) => {
      const fields = new Map<string, string[]>();
      for (const l of m.msg.split('\n').filter(Boolean)) {
        const eq = l.indexOf('=');
        const k = l.slice(0, eq);
        fields.set(k, [...(fields.get(k) ?? []), l.slice(eq + 1)]);
      }
      return fields;
    });
  }
  async waitForRecord(pred: (r: Map<string, string[]>) => boolean, timeoutMs: number): Promise<Map<string, string[]>> {
    await this.waitFor(() => this.records.some(pred), timeoutMs, 'journal record matched');
    return this.records.find(pred)!;
  }
}

describe('journald logging', () => {
  it('builds native-protocol fields: priority, identifier, component, fault and diagnosis ids', () => {
    const payload = journalPayload({
      level: 'warn', message: 'two\nlines', component: 'diagnosis.published',
      diagnosisId: 'd-1', faultIds: ['coolant-pump-bearing', 'belt-slip'], seq: 7,
    });
    const lines = payload.trimEnd().split('\n');
    assert.ok(lines.includes('PRIORITY=4'));
    assert.ok(lines.includes('SYSLOG_IDENTIFIER=faultsense'));
    assert.ok(lines.includes('FAULTSENSE_COMPONENT=diagnosis.published'));
    assert.ok(lines.includes('DIAGNOSIS_ID=d-1'));
    assert.ok(lines.includes('FAULT_ID=coolant-pump-bearing') && lines.includes('FAULT_ID=belt-slip'));
    assert.ok(lines.includes('FAULTSENSE_SEQ=7'));
    assert.equal(lines.filter((l) => l.startsWith('MESSAGE=')).length, 1, 'a multi-line message stays one field');
    assert.equal(prefixedLine({ level: 'error', message: 'boom', component: 'mqtt' }), '<3>[mqtt] boom\n');
  });

  it('detects the journal stream only when JOURNAL_STREAM names stderr', () => {
    const file = join(dir, 'stream.log');
    const fd = openSync(file, 'w');
    try {
      const st = statSync(file);
      assert.equal(stderrIsJournal({ JOURNAL_STREAM: `${st.dev}:${st.ino}` }, fd), true);
      assert.equal(stderrIsJournal({ JOURNAL_STREAM: `${st.dev}:${st.ino + 1}` }, fd), false);
      assert.equal(stderrIsJournal({}, fd), false);
    } finally { closeSync(fd); }
  });

  it('falls back to <N>-prefixed stderr lines when the journal socket cannot be reached', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => { text += d.toString(); });
    const t = new JournalTransport({ socket: join(dir, 'no-such-journal.sock'), fallback: out });
    await new Promise<void>((r) => t.log({ level: 'error', message: 'camera lost', component: 'capture.camera' }, r));
    await new Promise<void>((r) => t.log({ level: 'info', message: 'camera back', component: 'capture.camera' }, r));
    assert.ok(t.fallbackReason, 'the failure is remembered');
    assert.match(text, /^<4>\[logger\] cannot write to the journal socket/m);
    assert.match(text, /^<3>\[capture\.camera\] camera lost$/m);
    assert.match(text, /^<6>\[capture\.camera\] camera back$/m);
  });

  it('summarises the status from component health', () => {
    const line = statusSummary({
      camera: { kind: 'camera', rate: 2, state: 'online' },
      mqtt: { outbox: { depth: 0 } },
      diagnosis: { raised: ['coolant-pump-bearing'] },
    }, []);
    assert.equal(line, 'monitoring · 1 fault raised (coolant-pump-bearing) · outbox 0 · camera 2.0 fps');
    assert.match(statusSummary({ mqtt: { outbox: { depth: 3 } } }, ['outbox failing']), /outbox 3 · PROBLEM: outbox failing$/);
  });

  it('a service under systemd logs to the journal with fields and keeps STATUS= current', async (t) => {
    if (!requireProgram(t, 'python3')) return;
    const journal = new FakeJournalSocket(join(dir, 'fake-journal.sock'));
    const notify = new FakeJournalSocket(join(dir, 'fake-notify.sock'));
    t.after(() => { journal.close(); notify.close(); });
    await Promise.all([journal.bound, notify.bound]);
    const config = join(dir, 'svc.yaml');
    writeFileSync(config, `deviceId: journal-test\nstateDir: ${join(dir, 'state')}\nstopTimeoutSec: 5\nmqtt:\n  url: embedded\n  embeddedPort: 0\n`);
    const stderrFile = join(dir, 'stderr.log');
    const fd = openSync(stderrFile, 'w');
    const st = statSync(stderrFile);
    const env: NodeJS.ProcessEnv = {
      ...process.env, JOURNAL_STREAM: `${st.dev}:${st.ino}`, FAULTSENSE_JOURNAL_SOCKET: journal.address,
      NOTIFY_SOCKET: notify.address,
    };
    delete env.FAULTSENSE_LOG_FORMAT;
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test', 'helpers', 'cli-entry.ts'), 'run', '-c', config],
      { cwd: REPO_ROOT, env, stdio: ['ignore', 'ignore', fd] });
    closeSync(fd);
    t.after(() => child.kill('SIGKILL'));
    const running = await journal.waitForRecord((r) => /faultsense running as journal-test/.test(r.get('MESSAGE')?.[0] ?? ''), 30_000)
      .catch((e: Error) => { throw new Error(`${e.message}\nstderr: ${readFileSync(stderrFile, 'utf8')}`); });
    assert.deepEqual(running.get('PRIORITY'), ['6']);
    assert.deepEqual(running.get('SYSLOG_IDENTIFIER'), ['faultsense']);
    assert.deepEqual(running.get('FAULTSENSE_COMPONENT'), ['daemon']);
    assert.deepEqual(running.get('SYSLOG_PID'), [String(child.pid)]);
    const ready = await notify.waitForRecord((r) => r.has('READY'), 5000);
    assert.match(ready.get('STATUS')?.[0] ?? '', /^monitoring · 0 faults raised · outbox \d+/);
    // Kept current: once the healthy diagnosis queued at start is delivered, a new STATUS= says so.
    // health says anomaly detection is off (no baseline), and so does the status line.
    await notify.waitForRecord((r) => r.get('STATUS')?.[0] === 'monitoring · 0 faults raised · outbox 0 · anomaly detection off (no baseline)', 10_000);
    const warning = await journal.waitForRecord((r) => /no baseline is active: anomaly detection is off/.test(r.get('MESSAGE')?.[0] ?? ''), 1000);
    assert.deepEqual(warning.get('PRIORITY'), ['4'], 'a warning, so journalctl -p warning shows it');
    child.kill('SIGTERM');
    assert.equal(await exited(child), 0);
    await journal.waitForRecord((r) => /^stopping/.test(r.get('MESSAGE')?.[0] ?? ''), 3000);
    assert.doesNotMatch(readFileSync(stderrFile, 'utf8'), /faultsense running/, 'records went to the journal, not to stderr');
  });
});
