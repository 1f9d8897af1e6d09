// Loss reports: what the outbox could not deliver, published (retained, QoS 1)
// on <device>/outbox/loss so that a subscriber can tell a gap in seq apart
// from a message it missed.
import type { Severity } from '../types.js';
import { MQTT_SCHEMA_VERSION } from './schema-version.js';

export type LossReason =
  /** The outbox reached maxMessages/maxBytes; the oldest low-severity messages went. */
  | 'outbox-full'
  /** The outbox file could not be written and the memory queue that holds diagnoses meanwhile was full. */
  | 'memory-queue-full'
  /** The outbox file was damaged (SQLite reported corruption) and was moved aside. */
  | 'outbox-damaged'
  /** The outbox file was empty (0 bytes) or missing while seqs had been assigned; it was moved aside or recreated. */
  | 'outbox-emptied'
  /** The outbox holds fewer seqs than the high-water mark says were assigned (a crash between the two, or an older copy). */
  | 'outbox-behind';

/** The body of a loss report: what was dropped since the previous report of this reason went out. */
export interface LossReport {
  /** The MQTT contract's version (absent in a report queued by a release before it). */
  schemaVersion?: string;
  reason: LossReason;
  /** Messages dropped (for damaged/emptied/behind: diagnoses not known to be delivered). */
  dropped: number;
  byKind: Record<string, number>;
  /** Seq ranges [first, last] of the diagnoses concerned (at most 200 ranges; see truncated). */
  seqRanges: Array<[number, number]>;
  truncated: boolean;
  firstDropTs: string;
  lastDropTs: string;
  /** For damaged/emptied/behind: the diagnoses in seqRanges were committed but are not known to have reached the
   *  broker; a subscriber that holds one of them lost nothing. */
  uncertain?: boolean;
  /** Where the damaged file was moved. */
  movedAside?: string;
  /** What SQLite (or the file system) said. */
  error?: string;
}

const MAX_RANGES = 200;

export function emptyLossReport(reason: LossReason, now = new Date().toISOString()): LossReport {
  return { schemaVersion: MQTT_SCHEMA_VERSION, reason, dropped: 0, byKind: {}, seqRanges: [], truncated: false, firstDropTs: now, lastDropTs: now };
}

export function addSeqToRanges(report: LossReport, seq: number): void {
  const last = report.seqRanges[report.seqRanges.length - 1];
  if (last && seq === last[1] + 1) { last[1] = seq; return; }
  if (last && seq >= last[0] && seq <= last[1]) return;
  if (report.seqRanges.length >= MAX_RANGES) { report.truncated = true; return; }
  report.seqRanges.push([seq, seq]);
}

/** Adds one dropped message to a report. */
export function addDrop(report: LossReport, kind: string, priority: number, seq: number | null): void {
  report.dropped += 1;
  const key = kind === 'diagnosis' ? `diagnosis:${severityOf(priority)}` : kind;
  report.byKind[key] = (report.byKind[key] ?? 0) + 1;
  if (kind === 'diagnosis' && seq !== null) addSeqToRanges(report, seq);
  report.lastDropTs = new Date().toISOString();
}

/** A report for the diagnoses with seqs in (after, through], minus those known to be safe. */
export function rangeLossReport(reason: LossReason, after: number, through: number, safe: ReadonlySet<number>,
  extra: Pick<LossReport, 'movedAside' | 'error'> = {}): LossReport {
  const r: LossReport = { ...emptyLossReport(reason), uncertain: true, ...extra };
  for (let s = after + 1; s <= through; s++) {
    if (safe.has(s)) continue;
    r.dropped += 1;
    addSeqToRanges(r, s);
  }
  if (r.dropped > 0) r.byKind.diagnosis = r.dropped;
  return r;
}

function severityOf(priority: number): Severity {
  return priority === 0 ? 'ok' : priority === 1 ? 'info' : priority === 2 ? 'warning' : 'critical';
}
