// Memory levels with hysteresis. A level is entered as soon as a reading
// crosses its threshold, and left only when the reading is past the threshold
// by the hysteresis margin, so a reading hovering at a threshold cannot flap.
export type MemoryLevel = 'normal' | 'pressure' | 'critical';

export const LEVEL_RANK: Record<MemoryLevel, number> = { normal: 0, pressure: 1, critical: 2 };

export interface LevelThresholds {
  pressureAvailable: number;
  criticalAvailable: number;
  pressureCgroupFraction: number;
  criticalCgroupFraction: number;
  /** Fraction: leaving needs available ≥ threshold × (1 + h) and cgroup use ≤ threshold × (1 − h). */
  hysteresis: number;
}

export interface LevelInput {
  /** Bytes available to this process (the smaller of system available and cgroup headroom). */
  available: number;
  /** Cgroup working set / limit, or null when unlimited. */
  cgroupFraction: number | null;
}

/** The level of a reading; with `margin` > 0 the thresholds reach further (used to decide leaving). */
export function levelFor(s: LevelInput, t: LevelThresholds, margin = 0): MemoryLevel {
  const frac = s.cgroupFraction;
  if (s.available < t.criticalAvailable * (1 + margin) || (frac !== null && frac >= t.criticalCgroupFraction * (1 - margin))) return 'critical';
  if (s.available < t.pressureAvailable * (1 + margin) || (frac !== null && frac >= t.pressureCgroupFraction * (1 - margin))) return 'pressure';
  return 'normal';
}

/** The next level from the current one: up at once, down only past the margin. */
export function nextLevel(current: MemoryLevel, s: LevelInput, t: LevelThresholds): MemoryLevel {
  const raw = levelFor(s, t);
  if (LEVEL_RANK[raw] > LEVEL_RANK[current]) return raw;
  const sticky = levelFor(s, t, t.hysteresis);
  return LEVEL_RANK[sticky] < LEVEL_RANK[current] ? sticky : current;
}
