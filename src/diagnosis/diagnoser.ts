// The Diagnoser turns one set of findings (vision, audio, the operator's
// question) into a Diagnosis: catalogued faults ranked by fused confidence,
// each with what matched and how to repair it, plus an `unknown-anomaly` when
// a modality is anomalous and no fault explains it. Pure computation: no I/O,
// no clock except for timings, so the CLI and the daemon share it.
import { randomUUID } from 'node:crypto';
import type { AudioFindings, Diagnosis, FaultMatch, Severity, VisionFindings } from '../types.js';
import { UNKNOWN_ANOMALY_ID, type FaultCatalog } from './catalog.js';
import { collectEvidence, EXPLAINS_ANOMALY, faultRelevance, visionText } from './evidence.js';
import {
  effectiveQuality, fuseConfidence, modalityWeights, questionFocus, MODALITIES,
  type EvidenceItem, type Modality, type ModalityWeights,
} from './fusion.js';
import { diagnosisSchema } from '../config/sections/diagnosis.js';
import { KeywordIndex } from './keywords.js';
import { summarize } from './summary.js';

export interface DiagnoserOptions {
  deviceId: string;
  /** Faults below this confidence are left out of the diagnosis. */
  reportAbove?: number;
  /** Confidence at which a fault counts as present (sets severity; the tracker raises it). */
  raiseAbove?: number;
  /** A modality below this quality cannot raise a fault on its own. */
  minQuality?: number;
  /** Calibrated anomaly score (1.0 = 99th percentile of normal) above which an unexplained anomaly is reported. */
  anomalyAbove?: number;
  /** Extra relevance (added to 1) of a modality the question asks about. */
  questionBoost?: number;
}

export interface DiagnoseInput {
  vision?: VisionFindings;
  audio?: AudioFindings;
  question?: string;
  /** Stage timings measured by the caller (ms), e.g. { captureMs, visionMs, audioMs }. */
  timings?: Record<string, number>;
  /** True when the findings came from the feature cache. */
  cacheHit?: boolean;
  /** References to evidence kept by the caller: snapshot JPEG path, audio clip path... */
  evidence?: Record<string, unknown>;
  /** Describes what was diagnosed (file names, source), copied to `input`. */
  input?: Record<string, unknown>;
  /** Time of the findings, ms since the epoch (default now). */
  ts?: number;
}

export interface ScoredFault extends FaultMatch {
  evidence: EvidenceItem[];
  heldByQuality: boolean;
}

const SEVERITY_RANK: Record<Severity, number> = { ok: 0, info: 1, warning: 2, critical: 3 };

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

export class Diagnoser {
  private readonly keywords: KeywordIndex;
  private readonly opts: Required<DiagnoserOptions>;

  constructor(readonly catalog: FaultCatalog, opts: DiagnoserOptions) {
    this.keywords = new KeywordIndex(catalog.faults);
    // Unset thresholds take the configuration's defaults (config/sections/diagnosis.ts), the one place they are written.
    const d = diagnosisSchema.parse({});
    const given = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as Partial<DiagnoserOptions>;
    this.opts = {
      reportAbove: d.reportAbove, raiseAbove: d.raiseAbove, minQuality: d.minQuality, anomalyAbove: d.anomalyAbove,
      questionBoost: d.questionBoost, ...given, deviceId: opts.deviceId,
    };
  }

  get raiseAbove(): number { return this.opts.raiseAbove; }

  /** Effective quality per present modality (audio discounted for speech). */
  private qualities(input: DiagnoseInput): ModalityWeights {
    const q: ModalityWeights = {};
    if (input.vision) q.vision = effectiveQuality('vision', input.vision.quality);
    if (input.audio) q.audio = effectiveQuality('audio', input.audio.quality, input.audio.speech);
    return q;
  }

