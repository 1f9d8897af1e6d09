// The outbox on real SQLite files: durable seq, commit order, bounds and loss reports.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Outbox, PRIORITY, type LossReport } from '../../src/publish/outbox.js';
import { tempDir } from '../helpers/tmp.js';

function open(file: string, maxMessages = 1000, maxBytes = 10_000_000): Outbox {
  return new Outbox({ file, maxMessages, maxBytes, synchronous: 'full', lossTopic: 'fs/dev/outbox/loss' });
}

function enqueueDiag(o: Outbox, severity: keyof typeof PRIORITY): number {
  return o.enqueueWithSeq((seq) => ({ topic: 'fs/dev/diagnosis', payload: Buffer.from(JSON.stringify({ seq, severity })), priority: PRIORITY[severity] }));
}

test('seq is +1 per diagnosis and survives closing and reopening the file', () => {
  const file = join(tempDir(), 'outbox.sqlite');
  let o = open(file);
  assert.deepEqual([enqueueDiag(o, 'info'), enqueueDiag(o, 'info'), enqueueDiag(o, 'critical')], [1, 2, 3]);
  // Acknowledged messages leave the outbox; the counter does not go back.
  for (const m of o.claimNext(0, 10)) o.ack(m.id);
  o.close();
  o = open(file);
  assert.equal(o.stats().depth, 0);
  assert.equal(enqueueDiag(o, 'warning'), 4);
  o.close();
});

test('claimNext hands out messages in commit order, each once until released', () => {
  const o = open(join(tempDir(), 'outbox.sqlite'));
  for (let i = 0; i < 5; i++) enqueueDiag(o, 'info');
  const first = o.claimNext(0, 3);
  assert.deepEqual(first.map((m) => m.seq), [1, 2, 3]);
  assert.deepEqual(o.claimNext(0, 10).map((m) => m.seq), [4, 5]);
  assert.equal(o.claimNext(0, 10).length, 0);
  o.releaseInflight();
  o.ack(first[0]!.id);
  o.flushAcks();
  assert.deepEqual(o.claimNext(0, 10).map((m) => m.seq), [2, 3, 4, 5]);
  o.close();
});

test('when full, the oldest info goes first, then warning; critical is kept and the loss is reported', () => {
  const o = open(join(tempDir(), 'outbox.sqlite'), 6);
  enqueueDiag(o, 'critical'); // 1
  enqueueDiag(o, 'info'); // 2
  enqueueDiag(o, 'warning'); // 3
  enqueueDiag(o, 'info'); // 4
  enqueueDiag(o, 'critical'); // 5
  enqueueDiag(o, 'info'); // 6
  enqueueDiag(o, 'critical'); // 7 → drops info 2 (loss report takes one slot too → drops info 4)
  const kept = o.claimNext(0, 100);
  const seqs = kept.filter((m) => m.kind === 'diagnosis').map((m) => m.seq);
  assert.deepEqual(seqs, [1, 3, 5, 6, 7]);
  const loss = kept.filter((m) => m.kind === 'loss');
  assert.equal(loss.length, 1);
  const report = JSON.parse(loss[0]!.payload.toString()) as LossReport;
  assert.equal(report.dropped, 2);
  assert.deepEqual(report.seqRanges, [[2, 2], [4, 4]]);
  assert.deepEqual(report.byKind, { 'diagnosis:info': 2 });
  o.releaseInflight();
  // More critical ones: infos and the warning go, never a critical.
  for (let i = 0; i < 4; i++) enqueueDiag(o, 'critical');
  const after = o.claimNext(0, 100);
  const severities = after.filter((m) => m.kind === 'diagnosis').map((m) => (JSON.parse(m.payload.toString()) as { severity: string }).severity);
  assert.ok(severities.every((s) => s === 'critical'), `only critical left, got ${severities.join(',')}`);
  assert.equal(severities.length, 7, 'all 7 critical diagnoses kept even beyond the bound');
  const report2 = JSON.parse(after.find((m) => m.kind === 'loss')!.payload.toString()) as LossReport;
  assert.equal(report2.dropped, 4);
  assert.deepEqual(report2.byKind, { 'diagnosis:info': 3, 'diagnosis:warning': 1 });
  assert.equal(o.stats().droppedTotal, 4);
  o.close();
});

test('the byte bound drops evidence before diagnoses', () => {
  const o = open(join(tempDir(), 'outbox.sqlite'), 1000, 5000);
  enqueueDiag(o, 'info');
  o.enqueue({ topic: 'fs/dev/evidence/x/snapshot', payload: Buffer.alloc(3000), priority: PRIORITY.evidence, kind: 'evidence' });
  o.enqueue({ topic: 'fs/dev/evidence/y/snapshot', payload: Buffer.alloc(3000), priority: PRIORITY.evidence, kind: 'evidence' });
  const kinds = o.claimNext(0, 100).map((m) => m.kind);
  assert.deepEqual(kinds, ['diagnosis', 'evidence', 'loss']);
  assert.ok(o.stats().bytes <= 5000);
  o.close();
});
