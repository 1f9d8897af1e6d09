// The Diagnoser turns one set of findings (vision, audio, the operator's
// question) into a Diagnosis. Every catalogued fault is scored on its
// evidence (evidence.ts, gated by fusion.ts); explaining.ts then raises the
// fewest faults that account for it — one cause raises one fault — and keeps
// the rest as ranked candidates with the reason they lost. An anomaly no
// fault recognises is reported as `unknown-anomaly`. Pure computation: no
// I/O, no clock except for timings, so the CLI and the daemon share it.
import { randomUUID } from 'node:crypto';
import type { AudioFindings, Diagnosis, FaultCandidate, FaultMatch, Severity, VisionFindings } from '../types.js';
import { audioAtomsListed, MISSING_FACTOR } from './audio-evidence.js';
import { findAlarmCodes, UNKNOWN_ANOMALY_ID, type CatalogFault, type FaultCatalog } from './catalog.js';
import { alarmSearchText, catalogSpecificity, collectEvidence, faultRelevance, visionText, type CatalogSpecificity } from './evidence.js';
import { selectExplanations, type ScoredEvidence } from './explaining.js';
import {
  effectiveQuality, fuseConfidence, modalityWeights, questionFocus, MODALITIES,
  type EvidenceItem, type ModalityWeights, type QuestionFocus,
} from './fusion.js';
import { diagnosisSchema } from '../config/sections/diagnosis.js';
import { KeywordIndex } from './keywords.js';
import { questionLanguage, type Lang } from './phrases.js';
import { candidateReason, summarize } from './summary.js';

export interface DiagnoserOptions {
  deviceId: string;
  /** Faults below this confidence are left out of the diagnosis. */
  reportAbove?: number;
  /** Confidence at which a fault counts as present: it is raised (sets severity; the tracker publishes it). */
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

const SEVERITY_RANK: Record<Severity, number> = { ok: 0, info: 1, warning: 2, critical: 3 };

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The fault's title and repair steps in `lang` when the catalog has them. */
export function localised(f: Pick<CatalogFault, 'title' | 'repair' | 'translations'>, lang: Lang): { title: string; repair: string[] } {
  const t = lang === 'en' ? undefined : f.translations[lang];
  return { title: t?.title ?? f.title, repair: t?.repair ?? f.repair };
}

export class Diagnoser {
  private readonly keywords: KeywordIndex;
  private readonly specificity: CatalogSpecificity;
  private readonly opts: Required<DiagnoserOptions>;