  /** Every catalogued fault with any evidence, scored; sorted by confidence. */
  score(input: DiagnoseInput): ScoredFault[] {
    const quality = this.qualities(input);
    const focus = questionFocus(input.question, this.opts.questionBoost);
    const out: ScoredFault[] = [];
    for (const f of this.catalog.faults) {
      const evidence = collectEvidence(f, { vision: input.vision, audio: input.audio, question: input.question, keywords: this.keywords });
      if (evidence.length === 0) continue;
      const weights = modalityWeights(quality, focus, faultRelevance(f));
      const fused = fuseConfidence(evidence, weights, quality, this.opts);
      const matched = evidence.map((e) => e.matched);
      if (fused.heldByQuality) {
        for (const m of MODALITIES) if (evidence.some((e) => e.modality === m)) matched.push(`quality:low-${m}`);
      }
      out.push({
        id: f.id, title: f.title, severity: f.severity, confidence: round(fused.confidence),
        repair: f.repair, matched: [...new Set(matched)], evidence, heldByQuality: fused.heldByQuality,
      });
    }
    return out.sort((a, b) => b.confidence - a.confidence || a.id.localeCompare(b.id));
  }

  /** Anomalous modalities that no reported fault explains, as one `unknown-anomaly` entry. */
  private unknownAnomaly(input: DiagnoseInput, reported: ScoredFault[], weights: ModalityWeights, quality: ModalityWeights):
    { fault: FaultMatch; detail: Record<string, unknown> } | undefined {
    const explained = new Set<Modality>();
    for (const f of reported) {
      for (const e of f.evidence) {
        if ((e.kind === 'anomaly' || e.kind === 'roi') && e.modality !== 'question' && e.strength >= EXPLAINS_ANOMALY) explained.add(e.modality);
      }
    }
    // A display that changed to show a catalogued alarm code is explained by that fault: the
    // anomaly sits on the text that was read, not somewhere else in the picture.
    const alarmRead = reported.some((f) => f.evidence.some((e) => e.kind === 'alarm' && e.strength >= EXPLAINS_ANOMALY));
    if (alarmRead && input.vision && anomalyOnDisplayText(input.vision)) explained.add('vision');
    const thr = this.opts.anomalyAbove;
    const matched: string[] = [];
    const detail: Record<string, unknown> = {};
    const items: EvidenceItem[] = [];
    const v = input.vision;
    if (v && !explained.has('vision')) {
      const rois = (v.rois ?? []).filter((r) => r.anomalyScore !== null && r.anomalyScore >= thr)
        .sort((a, b) => (b.anomalyScore ?? 0) - (a.anomalyScore ?? 0));
      const score = Math.max(v.anomalyScore ?? -Infinity, rois[0]?.anomalyScore ?? -Infinity);
      if (score >= thr) {
        matched.push(`vision:anomaly=${round(score, 2)}`, ...rois.map((r) => `vision:roi=${r.name}`));
        items.push({ modality: 'vision', kind: 'anomaly', strength: Math.min(0.8, 0.5 + 0.3 * (score - thr) / thr), matched: '' });
        detail.vision = { anomalyScore: score, anomalyBox: v.anomalyBox, rois: rois.map((r) => r.name) };
      }
    }
    const a = input.audio;
    if (a && !explained.has('audio') && a.anomalyScore !== null && a.anomalyScore >= thr) {
      matched.push(`audio:anomaly=${round(a.anomalyScore, 2)}`, ...[...new Set(a.events.map((e) => `audio:${e.type}`))]);
      items.push({ modality: 'audio', kind: 'anomaly', strength: Math.min(0.8, 0.5 + 0.3 * (a.anomalyScore - thr) / thr), matched: '' });
      detail.audio = { anomalyScore: a.anomalyScore, events: a.events };
    }
    if (items.length === 0) return undefined;
    const fused = fuseConfidence(items, weights, quality, this.opts);
    if (fused.heldByQuality) for (const i of items) matched.push(`quality:low-${i.modality}`);
    const u = this.catalog.unknownAnomaly;
    detail.modalities = items.map((i) => i.modality);
    return {
      fault: { id: UNKNOWN_ANOMALY_ID, title: u.title, severity: u.severity, confidence: round(fused.confidence), repair: u.repair, matched },
      detail,
    };
  }

