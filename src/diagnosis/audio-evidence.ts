// What the sound says about one catalogued fault. Three layers, each an
// evidence item on its own atom so explaining away can take them one by one:
//   anomaly     the calibrated score over the fault's threshold (shared by every fault with a sound)
//   events      the listed event types present (shared when other faults list them too)
//   signature   the differential features the catalog gives: impulse rate (Hz, or orders of the
//               shaft rate), band, tonal frequency, drift, broadband hiss; specific by nature
// Strengths scale with how much the sound was judged abnormal: full when the
// score is over the threshold, less when the audio was not assessed (no
// baseline), little when it was assessed and found normal. Expected specific
// features that are absent are returned as `missing` (they lower the audio part).
import type { AcousticEvent, AudioFindings, AudioSignature } from '../types.js';
import { bandCentre, isImpulseRing } from '../audio/signature.js';
import type { CatalogFault, FaultCatalog, Range } from './catalog.js';
import type { EvidenceItem } from './fusion.js';

export const AUDIO_STRENGTH = {
  anomaly: 0.5,
  anomalyWithoutEvents: 0.3,
  event: 0.35,
  impulseRate: 0.45,
  band: 0.25,
  tonalHz: 0.35,
  drift: 0.3,
  hiss: 0.4,
  /** Scale of events and signature when the sound was not assessed (no baseline, speech). */
  unassessed: 0.6,
  /** ... and when it was assessed and found within normal range. */
  normal: 0.25,
} as const;

/** Factor per expected specific feature that was looked for and not found. */
export const MISSING_FACTOR = 0.5;

const fmt = (n: number, d = 2) => (Math.round(n * 10 ** d) / 10 ** d).toString();
const inRange = (v: number, [lo, hi]: Range) => v >= lo && v <= hi;

/** How many catalog faults list each audio signal: the basis of specificity (a signal k faults share weighs 1/√k). */
export function audioSignalCounts(catalog: Pick<FaultCatalog, 'faults'>): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1);
  for (const f of catalog.faults) {
    if (!f.audio) continue;
    if (f.audio.anomalyAbove !== undefined) add('audio:anomaly');
    for (const t of new Set(f.audio.events)) add(`audio:${t}`);
  }
  return counts;
}

export interface AudioEvidence { items: EvidenceItem[]; missing: string[] }