  constructor(readonly catalog: FaultCatalog, opts: DiagnoserOptions) {
    this.keywords = new KeywordIndex(catalog.faults);
    this.specificity = catalogSpecificity(catalog);
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

  /** Fuses (possibly residual) evidence of one fault: gated per modality, expected-but-missing signals lower the audio part. */
  private fuser(quality: ModalityWeights, focus: QuestionFocus) {
    return (s: ScoredEvidence | { fault?: CatalogFault; missing: string[] }, items: EvidenceItem[]) => {
      const weights = modalityWeights(quality, focus, s.fault ? faultRelevance(s.fault) : {});
      const audioMissing = s.missing.filter((m) => m.startsWith('audio:')).length;
      return fuseConfidence(items, weights, quality, this.opts, { audio: MISSING_FACTOR ** audioMissing });
    };
  }

  /** Every catalogued fault with any evidence, scored on all of it (before explaining away). */
  score(input: DiagnoseInput): ScoredEvidence[] {
    const quality = this.qualities(input);
    const fuse = this.fuser(quality, questionFocus(input.question, this.opts.questionBoost));
    const out: ScoredEvidence[] = [];
    for (const f of this.catalog.faults) {
      const { items, missing } = collectEvidence(f, {
        vision: input.vision, audio: input.audio, question: input.question, keywords: this.keywords, specificity: this.specificity,
      });
      if (items.length === 0) continue;
      const partial = { fault: f, items, missing };
      out.push({ ...partial, alone: fuse(partial, items) });
    }
    return out.sort((a, b) => b.alone.confidence - a.alone.confidence || a.fault.id.localeCompare(b.fault.id));
  }

  /** Anomalous modalities that no raised fault explains and no candidate recognises, as one `unknown-anomaly` entry. */
  private unknownAnomaly(input: DiagnoseInput, explainedAtoms: Set<string>, recognised: Set<string>, fuse: ReturnType<Diagnoser['fuser']>):
    { items: EvidenceItem[]; matched: string[]; detail: Record<string, unknown>; confidence: number; held: boolean } | undefined {
    const thr = this.opts.anomalyAbove;
    const matched: string[] = [];
    const detail: Record<string, unknown> = {};
    const items: EvidenceItem[] = [];
    const v = input.vision;
    if (v && !explainedAtoms.has('vision:anomaly') && !recognised.has('vision')) {
      const rois = (v.rois ?? []).filter((r) => r.anomalyScore !== null && r.anomalyScore >= thr && !explainedAtoms.has(`vision:roi=${r.name}`))
        .sort((a, b) => (b.anomalyScore ?? 0) - (a.anomalyScore ?? 0));
      const score = Math.max(v.anomalyScore ?? -Infinity, rois[0]?.anomalyScore ?? -Infinity);
      if (score >= thr) {
        matched.push(`vision:anomaly=${round(score, 2)}`, ...rois.map((r) => `vision:roi=${r.name}`));
        items.push({ modality: 'vision', kind: 'anomaly', strength: Math.min(0.8, 0.5 + 0.3 * (score - thr) / thr), matched: '', atom: 'vision:anomaly', specific: false });
        detail.vision = { anomalyScore: score, anomalyBox: v.anomalyBox, rois: rois.map((r) => r.name) };
      }
    }
    const a = input.audio;
    if (a && !explainedAtoms.has('audio:anomaly') && !recognised.has('audio') && a.anomalyScore !== null && a.anomalyScore >= thr) {
      matched.push(`audio:anomaly=${round(a.anomalyScore, 2)}`, ...[...new Set(a.events.map((e) => `audio:${e.type}`))]);
      items.push({ modality: 'audio', kind: 'anomaly', strength: Math.min(0.8, 0.5 + 0.3 * (a.anomalyScore - thr) / thr), matched: '', atom: 'audio:anomaly', specific: false });
      detail.audio = { anomalyScore: a.anomalyScore, events: a.events };
    }
    if (items.length === 0) return undefined;
    const fused = fuse({ missing: [] }, items);
    if (fused.heldByQuality) for (const i of items) matched.push(`quality:low-${i.modality}`);
    detail.modalities = items.map((i) => i.modality);
    return { items, matched, detail, confidence: round(fused.confidence), held: fused.heldByQuality };
  }

  diagnose(input: DiagnoseInput): Diagnosis {
    const started = performance.now();
    const lang = questionLanguage(input.question);
    const quality = this.qualities(input);
    const focus = questionFocus(input.question, this.opts.questionBoost);
    const weights = modalityWeights(quality, focus);
    const fuse = this.fuser(quality, focus);
    const scored = this.score(input);
    const v = input.vision;
    const readCodes = v ? [...new Set([...v.alarmCodes, ...alarmSearchText(v)])] : [];
    // An alarm code explains the anomaly on the display when the anomaly sits on the text that was read (or nothing says where it is).
    const displayExplained = Boolean(v && (!v.anomalyBox || anomalyOnDisplayText(v)));
    // With no code read at all, a change on the display's text (read or not: an alarm the reader could not make
    // out) is explained by a raised fault that is known to show an alarm there.
    const unreadDisplayChanged = Boolean(v && v.alarmCodes.length === 0 && v.anomalyBox && anomalyOnDisplayText(v, { includeRejected: true }));
    const selection = selectExplanations(scored, {
      raiseAbove: this.opts.raiseAbove,
      reportAbove: this.opts.reportAbove,
      fuse,
      claims: (s, item) => item.kind !== 'anomaly' || locates(s.items, item.modality),
      alsoExplains: (s) => {
        if (!s.items.some((i) => i.kind === 'alarm')) return unreadDisplayChanged && s.fault.alarmCodes.length > 0 ? ['vision:anomaly'] : [];
        return [...(displayExplained ? ['vision:anomaly'] : []), ...audioAtomsListed(s.fault)];
      },
      excludedByAlarm: (f) => {
        for (const p of f.excludes.alarms) {
          const found = v ? findAlarmCodes(p, v.alarmCodes, readCodes) : [];
          if (found.length > 0) return `alarm:${found[0]}`;
        }
        return undefined;
      },
    });

    const text = (f: CatalogFault) => localised(f, lang);
    const toMatch = (sc: ScoredEvidence, confidence: number, taken: readonly string[] = []): FaultMatch => {
      const matched = sc.items.filter((i) => !taken.includes(i.atom)).map((i) => i.matched);
      if (sc.alone.heldByQuality) for (const m of MODALITIES) if (sc.items.some((i) => i.modality === m)) matched.push(`quality:low-${m}`);
      // What it took from other faults, so a reader sees why they were not raised.
      for (const l of selection.losers) if (l.because === 'explained' && l.by === sc.fault.id) matched.push(`explains:${l.scored.fault.id}`);
      const { title, repair } = text(sc.fault);
      return { id: sc.fault.id, title, severity: sc.fault.severity, confidence: round(confidence), repair, matched: [...new Set(matched)] };
    };
    // Raised faults, then those that stand on their own evidence but stay below the raise level (possible).
    const faults: FaultMatch[] = [
      ...selection.raised.map((r) => toMatch(r.scored, r.confidence, r.takenByOthers)),
      ...selection.losers.filter((l) => l.because === 'below-raise' || l.because === 'low-quality')
        .filter((l) => l.confidence >= this.opts.reportAbove).map((l) => toMatch(l.scored, l.confidence)),
    ];
    const titleOf = (id: string) => {
      const f = this.catalog.faults.find((x) => x.id === id);
      return f ? text(f).title : id;
    };
    // Faults that lost their evidence to a raised fault, or that a raised fault or a read alarm code rules out.
    const candidates: FaultCandidate[] = selection.losers.filter((l) => l.because === 'explained' || l.because === 'excluded').map((l) => {
      const c: FaultCandidate = {
        id: l.scored.fault.id, title: text(l.scored.fault).title, severity: l.scored.fault.severity,
        confidence: round(l.confidence), alone: round(l.scored.alone.confidence), because: l.because as FaultCandidate['because'],
        ...(l.by ? { by: l.by } : {}), reason: '', matched: [...new Set(l.scored.items.map((i) => i.matched))],
        ...(l.scored.missing.length ? { missing: l.scored.missing } : {}),
      };
      c.reason = candidateReason(c, this.opts.raiseAbove, titleOf, lang);
      return c;
    });

    const evidence: Record<string, unknown> = { ...(input.evidence ?? {}) };
    const explainedAtoms = new Set(selection.raised.flatMap((r) => r.explains));
    // A fault not raised still recognises its modality's anomaly when it matched it with the signature that locates it.
    const recognised = new Set(selection.losers.flatMap((l) => MODALITIES.filter((m) =>
      l.scored.items.some((i) => i.modality === m && i.kind === 'anomaly') && locates(l.scored.items, m))));
    const unknown = this.unknownAnomaly(input, explainedAtoms, recognised, fuse);
    const u = this.catalog.unknownAnomaly;
    if (unknown && unknown.confidence >= this.opts.reportAbove) {
      faults.push({ id: UNKNOWN_ANOMALY_ID, title: u.title, severity: u.severity, confidence: unknown.confidence, repair: u.repair, matched: unknown.matched });
      evidence.unknownAnomaly = unknown.detail;
    }
    faults.sort((a, b) => b.confidence - a.confidence);
    candidates.sort((a, b) => b.confidence - a.confidence || b.alone - a.alone);
    if (input.vision?.anomalyBox) evidence.anomalyBox = input.vision.anomalyBox;
    if (input.audio?.events.length) evidence.audioEvents = input.audio.events;
    if (input.question) evidence.questionFocus = { vision: focus.terms.vision, audio: focus.terms.audio };
    evidence.thresholds = { raiseAbove: this.opts.raiseAbove, anomalyAbove: this.opts.anomalyAbove };

    let severity: Severity = faults.length > 0 || candidates.length > 0 ? 'info' : 'ok';
    for (const f of faults) {
      if (f.confidence >= this.opts.raiseAbove && f.severity && SEVERITY_RANK[f.severity] > SEVERITY_RANK[severity]) severity = f.severity;
    }
    const modalities: Diagnosis['modalities'] = {};
    if (input.vision) modalities.vision = { ...input.vision, text: visionText(input.vision), weight: round(weights.vision ?? 0) };
    if (input.audio) modalities.audio = { ...input.audio, weight: round(weights.audio ?? 0) };
    // Codes read off the display that no catalogued fault names: said as such, never as a fault.
    const matchedCodes = new Set([...faults, ...candidates].flatMap((f) => f.matched.filter((m) => m.startsWith('alarm:')).map((m) => m.slice(6))));
    const uncatalogued = (input.vision?.alarmCodes ?? []).filter((c) => !matchedCodes.has(c));

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
      summary: summarize(faults, {
        raiseAbove: this.opts.raiseAbove, anomalyAbove: this.opts.anomalyAbove, modalities, candidates, uncatalogued, lang,
      }),
      faults,
      candidates,
      lang,
      modalities,
      evidence,
      timings,
      ...(input.input ? { input: input.input } : {}),
    };
  }
}

/** True when the items hold more than a bare anomaly for the modality: the sound's events or signature, the region it is in. */
function locates(items: readonly EvidenceItem[], modality: EvidenceItem['modality']): boolean {
  return items.some((i) => i.modality === modality && i.strength > 0 && (i.kind === 'event' || i.kind === 'signature' || i.kind === 'roi'));
}

interface Rect { x: number; y: number; width: number; height: number }

/** True when most of the anomaly box lies on text the panel reader accepted, or found at all with `includeRejected` (the display itself changed). */
export function anomalyOnDisplayText(v: VisionFindings, opts: { includeRejected?: boolean } = {}): boolean {
  const box = v.anomalyBox;
  const lines = (v.detail as { ocr?: Array<{ box?: Rect; rejected?: string }> } | undefined)?.ocr;
  if (!box || !lines?.length || box.width <= 0 || box.height <= 0) return false;
  // Text boxes are tight around the glyphs; pad them a little so the patch grid of the anomaly map still meets them.
  const covered = lines.filter((l) => l.box && (opts.includeRejected || !l.rejected)).reduce((acc, l) => {
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
