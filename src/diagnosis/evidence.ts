// What the findings say about one catalogued fault: a list of evidence items,
// each with a strength before gating. Strong: the fault's alarm code read off
// the display. Medium: an anomaly over the fault's threshold together with its
// acoustic signature or at its region of interest. Weak: keywords.
import type { AudioFindings, VisionFindings } from '../types.js';
import { findAlarmCodes, type CatalogFault } from './catalog.js';
import type { EvidenceItem, Modality } from './fusion.js';
import type { KeywordIndex } from './keywords.js';

export const STRENGTH = {
  alarm: 0.95,
  anomalyWithSignature: 0.6,
  anomalyAtRoi: 0.6,
  anomalyOnly: 0.3,
  signatureOnly: 0.2,
  ocrKeyword: 0.25,
  questionKeyword: 0.2,
} as const;

/** Evidence at least this strong from an anomaly explains it (no unknown-anomaly is reported for that modality). */
export const EXPLAINS_ANOMALY = 0.45;

export interface EvidenceContext {
  vision?: VisionFindings;
  audio?: AudioFindings;
  question?: string;
  keywords: KeywordIndex;
}

/** All OCR lines, including those read inside named regions. */
export function visionText(v: VisionFindings | undefined): string[] {
  if (!v) return [];
  return [...v.text, ...(v.rois ?? []).flatMap((r) => r.text)];
}

/** Strength grows a little with how far the score is over the threshold. */
function overBy(base: number, score: number, threshold: number): number {
  return Math.min(0.85, base + 0.2 * Math.min(1, (score - threshold) / threshold));
}

const fmt = (n: number) => (Math.round(n * 100) / 100).toString();

function audioEvidence(f: CatalogFault, a: AudioFindings): EvidenceItem[] {
  const spec = f.audio;
  if (!spec) return [];
  const events = [...new Set(a.events.filter((e) => spec.events.includes(e.type) && e.strength >= spec.minStrength).map((e) => e.type))];
  const score = a.anomalyScore;
  const over = spec.anomalyAbove !== undefined && score !== null && score >= spec.anomalyAbove;
  const out: EvidenceItem[] = [];
  const eventItems = (strength: number) => events.map((t) => ({ modality: 'audio' as const, kind: 'event' as const, strength, matched: `audio:${t}` }));
  if (over && (events.length > 0 || spec.events.length === 0)) {
    // Covering more of the signature counts a little more.
    const coverage = spec.events.length === 0 ? 1 : events.length / spec.events.length;
    const base = STRENGTH.anomalyWithSignature - 0.1 + 0.1 * coverage;
    out.push({ modality: 'audio', kind: 'anomaly', strength: overBy(base, score, spec.anomalyAbove!), matched: `audio:anomaly=${fmt(score)}` });
    out.push(...eventItems(0));
  } else if (over) {
    out.push({ modality: 'audio', kind: 'anomaly', strength: STRENGTH.anomalyOnly, matched: `audio:anomaly=${fmt(score)}` });
  } else if (events.length > 0) {
    // The signature without an anomaly over threshold (or with no baseline at all): a hint only.
    out.push(...eventItems(STRENGTH.signatureOnly / events.length));
  }
  return out;
}

function visionEvidence(f: CatalogFault, v: VisionFindings): EvidenceItem[] {
  const out: EvidenceItem[] = [];
  const text = visionText(v);
  const codes = new Set<string>();
  for (const p of f.alarmCodes) for (const c of findAlarmCodes(p, v.alarmCodes, text)) codes.add(c);
  for (const c of codes) out.push({ modality: 'vision', kind: 'alarm', strength: STRENGTH.alarm, matched: `alarm:${c}` });
  const spec = f.vision;
  if (spec?.anomalyAbove !== undefined) {
    const thr = spec.anomalyAbove;
    if (spec.roi) {
      const roi = v.rois?.find((r) => r.name === spec.roi);
      if (roi?.anomalyScore != null && roi.anomalyScore >= thr) {
        out.push({ modality: 'vision', kind: 'roi', strength: overBy(STRENGTH.anomalyAtRoi, roi.anomalyScore, thr), matched: `vision:roi=${spec.roi}` });
        out.push({ modality: 'vision', kind: 'anomaly', strength: 0, matched: `vision:anomaly=${fmt(roi.anomalyScore)}` });
      } else if (roi === undefined && v.anomalyScore !== null && v.anomalyScore >= thr) {
        // No score for the fault's region (no ROIs analysed): an anomaly somewhere is a weak hint.
        out.push({ modality: 'vision', kind: 'anomaly', strength: STRENGTH.anomalyOnly, matched: `vision:anomaly=${fmt(v.anomalyScore)}` });
      }
    } else if (v.anomalyScore !== null && v.anomalyScore >= thr) {
      out.push({ modality: 'vision', kind: 'anomaly', strength: overBy(STRENGTH.anomalyOnly + 0.15, v.anomalyScore, thr), matched: `vision:anomaly=${fmt(v.anomalyScore)}` });
    }
  }
  return out;
}

/** Every piece of evidence for `f` in the findings and the question. */
export function collectEvidence(f: CatalogFault, ctx: EvidenceContext): EvidenceItem[] {
  const items: EvidenceItem[] = [];
  if (ctx.vision) items.push(...visionEvidence(f, ctx.vision));
  if (ctx.audio) items.push(...audioEvidence(f, ctx.audio));
  const hits = ctx.keywords.match(f.id, { ocr: visionText(ctx.vision), question: ctx.question });
  for (const h of hits) {
    const fromOcr = h.source === 'ocr';
    items.push({
      modality: fromOcr ? 'vision' : 'question',
      kind: 'keyword',
      strength: (fromOcr ? STRENGTH.ocrKeyword : STRENGTH.questionKeyword) * h.weight,
      matched: `keyword:${h.keyword}`,
    });
  }
  return items;
}

/** Which modalities a fault's catalogue entry has signals for (1) or not (0.5): its relevance in the gates. */
export function faultRelevance(f: CatalogFault): Record<Modality, number> {
  const vision = f.alarmCodes.length > 0 || f.vision !== undefined;
  const audio = f.audio !== undefined;
  return { vision: vision ? 1 : 0.5, audio: audio ? 1 : 0.5 };
}
