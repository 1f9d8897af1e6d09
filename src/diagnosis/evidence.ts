// What the findings say about one catalogued fault: a list of evidence items,
// each with a strength before gating and the observation (atom) it rests on.
// Strong: the fault's alarm code read off the display. Medium: an anomaly over
// the fault's threshold with its acoustic signature (audio-evidence.ts) or at
// its region of interest. Weak: keywords. A signal several faults list is
// shared and weighs less (1/√k for k faults); one only this fault lists is specific.
import type { AudioFindings, VisionFindings } from '../types.js';
import { audioEvidence, audioSignalCounts } from './audio-evidence.js';
import { findAlarmCodes, type CatalogFault, type FaultCatalog } from './catalog.js';
import type { EvidenceItem, Modality } from './fusion.js';
import type { KeywordIndex } from './keywords.js';

export const STRENGTH = {
  alarm: 0.95,
  anomalyAtRoi: 0.6,
  anomalyOnly: 0.3,
  ocrKeyword: 0.25,
  questionKeyword: 0.2,
} as const;

export interface EvidenceContext {
  vision?: VisionFindings;
  audio?: AudioFindings;
  question?: string;
  keywords: KeywordIndex;
  specificity: CatalogSpecificity;
}

/** How many faults of the catalog list each signal, and the shaft rate for impulse orders. */
export interface CatalogSpecificity {
  audio: Map<string, number>;
  vision: Map<string, number>;
  shaftHz?: number;
}

export function catalogSpecificity(catalog: Pick<FaultCatalog, 'faults' | 'shaftHz'>): CatalogSpecificity {
  const vision = new Map<string, number>();
  const add = (k: string) => vision.set(k, (vision.get(k) ?? 0) + 1);
  for (const f of catalog.faults) {
    if (f.vision?.anomalyAbove === undefined) continue;
    add('vision:anomaly');
    if (f.vision.roi) add(`vision:roi=${f.vision.roi}`);
  }
  return { audio: audioSignalCounts(catalog), vision, shaftHz: catalog.shaftHz };
}

export interface FaultEvidence { items: EvidenceItem[]; missing: string[] }

/** All OCR lines, including those read inside named regions. */
export function visionText(v: VisionFindings | undefined): string[] {
  if (!v) return [];
  return [...v.text, ...(v.rois ?? []).flatMap((r) => r.text)];
}

/** OCR lines an alarm code may be found in: every line except those vision read as a status or parameter (readings). */
export function alarmSearchText(v: VisionFindings | undefined): string[] {
  if (!v) return [];
  const statuses = new Set((v.readings ?? []).map((r) => r.text));
  return visionText(v).filter((l) => !statuses.has(l));
}

/** Strength grows a little with how far the score is over the threshold. */
function overBy(base: number, score: number, threshold: number): number {
  return Math.min(0.85, base + 0.2 * Math.min(1, (score - threshold) / threshold));
}

const fmt = (n: number) => (Math.round(n * 100) / 100).toString();

function visionEvidence(f: CatalogFault, v: VisionFindings, counts: Map<string, number>): EvidenceItem[] {
  const out: EvidenceItem[] = [];
  const shared = (atom: string) => { const k = counts.get(atom) ?? 1; return { specific: k <= 1, factor: 1 / Math.sqrt(k) }; };
  const anomalyAtom = shared('vision:anomaly');
  const text = alarmSearchText(v);
  const codes = new Set<string>();
  for (const p of f.alarmCodes) for (const c of findAlarmCodes(p, v.alarmCodes, text)) codes.add(c);
  for (const c of codes) out.push({ modality: 'vision', kind: 'alarm', strength: STRENGTH.alarm, matched: `alarm:${c}`, atom: `alarm:${c}`, specific: true });
  const spec = f.vision;
  if (spec?.anomalyAbove !== undefined) {
    const thr = spec.anomalyAbove;
    if (spec.roi) {
      const roi = v.rois?.find((r) => r.name === spec.roi);
      if (roi?.anomalyScore != null && roi.anomalyScore >= thr) {
        const atRoi = shared(`vision:roi=${spec.roi}`);
        out.push({ modality: 'vision', kind: 'roi', strength: overBy(STRENGTH.anomalyAtRoi, roi.anomalyScore, thr) * atRoi.factor,
          matched: `vision:roi=${spec.roi}`, atom: `vision:roi=${spec.roi}`, specific: atRoi.specific });
        out.push({ modality: 'vision', kind: 'anomaly', strength: 0, matched: `vision:anomaly=${fmt(roi.anomalyScore)}`, atom: 'vision:anomaly', specific: false });
      } else if (roi === undefined && v.anomalyScore !== null && v.anomalyScore >= thr) {
        // No score for the fault's region (no ROIs analysed): an anomaly somewhere is a weak hint.
        out.push({ modality: 'vision', kind: 'anomaly', strength: STRENGTH.anomalyOnly * anomalyAtom.factor,
          matched: `vision:anomaly=${fmt(v.anomalyScore)}`, atom: 'vision:anomaly', specific: anomalyAtom.specific });
      }
    } else if (v.anomalyScore !== null && v.anomalyScore >= thr) {
      out.push({ modality: 'vision', kind: 'anomaly', strength: overBy(STRENGTH.anomalyOnly + 0.15, v.anomalyScore, thr) * anomalyAtom.factor,
        matched: `vision:anomaly=${fmt(v.anomalyScore)}`, atom: 'vision:anomaly', specific: anomalyAtom.specific });
    }
  }
  return out;
}

/** Every piece of evidence for `f` in the findings and the question, and the expected specific signals not found. */
export function collectEvidence(f: CatalogFault, ctx: EvidenceContext): FaultEvidence {
  const items: EvidenceItem[] = [];
  const missing: string[] = [];
  if (ctx.vision) items.push(...visionEvidence(f, ctx.vision, ctx.specificity.vision));
  if (ctx.audio) {
    const a = audioEvidence(f, ctx.audio, { counts: ctx.specificity.audio, shaftHz: ctx.specificity.shaftHz });
    items.push(...a.items);
    missing.push(...a.missing);
  }
  const hits = ctx.keywords.match(f.id, { ocr: visionText(ctx.vision), question: ctx.question });
  for (const h of hits) {
    const fromOcr = h.source === 'ocr';
    items.push({
      modality: fromOcr ? 'vision' : 'question',
      kind: 'keyword',
      strength: (fromOcr ? STRENGTH.ocrKeyword : STRENGTH.questionKeyword) * h.weight,
      matched: `keyword:${h.keyword}`,
      atom: `${fromOcr ? 'ocr' : 'question'}:${h.keyword}`,
      specific: h.weight >= 0.99,
    });
  }
  return { items, missing };
}

/** Which modalities a fault's catalogue entry has signals for (1) or not (0.5): its relevance in the gates. */
export function faultRelevance(f: CatalogFault): Record<Modality, number> {
  const vision = f.alarmCodes.length > 0 || f.vision !== undefined;
  const audio = f.audio !== undefined;
  return { vision: vision ? 1 : 0.5, audio: audio ? 1 : 0.5 };
}
