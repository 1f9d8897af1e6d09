// Small schema pieces shared by several config sections.
import { z } from 'zod';

export const positive = (what: string) => z.number({ error: `expected a number (${what})` }).positive();
export const byteSize = z.union([
  z.number().int().min(0),
  z.string().regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB|KiB|MiB|GiB)?$/i, 'expected a size such as 500MB or 2GiB'),
]);

/** Parses "500MB", "2GiB", 1024 into bytes. */
export function toBytes(v: number | string): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(v.trim());
  if (!m) throw new Error(`not a size: ${v}`);
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  const mult: Record<string, number> = {
    '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3,
  };
  return Math.round(n * (mult[unit] ?? 1));
}
