// One line a technician can read at a glance: the leading fault, how sure, and why.
import type { FaultMatch } from '../types.js';

/** `alarm:E-042` → "alarm E-042 on the display", and so on. */
export function explain(matched: string): string | undefined {
  const [kind, rest = ''] = matched.split(/:(.*)/s, 2) as [string, string?];
  if (kind === 'alarm') return `alarm ${rest} on the display`;
  if (kind === 'keyword') return `"${rest}"`;
  if (kind === 'quality') return `low ${rest.replace(/^low-/, '')} quality`;
  if (kind === 'audio') {
    if (rest.startsWith('anomaly=')) return `unusual sound (score ${rest.slice(8)})`;
    return `${rest} sound`;
  }
  if (kind === 'vision') {
    if (rest.startsWith('roi=')) return `visible change at ${rest.slice(4)}`;
    if (rest.startsWith('anomaly=')) return `visual anomaly (score ${rest.slice(8)})`;
  }
  return undefined;
}

export function summarize(faults: readonly FaultMatch[], ctx: { raiseAbove: number; modalities: string[] }): string {
  if (faults.length === 0) {
    return ctx.modalities.length === 0
      ? 'No findings to diagnose.'
      : `No fault found: ${ctx.modalities.join(' and ')} within normal range.`;
  }
  const top = faults[0]!;
  const reasons = [...new Set(top.matched.map(explain).filter((r): r is string => r !== undefined))];
  const keywords = reasons.filter((r) => r.startsWith('"'));
  const others = reasons.filter((r) => !r.startsWith('"'));
  if (keywords.length > 0) others.push(`mentions ${keywords.join(', ')}`);
  const sure = top.confidence >= ctx.raiseAbove ? '' : 'possible ';
  const rest = faults.length > 1 ? `; ${faults.length - 1} other candidate${faults.length > 2 ? 's' : ''}` : '';
  const pct = Math.round(top.confidence * 100);
  return `${sure}${top.title} (${pct}%): ${others.join(', ') || 'weak evidence'}${rest}`.replace(/^./, (c) => c.toUpperCase());
}
