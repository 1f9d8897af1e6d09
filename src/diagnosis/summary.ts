// One line a technician can read at a glance. `summarize` describes a full
// diagnosis (the leading fault, how sure, and why); `summarizeTransition`
// describes one publication of the FaultTracker: what was raised, updated or
// cleared, and which faults stay raised — always exactly the faults the
// publication carries.
import type { Diagnosis, FaultMatch } from '../types.js';

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

const pct = (confidence: number): string => `${Math.round(confidence * 100)}%`;
const capitalise = (s: string): string => s.replace(/^./, (c) => c.toUpperCase());

/** Why a fault matched, in words: strong signals first, keywords last. */
export function reasons(f: FaultMatch): string {
  const all = [...new Set(f.matched.map(explain).filter((r): r is string => r !== undefined))];
  const keywords = all.filter((r) => r.startsWith('"'));
  const others = all.filter((r) => !r.startsWith('"'));
  if (keywords.length > 0) others.push(`mentions ${keywords.join(', ')}`);
  return others.join(', ') || 'weak evidence';
}

/**
 * Modalities whose findings say they were not assessed (`assessed: false`), with the reason:
 * they must never be reported as "within normal range".
 */
export function unassessedModalities(modalities: Diagnosis['modalities']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, m] of Object.entries(modalities) as Array<[string, { assessed?: boolean; unassessedReason?: string } | undefined]>) {
    if (m && m.assessed === false) out[name] = m.unassessedReason ?? 'no score';
  }
  return out;
}

/** "vision within normal range; audio not assessed: speech over 80 % of the clip" */
function normalAndUnassessed(modalities: readonly string[], unassessed: Record<string, string> = {}): string {
  const normal = modalities.filter((m) => !(m in unassessed));
  const notAssessed = Object.entries(unassessed).map(([m, why]) => `${m} not assessed: ${why}`);
  return [normal.length ? `${normal.join(' and ')} within normal range` : '', ...notAssessed].filter(Boolean).join('; ');
}

export function summarize(faults: readonly FaultMatch[], ctx: { raiseAbove: number; modalities: string[]; unassessed?: Record<string, string> }): string {
  if (faults.length === 0) {
    return ctx.modalities.length === 0
      ? 'No findings to diagnose.'
      : `No fault found: ${normalAndUnassessed(ctx.modalities, ctx.unassessed)}.`;
  }
  const top = faults[0]!;
  const sure = top.confidence >= ctx.raiseAbove ? '' : 'possible ';
  const rest = faults.length > 1 ? `; ${faults.length - 1} other candidate${faults.length > 2 ? 's' : ''}` : '';
  return capitalise(`${sure}${top.title} (${pct(top.confidence)}): ${reasons(top)}${rest}`);
}

export type TransitionState = 'raised' | 'updated' | 'cleared' | 'healthy';

export interface Transition {
  state: TransitionState;
  /** The faults the publication carries: every fault raised after this transition. */
  faults: readonly FaultMatch[];
  /** Ids of the faults raised or updated by it (raised/updated). */
  changed?: readonly string[];
  /** Confidence last published for each updated fault. */
  previous?: ReadonlyMap<string, number>;
  /** The faults it cleared (cleared). */
  cleared?: readonly FaultMatch[];
  /** Modalities of the findings behind it (healthy). */
  modalities?: readonly string[];
  /** Of those, the ones not assessed and why (healthy). */
  unassessed?: Record<string, string>;
}

const brief = (list: readonly FaultMatch[]): string => list.map((f) => `${f.title} (${pct(f.confidence)})`).join(', ');

/** The summary of one tracker publication; it names every fault in `t.faults`. */
export function summarizeTransition(t: Transition): string {
  const changed = new Set(t.changed ?? []);
  const subject = t.faults.filter((f) => changed.has(f.id));
  const others = t.faults.filter((f) => !changed.has(f.id));
  switch (t.state) {
    case 'healthy': {
      const mods = t.modalities ?? [];
      return mods.length > 0 ? `Healthy: no fault raised; ${normalAndUnassessed(mods, t.unassessed)}.` : 'Healthy: no fault raised.';
    }
    case 'cleared': {
      const titles = (t.cleared ?? []).map((f) => f.title).join(', ') || 'nothing';
      return t.faults.length > 0
        ? `Cleared: ${titles}. Still raised: ${brief(t.faults)}.`
        : `Cleared: ${titles}. No fault remains raised.`;
    }
    case 'raised': {
      const head = subject.map((f) => `${f.title} (${pct(f.confidence)}): ${reasons(f)}`).join('; ');
      return `Raised: ${head}.${others.length > 0 ? ` Also raised: ${brief(others)}.` : ''}`;
    }
    case 'updated': {
      const head = subject.map((f) => {
        const before = t.previous?.get(f.id);
        const move = before === undefined ? pct(f.confidence) : `${pct(before)} → ${pct(f.confidence)}`;
        return `${f.title} ${move}: ${reasons(f)}`;
      }).join('; ');
      return `Updated: ${head}.${others.length > 0 ? ` Also raised: ${brief(others)}.` : ''}`;
    }
  }
}
