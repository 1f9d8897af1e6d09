// The outbox when its file fails, on real SQLite files: a damaged page, a file
// truncated to 0 bytes, a full file (SQLite's max_page_count makes it report
// SQLITE_FULL exactly as on a full disk), a stop while diagnoses wait in memory.
// Each case must end with a loss report naming what is gone and no reused seq.
import assert from 'node:assert/strict';
import { closeSync, existsSync, openSync, readdirSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Outbox, PRIORITY, type LossReport, type OutboxMessage } from '../../src/publish/outbox.js';
import { SeqHighWater } from '../../src/publish/seq-high-water.js';
import { tempDir } from '../helpers/tmp.js';

function open(file: string, extra: Partial<ConstructorParameters<typeof Outbox>[0]> = {}): Outbox {
  return new Outbox({ file, maxMessages: 1000, maxBytes: 50_000_000, synchronous: 'full', lossTopic: 'fs/dev/outbox/loss', retryMs: 60_000, ...extra });
}

/** A diagnosis big enough (3 kB) that every commit needs new pages. */
function diag(o: Outbox, severity: keyof typeof PRIORITY = 'info'): number {
  return o.enqueueWithSeq((seq) => ({ topic: 'fs/dev/diagnosis', payload: Buffer.from(JSON.stringify({ seq, severity, pad: 'x'.repeat(3000) })),
    priority: PRIORITY[severity] }));
}

const seqsOf = (msgs: OutboxMessage[]) => msgs.filter((m) => m.kind === 'diagnosis').map((m) => m.seq!);
const lossesOf = (msgs: OutboxMessage[]) => msgs.filter((m) => m.kind === 'loss').map((m) => JSON.parse(m.payload.toString()) as LossReport);
const inRanges = (r: LossReport, s: number) => r.seqRanges.some(([a, b]) => s >= a && s <= b);

/** Delivers (acknowledges) everything pending, as the broker would. */
function deliverAll(o: Outbox): OutboxMessage[] {
  const msgs = o.claimNext(0, 10_000);
  for (const m of msgs) o.ack(m.id);
  o.flushAcks();
  return msgs;
}

test('a damaged page: the file is moved aside, readable messages are kept, the rest is reported, seq goes on', () => {
  const dir = tempDir();
  const file = join(dir, 'outbox.sqlite');
  let o = open(file);
  for (let i = 0; i < 4; i++) diag(o);
  assert.deepEqual(seqsOf(deliverAll(o)), [1, 2, 3, 4]);
  for (let i = 0; i < 16; i++) diag(o); // 5..20 wait for the broker
  o.close();
  // Overwrite one page in the middle of the message table.
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, 10 * 4096);
  closeSync(fd);

  o = open(file);
  const msgs = o.claimNext(0, 100);
  const [report] = lossesOf(msgs);
  assert.ok(report, 'a loss report is committed');
  assert.equal(report.reason, 'outbox-damaged');
  assert.match(report.error ?? '', /malformed|integrity/);
  assert.ok(report.movedAside && existsSync(report.movedAside), `moved aside: ${report.movedAside}`);
  assert.deepEqual(o.stats().movedAside, [report.movedAside]);
  assert.equal(msgs.find((m) => m.kind === 'loss')!.retain, true, 'loss reports are retained');
  // Every seq that was waiting is either carried over or reported, never both; delivered ones are not reported.
  const kept = seqsOf(msgs);
  for (let s = 5; s <= 20; s++) assert.ok(kept.includes(s) !== inRanges(report, s), `seq ${s}: kept=${kept.includes(s)} reported=${inRanges(report, s)}`);
  for (let s = 1; s <= 4; s++) assert.ok(!kept.includes(s) && !inRanges(report, s), `delivered seq ${s} is neither kept nor reported`);
  assert.ok(report.dropped > 0 && report.dropped < 16, `some messages were readable, some not (${report.dropped} reported)`);
  assert.equal(diag(o), 21, 'seq continues after the highest ever assigned');
  o.close();
});

test('an outbox truncated to 0 bytes: moved aside, everything not delivered is reported, seq does not restart at 1', () => {
  const dir = tempDir();
  const file = join(dir, 'outbox.sqlite');
  let o = open(file);
  for (let i = 0; i < 3; i++) diag(o);
  deliverAll(o);
  for (let i = 0; i < 3; i++) diag(o); // 4..6 pending
  o.close();
  truncateSync(file, 0);

  o = open(file);
  const msgs = o.claimNext(0, 100);
  const [report] = lossesOf(msgs);
  assert.equal(report?.reason, 'outbox-emptied');
  assert.deepEqual(report.seqRanges, [[4, 6]]);
  assert.equal(report.dropped, 3);
  assert.ok(report.movedAside && statSync(report.movedAside).size === 0, 'the empty file was renamed with a time stamp');
  assert.match(report.movedAside, /outbox\.sqlite\.damaged-\d{4}-\d\d-\d\dT/);
  assert.equal(diag(o), 7);
  o.close();
  // And once more after a normal restart: no report again, seq continues.
  o = open(file);
  assert.equal(lossesOf(deliverAll(o)).length, 1, 'the same report, not a second one');
  assert.equal(diag(o), 8);
  o.close();
});

