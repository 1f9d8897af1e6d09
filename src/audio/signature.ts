// The differential signature of a window's sound: what tells one fault's
// noise from another's once "something is unusual" is known. A bearing
// defect knocks periodically (a rate tied to shaft speed) with its energy in
// the kHz range; cavitation raises a broadband hiss with random crackle; a
// slipping belt squeals (a new tone) or lets a known tone drift.
import type { AcousticEvent, AudioSignature } from '../types.js';

const round = (v: number, d = 2): number => Math.round(v * 10 ** d) / 10 ** d;

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1]! : 0;
}

/** Geometric centre of a band, Hz. */
export const bandCentre = (band: readonly [number, number]): number => Math.sqrt(Math.max(1, band[0]) * Math.max(1, band[1]));

/**
 * Rate of a train of onsets (seconds, ascending): 1 / median interval, with
 * the share of intervals that fit it (within 20% of 1, 2 or 3 periods, so a
 * missed onset does not break the train). Null rate with fewer than 3 onsets
 * or when fewer than 60% of the intervals fit (random crackle, not a train).
 */
export function impulseRate(onsets: readonly number[]): { rateHz: number | null; regularity: number | null } {
  if (onsets.length < 3) return { rateHz: null, regularity: null };
  const gaps: number[] = [];
  for (let i = 1; i < onsets.length; i++) gaps.push(onsets[i]! - onsets[i - 1]!);
  const period = median(gaps);
  if (!(period > 0)) return { rateHz: null, regularity: 0 };
  const fits = gaps.filter((g) => [1, 2, 3].some((k) => Math.abs(g - k * period) <= 0.2 * period)).length;
  const regularity = round(fits / gaps.length);
  return { rateHz: regularity >= 0.6 ? round(1 / period) : null, regularity };
}

/**
 * True for a tonal event that is the ringing of a periodic impulse train: a
 * train of decaying bursts at one resonance shows up in the averaged spectrum
 * as a "new tone" at that resonance. It belongs to the impulses, not to a
 * second sound (a squeal).
 */
export function isImpulseRing(e: AcousticEvent, impulses: readonly AcousticEvent[], rateHz: number | null): boolean {
  if (e.type !== 'tonal' || rateHz === null || impulses.length === 0) return false;
  const hz = bandCentre(e.band);
  const lo = median(impulses.map((i) => i.band[0]));
  const hi = median(impulses.map((i) => i.band[1]));
  return hz >= lo * 0.9 && hz <= hi * 1.1;
}

/** Summarises a window's events (and all its impulse onsets) into a signature. */
export function audioSignature(events: readonly AcousticEvent[], onsets: readonly number[]): AudioSignature {
  const impulses = events.filter((e) => e.type === 'impulse');
  const { rateHz, regularity } = impulseRate(onsets);
  const tonal = events.filter((e) => e.type === 'tonal' && !isImpulseRing(e, impulses, rateHz)).sort((a, b) => b.strength - a.strength)[0];
  const drift = events.filter((e) => e.type === 'tonal-drift').sort((a, b) => Math.abs(b.strength) - Math.abs(a.strength))[0];
  // A hiss: a noise-floor rise at least an octave wide.
  const hiss = events.filter((e) => e.type === 'noise-rise' && e.band[1] >= 2 * Math.max(1, e.band[0]))
    .sort((a, b) => b.strength - a.strength)[0];
  return {
    impulseCount: Math.max(onsets.length, impulses.length),
    impulseRateHz: rateHz,
    impulseRegularity: regularity,
    impulseBandHz: impulses.length ? [median(impulses.map((e) => e.band[0])), median(impulses.map((e) => e.band[1]))] : null,
    tonalHz: tonal ? Math.round(bandCentre(tonal.band)) : null,
    driftPercent: drift ? drift.strength : null,
    hissRiseDb: hiss ? hiss.strength : null,
    hissBandHz: hiss ? hiss.band : null,
  };
}

/** Combines the signatures of consecutive windows of one recording (the most regular impulse train wins). */
export function mergeSignatures(parts: readonly AudioSignature[]): AudioSignature | undefined {
  if (parts.length === 0) return undefined;
  const pick = <K extends keyof AudioSignature>(k: K, better: (a: AudioSignature, b: AudioSignature) => boolean): AudioSignature[K] => {
    const present = parts.filter((p) => p[k] !== null);
    if (present.length === 0) return null as AudioSignature[K];
    return present.reduce((a, b) => (better(b, a) ? b : a))[k];
  };
  const regular = (a: AudioSignature, b: AudioSignature) => (a.impulseRegularity ?? 0) * a.impulseCount > (b.impulseRegularity ?? 0) * b.impulseCount;
  const train = parts.reduce((a, b) => (regular(b, a) ? b : a));
  return {
    impulseCount: parts.reduce((s, p) => s + p.impulseCount, 0),
    impulseRateHz: train.impulseRateHz,
    impulseRegularity: train.impulseRegularity,
    impulseBandHz: train.impulseBandHz ?? pick('impulseBandHz', () => false),
    tonalHz: pick('tonalHz', () => false),
    driftPercent: pick('driftPercent', (a, b) => Math.abs(a.driftPercent!) > Math.abs(b.driftPercent!)),
    hissRiseDb: pick('hissRiseDb', (a, b) => a.hissRiseDb! > b.hissRiseDb!),
    hissBandHz: pick('hissBandHz', (a, b) => (a.hissRiseDb ?? 0) > (b.hissRiseDb ?? 0)),
  };
}
