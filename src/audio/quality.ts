// How much an audio window can be trusted as evidence about the machine,
// in [0, 1]: clipped samples, near-silence (microphone dead or machine off)
// and people talking over the machine all lower it.

export interface AudioQuality {
  quality: number;
  /** Level in dBFS (RMS). */
  levelDbfs: number;
  /** Share of samples at full scale. */
  clipping: number;
  /** 0 = silent, 1 = clearly audible. */
  audibility: number;
  speech: number;
}

export interface QualityLimits {
  /** At or below this level the window counts as silent (quality 0). */
  silentDbfs: number;
  /** At or above this level loudness does not lower quality. */
  audibleDbfs: number;
  /** This share of clipped samples takes quality to 0. */
  clippingZero: number;
  /** How much a window that is all speech loses (0..1). */
  speechPenalty: number;
}

export const DEFAULT_QUALITY_LIMITS: QualityLimits = {
  silentDbfs: -70,
  audibleDbfs: -55,
  clippingZero: 0.01,
  speechPenalty: 0.8,
};

export function audioQuality(samples: Int16Array, speechShare: number, limits: QualityLimits = DEFAULT_QUALITY_LIMITS): AudioQuality {
  let sq = 0, clipped = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    sq += s * s;
    if (s >= 32767 || s <= -32768) clipped++;
  }
  const n = Math.max(1, samples.length);
  const levelDbfs = 10 * Math.log10(sq / n / (32768 * 32768) + 1e-12);
  const clipping = clipped / n;
  const audibility = Math.min(1, Math.max(0, (levelDbfs - limits.silentDbfs) / (limits.audibleDbfs - limits.silentDbfs)));
  const clipFactor = Math.max(0, 1 - clipping / limits.clippingZero);
  const speechFactor = 1 - limits.speechPenalty * Math.min(1, Math.max(0, speechShare));
  const quality = Math.round(audibility * clipFactor * speechFactor * 1000) / 1000;
  return { quality, levelDbfs: Math.round(levelDbfs * 10) / 10, clipping, audibility, speech: speechShare };
}
