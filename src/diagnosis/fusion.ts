// Gated fusion: how much each modality is trusted for this question and this
// fault. A modality's weight grows with its quality and with its relevance
// (the operator asking about the display leans on vision, "what is that
// noise" on audio; a fault whose signals are all acoustic leans on audio).
// Weights are in [0, 1] and sum to 1 over the modalities present.
import { tokenize } from './keywords.js';

export type Modality = 'vision' | 'audio';
export const MODALITIES: readonly Modality[] = ['vision', 'audio'];

export type ModalityWeights = Partial<Record<Modality, number>>;

/** Words that point a question at one modality (English words are stemmed like keywords). */
const VISION_WORDS = ['display', 'screen', 'code', 'alarm', 'panel', 'readout', 'message', 'error', 'show', 'light', 'lamp',
  'indicator', 'gauge', 'see', 'look', 'read', 'reading', 'led', 'hmi', 'camera', 'picture', 'image', 'visible', 'leak', 'smoke'];
const VISION_ZH = ['显示', '屏幕', '报警', '代码', '故障码', '画面', '指示灯', '面板', '读数', '看', '图像', '漏', '冒烟'];
const AUDIO_WORDS = ['noise', 'noisy', 'sound', 'vibration', 'vibrate', 'vibrating', 'hum', 'humming', 'rattle', 'squeal', 'squeak',
  'knock', 'knocking', 'buzz', 'grinding', 'grind', 'loud', 'hear', 'whine', 'whistle', 'click', 'clicking', 'audio', 'acoustic'];
const AUDIO_ZH = ['声音', '噪音', '噪声', '振动', '震动', '异响', '响声', '嗡嗡', '听', '尖叫', '敲击', '咔'];

const visionSet = new Set(VISION_WORDS.flatMap((w) => tokenize(w)));
const audioSet = new Set(AUDIO_WORDS.flatMap((w) => tokenize(w)));

export interface QuestionFocus {
  vision: number;
  audio: number;
  /** The question's words that pointed at each modality (for explanations). */
  terms: Record<Modality, string[]>;
}

/** How much the question is about each modality: 1 = neutral, 2 = asked about. */
export function questionFocus(question: string | undefined, boost = 1): QuestionFocus {
  const terms: Record<Modality, string[]> = { vision: [], audio: [] };
  if (question?.trim()) {
    const words = tokenize(question);
    terms.vision.push(...words.filter((w) => visionSet.has(w)));
    terms.audio.push(...words.filter((w) => audioSet.has(w)));
    const flat = question.replace(/\s+/g, '');
    terms.vision.push(...VISION_ZH.filter((w) => flat.includes(w)));
    terms.audio.push(...AUDIO_ZH.filter((w) => flat.includes(w)));
  }
  return {
    vision: 1 + (terms.vision.length > 0 ? boost : 0),
    audio: 1 + (terms.audio.length > 0 ? boost : 0),
    terms,
  };
}

/** Audio quality discounted for speech: a window full of people talking says little about the machine. */
export function effectiveQuality(modality: Modality, quality: number, speech = 0): number {
  const q = Number.isFinite(quality) ? Math.min(1, Math.max(0, quality)) : 0;
  return modality === 'audio' ? q * (1 - 0.6 * Math.min(1, Math.max(0, speech))) : q;
}

/**
 * Normalised weights from quality × question relevance × fault relevance.
 * Only modalities present in `quality` get a weight. When every product is 0
 * the present modalities share equally (nothing better to go on).
 */
export function modalityWeights(
  quality: ModalityWeights,
  focus: Pick<QuestionFocus, Modality>,
  faultRelevance: ModalityWeights = {},
): ModalityWeights {
  const present = MODALITIES.filter((m) => quality[m] !== undefined);
  if (present.length === 0) return {};
  const raw = present.map((m) => (quality[m] ?? 0) * focus[m] * (faultRelevance[m] ?? 1));
  const sum = raw.reduce((a, b) => a + b, 0);
  const out: ModalityWeights = {};
  present.forEach((m, i) => { out[m] = sum > 0 ? raw[i]! / sum : 1 / present.length; });
  return out;
}

/** A modality at or above its fair share (1/n) passes its evidence fully; below it, proportionally less. */
export function gates(weights: ModalityWeights): ModalityWeights {
  const present = MODALITIES.filter((m) => weights[m] !== undefined);
  const out: ModalityWeights = {};
  for (const m of present) out[m] = Math.min(1, (weights[m] ?? 0) * present.length);
  return out;
}

export interface EvidenceItem {
  /** Which input produced it; `question` = the operator's words. */
  modality: Modality | 'question';
  kind: 'alarm' | 'anomaly' | 'event' | 'signature' | 'roi' | 'keyword';
  /** 0..1 before gating: alarm ≈ strong, anomaly with events ≈ medium, keyword ≈ weak (shared signals already scaled down). */
  strength: number;
  /** The explanation, e.g. `alarm:E-042`, `audio:impulse`, `keyword:bearing`. */
  matched: string;
  /**
   * The observation it rests on (`alarm:E-042`, `audio:anomaly`, `audio:impulse`, `audio:impulse-rate`...):
   * two faults citing the same atom compete for it, and a raised fault that explains it takes it away from the others.
   */
  atom: string;
  /** True when the signal points to this fault alone (an alarm code, a signature feature, a signal only it lists). */
  specific: boolean;
}

/** Noisy-OR of independent pieces of evidence. */
export function noisyOr(strengths: readonly number[]): number {
  return 1 - strengths.reduce((p, s) => p * (1 - Math.min(1, Math.max(0, s))), 1);
}

export interface FusedConfidence {
  confidence: number;
  /** True when only low-quality modalities supported the fault, so it was held below the raise level. */
  heldByQuality: boolean;
  gates: ModalityWeights;
}

/**
 * Confidence of one fault: evidence is combined within each modality, scaled
 * by that modality's gate, then combined across modalities. A fault supported
 * only by modalities below `minQuality` (plus the operator's words) is held
 * below `raiseAbove`, so a bad camera or a noisy microphone cannot raise it alone.
 */
export function fuseConfidence(
  items: readonly EvidenceItem[],
  weights: ModalityWeights,
  quality: ModalityWeights,
  opts: { minQuality: number; raiseAbove: number },
  /** Per-modality factor for expected specific signals that were looked for and not found (1 = none missing). */
  missingFactor: ModalityWeights = {},
): FusedConfidence {
  const g = gates(weights);
  const parts: number[] = [];
  let goodSupport = false;
  for (const m of MODALITIES) {
    const own = items.filter((i) => i.modality === m).map((i) => i.strength);
    if (own.length === 0 || g[m] === undefined) continue;
    const e = noisyOr(own) * (missingFactor[m] ?? 1);
    parts.push(e * g[m]!);
    if ((quality[m] ?? 0) >= opts.minQuality && e > 0) goodSupport = true;
  }
  const spoken = items.filter((i) => i.modality === 'question').map((i) => i.strength);
  if (spoken.length > 0) parts.push(noisyOr(spoken));
  let confidence = noisyOr(parts);
  let heldByQuality = false;
  const cap = opts.raiseAbove * 0.8;
  if (!goodSupport && confidence > cap) {
    confidence = cap;
    heldByQuality = items.some((i) => i.modality !== 'question');
  }
  return { confidence, heldByQuality, gates: g };
}