  diagnose(input: DiagnoseInput): Diagnosis {
    const started = performance.now();
    const quality = this.qualities(input);
    const focus = questionFocus(input.question, this.opts.questionBoost);
    const weights = modalityWeights(quality, focus);
    const scored = this.score(input);
    const reported = scored.filter((f) => f.confidence >= this.opts.reportAbove);
    const faults: FaultMatch[] = reported.map(({ evidence: _e, heldByQuality: _h, ...f }) => f);
    const evidence: Record<string, unknown> = { ...(input.evidence ?? {}) };
    const unknown = this.unknownAnomaly(input, reported, weights, quality);
    if (unknown && unknown.fault.confidence >= this.opts.reportAbove) {
      faults.push(unknown.fault);
      evidence.unknownAnomaly = unknown.detail;
    }
    faults.sort((a, b) => b.confidence - a.confidence);
    if (input.vision?.anomalyBox) evidence.anomalyBox = input.vision.anomalyBox;
    if (input.audio?.events.length) evidence.audioEvents = input.audio.events;
    if (input.question) evidence.questionFocus = { vision: focus.terms.vision, audio: focus.terms.audio };

    let severity: Severity = faults.length > 0 ? 'info' : 'ok';
    for (const f of faults) {
      if (f.confidence >= this.opts.raiseAbove && f.severity && SEVERITY_RANK[f.severity] > SEVERITY_RANK[severity]) severity = f.severity;
    }
    const modalities: Diagnosis['modalities'] = {};
    if (input.vision) modalities.vision = { ...input.vision, text: visionText(input.vision), weight: round(weights.vision ?? 0) };
    if (input.audio) modalities.audio = { ...input.audio, weight: round(weights.audio ?? 0) };

    const given = input.timings ?? {};
    const fusionMs = round(performance.now() - started, 2);
    const stageSum = Object.entries(given).filter(([k]) => k !== 'totalMs').reduce((s, [, v]) => s + v, 0);
    const timings: Diagnosis['timings'] = {
      ...given, fusionMs, totalMs: round(given.totalMs ?? stageSum + fusionMs, 2), cacheHit: input.cacheHit ?? false,
    };
    const ts = new Date(input.ts ?? Date.now()).toISOString();
    return {
      id: randomUUID(),
      deviceId: this.opts.deviceId,
      ts,
      severity,
      summary: summarize(faults, { raiseAbove: this.opts.raiseAbove, modalities: Object.keys(modalities) }),
      faults,
      modalities,
      evidence,
      timings,
      ...(input.input ? { input: input.input } : {}),
    };
  }
}

interface Rect { x: number; y: number; width: number; height: number }

/** True when most of the anomaly box lies on text the panel reader accepted (the display itself changed). */
export function anomalyOnDisplayText(v: VisionFindings): boolean {
  const box = v.anomalyBox;
  const lines = (v.detail as { ocr?: Array<{ box?: Rect; rejected?: string }> } | undefined)?.ocr;
  if (!box || !lines?.length || box.width <= 0 || box.height <= 0) return false;
  // Text boxes are tight around the glyphs; pad them a little so the patch grid of the anomaly map still meets them.
  const covered = lines.filter((l) => l.box && !l.rejected).reduce((acc, l) => {
    const b = l.box!;
    const pad = Math.round(b.height * 0.5);
    const x0 = Math.max(box.x, b.x - pad);
    const y0 = Math.max(box.y, b.y - pad);
    const x1 = Math.min(box.x + box.width, b.x + b.width + pad);
    const y1 = Math.min(box.y + box.height, b.y + b.height + pad);
    return acc + Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  }, 0);
  return covered >= 0.5 * box.width * box.height;
}