test('a full file (SQLITE_FULL): diagnoses wait in memory, stats say failing, and are committed in order after recovery', () => {
  const file = join(tempDir(), 'outbox.sqlite');
  const o = open(file);
  diag(o);
  diag(o);
  o.capPagesForTest(1); // no page may be added: SQLite answers SQLITE_FULL
  const during = [diag(o, 'warning'), diag(o, 'critical'), diag(o, 'info')];
  assert.deepEqual(during, [3, 4, 5], 'seqs are assigned while the file is full');
  const s = o.stats();
  assert.equal(s.state, 'failing');
  assert.match(s.error ?? '', /SQLITE_FULL/);
  assert.equal(s.memoryQueued, 3);
  assert.match(o.problem() ?? '', /outbox failing since .*SQLITE_FULL.*3 message\(s\) held in memory/);
  assert.equal(o.retryNowForTest(), false, 'still full');
  o.capPagesForTest(null); // space returns
  assert.equal(o.retryNowForTest(), true);
  assert.equal(o.stats().state, 'ok');
  assert.equal(o.problem(), undefined);
  const msgs = o.claimNext(0, 100);
  assert.deepEqual(seqsOf(msgs), [1, 2, 3, 4, 5]);
  assert.equal(lossesOf(msgs).length, 0, 'nothing was lost');
  assert.equal(diag(o), 6);
  o.close();
});

test('a full file and a small memory queue: the lowest severity is dropped and reported once the file works', () => {
  const file = join(tempDir(), 'outbox.sqlite');
  const o = open(file, { memoryMaxMessages: 3 });
  diag(o);
  o.capPagesForTest(1);
  // 2 info, 3 critical, 4 warning, 5 info, 6 critical: room for 3.
  for (const sev of ['info', 'critical', 'warning', 'info', 'critical'] as const) diag(o, sev);
  assert.equal(o.stats().memoryDropped, 2);
  o.capPagesForTest(null);
  assert.ok(o.retryNowForTest());
  const msgs = o.claimNext(0, 100);
  assert.deepEqual(seqsOf(msgs), [1, 3, 4, 6]);
  const [report] = lossesOf(msgs);
  assert.equal(report?.reason, 'memory-queue-full');
  assert.deepEqual(report.seqRanges, [[2, 2], [5, 5]]);
  assert.deepEqual(report.byKind, { 'diagnosis:info': 2 });
  o.close();
});

test('stopped while diagnoses waited in memory: the next start reports exactly those seqs and goes on after them', () => {
  const file = join(tempDir(), 'outbox.sqlite');
  let o = open(file);
  diag(o);
  o.capPagesForTest(1);
  diag(o);
  diag(o);
  assert.equal(o.stats().memoryQueued, 2);
  o.close(); // the last retry fails too: 2 and 3 are gone
  o = open(file);
  const msgs = o.claimNext(0, 100);
  const [report] = lossesOf(msgs);
  assert.equal(report?.reason, 'outbox-behind');
  assert.deepEqual(report.seqRanges, [[2, 3]]);
  assert.equal(diag(o), 4);
  o.close();
});

test('the high-water mark survives a torn slot and is only ever moved forward', () => {
  const dir = tempDir();
  const file = join(dir, 'hw.seq');
  const hw = new SeqHighWater(file, true);
  hw.write({ seq: 10, deliveredThrough: 4 });
  hw.write({ seq: 11, deliveredThrough: 4 });
  hw.write({ seq: 9, deliveredThrough: 5 }); // never back
  hw.close();
  assert.deepEqual(new SeqHighWater(file, true).read(), { seq: 11, deliveredThrough: 5 });
  // Tear the newest slot: the other one still answers.
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(10, 0xff), 0, 10, 6 + ((3 % 2) * 32) + 4);
  closeSync(fd);
  assert.deepEqual(new SeqHighWater(file, true).read(), { seq: 11, deliveredThrough: 4 });
  assert.deepEqual(readdirSync(dir), ['hw.seq'], 'no temp files left behind');
});
