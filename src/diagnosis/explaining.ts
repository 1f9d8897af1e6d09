// Explaining away: which faults to raise when several match the same evidence.
//
// Each fault's evidence is a set of items resting on observations (atoms: an
// alarm code, the sound's anomaly, its impulses, their rate...). Faults are
// causes in a noisy-OR model: once a cause is accepted with confidence c, an
// observation it explains needs no other cause, so what it still says for a
// competing fault is scaled by (1 − c). Greedy, strongest residual first:
//   1. score every fault on its evidence not yet explained (its residual confidence);
//   2. raise the best if it reaches the raise level and nothing raised or read excludes it;
//   3. it explains the atoms it matched, and, when its alarm code was read, the display's
//      anomaly and every sound its catalogue entry lists;
//   4. repeat until no fault reaches the raise level;
//   5. each raised fault is rescored without what the others explain.
// Faults left over become ranked candidates with the reason they lost.
import type { FaultCandidate } from '../types.js';
import type { CatalogFault } from './catalog.js';
import type { EvidenceItem, FusedConfidence } from './fusion.js';

export interface ScoredEvidence {
  fault: CatalogFault;
  items: EvidenceItem[];
  missing: string[];
  /** Confidence on all its own evidence. */
  alone: FusedConfidence;
}

export interface RaisedFault {
  scored: ScoredEvidence;
  /** Residual confidence when it was raised (equal to `alone` for the first). */
  confidence: number;
  /** Atoms it explains. */
  explains: string[];
  /** Its atoms that another raised fault explains (left out of its confidence and its reasons). */
  takenByOthers?: string[];
}

export interface LosingFault {
  scored: ScoredEvidence;
  confidence: number;
  because: FaultCandidate['because'] | 'below-raise' | 'low-quality';
  /** Fault id (or `alarm:CODE`) that explains or excludes it. */
  by?: string;
  /** Its atoms that were explained away. */
  explainedAtoms: string[];
}

export interface SelectionOptions {
  raiseAbove: number;
  reportAbove: number;
  /** Fuses (residual) items of one fault into a confidence. */
  fuse: (s: ScoredEvidence, items: EvidenceItem[]) => FusedConfidence;
  /** Extra atoms a raised fault explains beyond those it matched (display anomaly, listed sounds). */
  alsoExplains: (s: ScoredEvidence) => string[];
  /** Whether a raised fault's own item explains its atom (default: every item with strength). */
  claims?: (s: ScoredEvidence, item: EvidenceItem) => boolean;
  /** Alarm codes read on the display (normalised), for exclusions by alarm code. */
  excludedByAlarm: (f: CatalogFault) => string | undefined;
}

export interface Selection { raised: RaisedFault[]; losers: LosingFault[] }

const specificWeight = (items: readonly EvidenceItem[]) => items.filter((i) => i.specific).reduce((s, i) => s + i.strength, 0);