export function audioEvidence(f: CatalogFault, a: AudioFindings, ctx: { counts: Map<string, number>; shaftHz?: number }): AudioEvidence {
  const spec = f.audio;
  const items: EvidenceItem[] = [];
  const missing: string[] = [];
  if (!spec) return { items, missing };
  const share = (atom: string, markedSpecific: boolean) => {
    const k = ctx.counts.get(atom) ?? 1;
    const specific = markedSpecific || k <= 1;
    return { specific, factor: specific ? 1 : 1 / Math.sqrt(k) };
  };
  const score = a.anomalyScore;
  const assessed = a.assessed !== false && score !== null;
  const over = spec.anomalyAbove !== undefined && assessed && score! >= spec.anomalyAbove;
  // How far the sound is judged abnormal, for everything the fault's signature adds.
  const scale = !assessed ? AUDIO_STRENGTH.unassessed : over || spec.anomalyAbove === undefined ? 1 : AUDIO_STRENGTH.normal;

  // A tone that is the ringing of a periodic knock is part of the knock, not a squeal of its own.
  const impulses = a.events.filter((e) => e.type === 'impulse');
  const rate = a.signature ? a.signature.impulseRateHz : impulses.find((e) => e.rateHz !== undefined)?.rateHz ?? null;
  const events = a.events.filter((e) => spec.events.includes(e.type) && e.strength >= spec.minStrength && !isImpulseRing(e, impulses, rate));
  const types = [...new Set(events.map((e) => e.type))];
  if (over) {
    const { specific, factor } = share('audio:anomaly', spec.specific.includes('anomaly'));
    const base = types.length > 0 || spec.events.length === 0 ? AUDIO_STRENGTH.anomaly : AUDIO_STRENGTH.anomalyWithoutEvents;
    const strength = Math.min(0.85, base + 0.2 * Math.min(1, (score! - spec.anomalyAbove!) / spec.anomalyAbove!)) * factor;
    items.push({ modality: 'audio', kind: 'anomaly', strength, matched: `audio:anomaly=${fmt(score!)}`, atom: 'audio:anomaly', specific });
  }
  for (const t of types) {
    const { specific, factor } = share(`audio:${t}`, spec.specific.includes(t));
    items.push({ modality: 'audio', kind: 'event', strength: AUDIO_STRENGTH.event * factor * scale, matched: `audio:${t}`, atom: `audio:${t}`, specific });
  }
  const sig = a.signature;
  if (!sig) return { items, missing };
  const feature = (atom: string, strength: number, matched: string) =>
    items.push({ modality: 'audio', kind: 'signature', strength: strength * scale, matched, atom, specific: true });

  if (spec.impulseRateHz) {
    if (rate !== null && inRange(rate, spec.impulseRateHz)) feature('audio:impulse-rate', AUDIO_STRENGTH.impulseRate, `audio:impulse-rate=${fmt(rate, 1)}Hz`);
    else missing.push('audio:impulse-rate');
  }
  if (spec.impulseOrder && ctx.shaftHz) {
    const order = rate !== null ? rate / ctx.shaftHz : null;
    if (order !== null && inRange(order, spec.impulseOrder)) {
      feature('audio:impulse-order', AUDIO_STRENGTH.impulseRate, `audio:impulse-order=${fmt(order)}x`);
    } else missing.push('audio:impulse-order');
  }
  if (spec.band) {
    const centres = bandCentres(events, sig);
    if (centres.length > 0) {
      const inside = centres.filter((c) => inRange(c, spec.band!)).length;
      if (inside * 2 > centres.length) {
        const c = centres.sort((x, y) => x - y)[centres.length >> 1]!;
        feature('audio:band', AUDIO_STRENGTH.band, `audio:band=${Math.round(c)}Hz`);
      } else missing.push('audio:band');
    }
  }
  if (spec.tonalHz) {
    if (sig.tonalHz !== null && inRange(sig.tonalHz, spec.tonalHz)) feature('audio:tonal-hz', AUDIO_STRENGTH.tonalHz, `audio:tonal-hz=${Math.round(sig.tonalHz)}Hz`);
    else missing.push('audio:tonal-hz');
  }
  if (spec.driftPercent) {
    if (sig.driftPercent !== null && inRange(sig.driftPercent, spec.driftPercent)) feature('audio:drift', AUDIO_STRENGTH.drift, `audio:drift=${fmt(sig.driftPercent, 1)}%`);
    else missing.push('audio:drift');
  }
  if (spec.hissRise) {
    if (sig.hissRiseDb !== null) feature('audio:hiss-rise', AUDIO_STRENGTH.hiss, `audio:hiss-rise=${fmt(sig.hissRiseDb, 1)}dB`);
    else missing.push('audio:hiss-rise');
  }
  return { items, missing };
}

/** Centres of the fault's matched events (impulses from the signature when the events were truncated). */
function bandCentres(events: readonly AcousticEvent[], sig: AudioSignature): number[] {
  const own = events.filter((e) => e.type !== 'level-step' && e.type !== 'dropout' && e.type !== 'tonal-drift').map((e) => bandCentre(e.band));
  if (own.length === 0 && sig.impulseBandHz) return [bandCentre(sig.impulseBandHz)];
  return own;
}

/** Atoms of the sound that a fault explains once raised: what it matched plus the signal kinds its signature lists. */
export function audioAtomsListed(f: CatalogFault): string[] {
  const spec = f.audio;
  if (!spec) return [];
  const atoms = ['audio:anomaly', ...spec.events.map((t) => `audio:${t}`)];
  if (spec.events.includes('impulse')) atoms.push('audio:impulse-rate', 'audio:impulse-order');
  if (spec.events.includes('tonal')) atoms.push('audio:tonal-hz');
  if (spec.events.includes('tonal-drift')) atoms.push('audio:drift');
  if (spec.events.includes('noise-rise')) atoms.push('audio:hiss-rise');
  if (spec.impulseRateHz || spec.impulseOrder) atoms.push('audio:impulse-rate', 'audio:impulse-order');
  if (spec.tonalHz) atoms.push('audio:tonal-hz');
  if (spec.driftPercent) atoms.push('audio:drift');
  if (spec.hissRise) atoms.push('audio:hiss-rise');
  atoms.push('audio:band');
  return [...new Set(atoms)];
}
