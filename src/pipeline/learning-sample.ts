// Helpers of live baseline learning: a bounded sample that stays evenly spread
// over however long learning runs, and carrying one modality of a baseline
// directory over into a new one.
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { newBaselineDocument, readBaselineDocument, writeBaselineDocument } from '../baseline/store.js';
import type { Frame } from '../types.js';

/**
 * Keeps at most `max` of the items offered, evenly spread in time: every
 * `stride`-th candidate is taken, and when the sample is full every second
 * kept item is dropped and the stride doubles. Memory stays bounded however
 * long learning runs, and the result is deterministic (no random reservoir).
 */
export class ThinnedSample<T> {
  private kept: Array<{ index: number; item: T }> = [];
  private stride = 1;
  private next = 0;

  constructor(private readonly max: number) {
    if (!(max >= 2)) throw new Error(`a thinned sample needs room for at least 2 items, got ${max}`);
  }

  get size(): number { return this.kept.length; }

  /** Whether the next candidate would be kept (so the caller can skip copying it). */
  wants(): boolean { return this.next % this.stride === 0; }

  /** Offers the next candidate; call skip() instead when wants() is false. */
  add(item: T): void {
    const index = this.next++;
    if (index % this.stride !== 0) return;
    this.kept.push({ index, item });
    if (this.kept.length > this.max) {
      this.stride *= 2;
      this.kept = this.kept.filter((k) => k.index % this.stride === 0);
    }
  }

  skip(): void { this.next++; }

  /** Drops the first kept item that matches; returns whether one did. */
  remove(match: (item: T) => boolean): boolean {
    const i = this.kept.findIndex((k) => match(k.item));
    if (i < 0) return false;
    this.kept.splice(i, 1);
    return true;
  }

  /** Kept items in the order they were offered. */
  items(): T[] { return this.kept.map((k) => k.item); }
}

/**
 * Copies `modality`'s files (model, manifest and its self-test file) from
 * baseline directory `from` into `to` and adds its section to to/baseline.json.
 * Returns false when `from` has no such part.
 */
export function carryOverModality(from: string, to: string, modality: 'audio' | 'vision'): boolean {
  const meta = readBaselineDocument(from).modalities[modality];
  if (!meta) return false;
  const stem = meta.manifest.replace(/\.ya?ml$/, '');
  const files = new Set([meta.model, meta.manifest, ...readdirSync(from).filter((f) => f.startsWith(`${stem}.`))]);
  for (const f of files) {
    if (!existsSync(join(from, f))) throw new Error(`${join(from, f)} is missing`);
    copyFileSync(join(from, f), join(to, f));
  }
  let doc;
  try { doc = readBaselineDocument(to); } catch { doc = newBaselineDocument(); }
  doc.modalities[modality] = meta;
  writeBaselineDocument(to, doc);
  return true;
}

/** Name of a learned baseline directory: the UTC time, sortable (20261125T121557698Z). */
export const stampOf = (ms: number): string => new Date(ms).toISOString().replace(/[-:.]/g, '');

/** 8-bit luma copy of a frame at full size (BT.601, as the vision fitter converts). */
export function lumaFrame(frame: Frame): Frame {
  const n = frame.width * frame.height;
  if (frame.data.length < n * frame.channels) throw new Error(`frame from ${frame.source} is shorter than ${frame.width}x${frame.height}x${frame.channels}`);
  // Its own ArrayBuffer (never the shared pool), so it can be moved to the fitting worker.
  const out = Buffer.from(new ArrayBuffer(n));
  const d = frame.data;
  if (frame.channels === 1) d.copy(out, 0, 0, n);
  else for (let i = 0, j = 0; i < n; i++, j += 3) out[i] = Math.round(0.299 * d[j]! + 0.587 * d[j + 1]! + 0.114 * d[j + 2]!);
  return { data: out, width: frame.width, height: frame.height, channels: 1, ts: frame.ts, seq: frame.seq, source: frame.source };
}