export function selectExplanations(scored: readonly ScoredEvidence[], opts: SelectionOptions): Selection {
  /** Probability that each atom is explained by the faults raised so far, and by whom (the strongest). */
  const explained = new Map<string, { p: number; by: string; byConfidence: number }>();
  const residual = (s: ScoredEvidence): EvidenceItem[] => s.items.map((i) => ({ ...i, strength: i.strength * (1 - (explained.get(i.atom)?.p ?? 0)) }));
  const raised: RaisedFault[] = [];
  const excluded = new Map<string, string>();
  const pool = new Set(scored);

  for (;;) {
    let best: { s: ScoredEvidence; c: number; items: EvidenceItem[] } | undefined;
    for (const s of pool) {
      const items = residual(s);
      const c = opts.fuse(s, items).confidence;
      if (!best || c > best.c + 1e-9 || (Math.abs(c - best.c) <= 1e-9 &&
        (specificWeight(items) > specificWeight(best.items) || (specificWeight(items) === specificWeight(best.items) && s.fault.id < best.s.fault.id)))) {
        best = { s, c, items };
      }
    }
    if (!best || best.c < opts.raiseAbove) break;
    pool.delete(best.s);
    const f = best.s.fault;
    const byAlarm = opts.excludedByAlarm(f);
    const byFault = raised.find((r) => f.excludes.faults.includes(r.scored.fault.id) || r.scored.fault.excludes.faults.includes(f.id));
    if (byAlarm || byFault) {
      excluded.set(f.id, byAlarm ?? byFault!.scored.fault.id);
      continue;
    }
    const own = best.items.filter((i) => i.strength > 0 && (opts.claims?.(best!.s, i) ?? true)).map((i) => i.atom);
    const atoms = [...new Set([...own, ...opts.alsoExplains(best.s)])];
    for (const atom of atoms) {
      const prev = explained.get(atom);
      const p = 1 - (1 - (prev?.p ?? 0)) * (1 - best.c);
      explained.set(atom, prev && prev.byConfidence >= best.c ? { ...prev, p } : { p, by: f.id, byConfidence: best.c });
    }
    raised.push({ scored: best.s, confidence: best.c, explains: atoms });
  }

  // Each raised fault stands on what no other raised fault explains: one raised early may have counted
  // evidence that a later, more specific one accounts for (a faint picture change that is the alarm's display).
  for (const r of raised) {
    const others = raised.filter((o) => o !== r);
    const p = (atom: string) => 1 - others.reduce((q, o) => q * (o.explains.includes(atom) ? 1 - o.confidence : 1), 1);
    const items = r.scored.items.map((i) => ({ ...i, strength: i.strength * (1 - p(i.atom)) }));
    r.confidence = Math.min(r.confidence, opts.fuse(r.scored, items).confidence);
    r.takenByOthers = [...new Set(r.scored.items.filter((i) => i.strength > 0 && p(i.atom) >= 0.5).map((i) => i.atom))];
  }

  const losers: LosingFault[] = [];
  for (const s of scored) {
    if (raised.some((r) => r.scored === s)) continue;
    const items = residual(s);
    const confidence = opts.fuse(s, items).confidence;
    if (Math.max(confidence, s.alone.confidence) < opts.reportAbove) continue;
    const lostAtoms = s.items.filter((i) => i.strength > 0 && (explained.get(i.atom)?.p ?? 0) >= 0.5);
    // Ruled out beside a raised fault or a read alarm code, whether or not it reached the raise level.
    const ex = excluded.get(s.fault.id) ?? opts.excludedByAlarm(s.fault) ?? raised.find((r) =>
      s.fault.excludes.faults.includes(r.scored.fault.id) || r.scored.fault.excludes.faults.includes(s.fault.id))?.scored.fault.id;
    if (ex !== undefined) {
      losers.push({ scored: s, confidence, because: 'excluded', by: ex, explainedAtoms: [] });
    } else if (s.alone.heldByQuality) {
      losers.push({ scored: s, confidence, because: 'low-quality', explainedAtoms: [] });
    } else if (lostAtoms.length > 0 && confidence < s.alone.confidence - 1e-6) {
      // Who explains most of what it lost.
      const by = new Map<string, number>();
      for (const i of lostAtoms) {
        const e = explained.get(i.atom)!;
        by.set(e.by, (by.get(e.by) ?? 0) + i.strength);
      }
      const top = [...by].sort((a, b) => b[1] - a[1])[0]![0];
      losers.push({ scored: s, confidence, because: 'explained', by: top, explainedAtoms: [...new Set(lostAtoms.map((i) => i.atom))] });
    } else {
      losers.push({ scored: s, confidence, because: 'below-raise', explainedAtoms: [] });
    }
  }
  losers.sort((a, b) => b.confidence - a.confidence || b.scored.alone.confidence - a.scored.alone.confidence || a.scored.fault.id.localeCompare(b.scored.fault.id));
  return { raised, losers };
}
