// One line a technician can read at a glance, every clause taken from a field.
// `summarize` describes a full diagnosis (the raised faults and why, the
// candidates and why they lost, the state of each modality); `summarizeTransition`
// describes one publication of the FaultTracker: what was raised, updated or
// cleared, and which faults stay raised — always exactly the faults the
// publication carries.
import type { Diagnosis, FaultCandidate, FaultMatch } from '../types.js';
import { PHRASES, type Lang } from './phrases.js';

/** `alarm:E-042` → "alarm E-042 read on the display", and so on; undefined for entries that are not reasons. */
export function explain(matched: string, lang: Lang = 'en', alarmFrames?: Readonly<Record<string, number>>): string | undefined {
  const p = PHRASES[lang];
  const [kind, rest = ''] = matched.split(/:(.*)/s, 2) as [string, string?];
  if (kind === 'alarm') return alarmFrames?.[rest] ? p.alarmFrames(rest, alarmFrames[rest]!) : p.alarm(rest);
  if (kind === 'keyword') return p.keyword(rest);
  if (kind === 'quality') return p.lowQuality(rest.replace(/^low-/, ''));
  if (kind === 'audio') {
    const [name, value = ''] = rest.split('=', 2) as [string, string?];
    const num = Number.parseFloat(value);
    switch (name) {
      case 'anomaly': return p.unusualSound(value);
      case 'impulse-rate': return p.impulseRate(String(num));
      case 'impulse-order': return p.impulseOrder(String(num));
      case 'band': return p.band(num);
      case 'tonal-hz': return p.tonal(num);
      case 'drift': return p.drift(String(num));
      case 'hiss-rise': return p.hiss(String(num));
      default: return p.event(name);
    }
  }
  if (kind === 'vision') {
    if (rest.startsWith('roi=')) return p.roi(rest.slice(4));
    if (rest.startsWith('anomaly=')) return p.visualAnomaly(rest.slice(8));
  }
  return undefined;
}

const pct = (confidence: number): string => `${Math.round(confidence * 100)}%`;
const capitalise = (s: string): string => s.replace(/^./, (c) => c.toUpperCase());

/** Why a fault matched, in words: strong signals first, keywords last. */
export function reasons(f: Pick<FaultMatch, 'matched'>, lang: Lang = 'en', alarmFrames?: Readonly<Record<string, number>>): string {
  const p = PHRASES[lang];
  const all = [...new Set(f.matched.map((m) => explain(m, lang, alarmFrames)).filter((r): r is string => r !== undefined))];
  const keywordOf = (m: string) => m.startsWith('keyword:');
  const keywords = [...new Set(f.matched.filter(keywordOf).map((m) => explain(m, lang)!))];
  const others = all.filter((r) => !keywords.includes(r));
  if (keywords.length > 0) others.push(p.mentions(keywords.join(p.listSep)));
  return others.join(p.listSep) || p.weak;
}

/** A candidate's reason for not being raised, in words (titles resolved through `titleOf`). */
export function candidateReason(c: Pick<FaultCandidate, 'because' | 'by'>, _raiseAbove: number, titleOf: (id: string) => string, lang: Lang = 'en'): string {
  const p = PHRASES[lang];
  switch (c.because) {
    case 'explained': return p.explainedBy(titleOf(c.by ?? ''));
    case 'excluded': return p.excludedBy(c.by && !c.by.startsWith('alarm:') ? titleOf(c.by) : p.alarm((c.by ?? '').replace(/^alarm:/, '')));
  }
}

type Modalities = Diagnosis['modalities'];

/** Why a modality has no anomaly score, from its fields. */
export function unassessedReason(m: 'vision' | 'audio', f: NonNullable<Modalities['vision'] | Modalities['audio']>): string {
  if (f.unassessedReason) return f.unassessedReason;
  const detail = f.detail as { baseline?: boolean } | undefined;
  if (m === 'audio' && 'speech' in f && f.speech > 0.5) return 'speech';
  if (detail?.baseline === false) return `no ${m} baseline`;
  return 'no anomaly score';
}

/** True when the modality's anomaly check ran (a score, not marked unassessed). */
export function assessed(f: { anomalyScore: number | null; assessed?: boolean }): boolean {
  return f.assessed !== false && f.anomalyScore !== null && Number.isFinite(f.anomalyScore);
}

/** "vision within normal range (score 0.40); audio not assessed (no audio baseline)": each clause from the modality's fields. */
export function modalityStatus(modalities: Modalities, anomalyAbove: number, lang: Lang = 'en'): string {
  const p = PHRASES[lang];
  const parts: string[] = [];
  for (const m of ['vision', 'audio'] as const) {
    const f = modalities[m];
    if (!f) continue;
    let clause: string;
    if (!assessed(f)) clause = p.notAssessed(p.reasonWord(unassessedReason(m, f)));
    else {
      // Scores are floored at 0 for windows far below the normal median; "< 0.01" says so
      // instead of a bare 0 that reads like a missing value.
      const rounded = Math.round(f.anomalyScore! * 100) / 100;
      const score = rounded > 0 ? rounded.toString() : '< 0.01';
      clause = f.anomalyScore! < anomalyAbove ? p.withinNormal(score) : p.anomalous(score);
    }
    parts.push(`${p.modality(m)} ${clause}`);
  }
  return parts.join(lang === 'zh' ? '；' : '; ');
}

export interface SummaryContext {
  raiseAbove: number;
  anomalyAbove: number;
  modalities: Modalities;
  candidates?: readonly FaultCandidate[];
  /** Alarm codes read that no catalogued fault matched. */
  uncatalogued?: readonly string[];
  lang?: Lang;
}

/**
 * The summary of a full diagnosis: each raised fault with why; the possible
 * ones (below the raise level) with why; with nothing raised, the state of
 * each modality (within normal range only when it was assessed and scored
 * low); codes read that the catalog does not know; then the candidates that
 * lost their evidence to a raised fault and why.
 */
export function summarize(faults: readonly FaultMatch[], ctx: SummaryContext): string {
  const lang = ctx.lang ?? 'en';
  const p = PHRASES[lang];
  if (faults.length === 0 && Object.keys(ctx.modalities).length === 0) return p.noFindings;
  const titles = new Map<string, string>([...faults, ...(ctx.candidates ?? [])].map((f) => [f.id, f.title]));
  const raised = faults.filter((f) => f.confidence >= ctx.raiseAbove);
  const possible = faults.filter((f) => f.confidence < ctx.raiseAbove);
  const described = (f: FaultMatch) => `${f.title} (${pct(f.confidence)})${p.sep}${reasons(f, lang)}`;
  const semi = lang === 'zh' ? '；' : '; ';
  const sentences: string[] = [];
  if (raised.length > 0) {
    sentences.push(capitalise(raised.map(described).join(semi)));
    if (possible.length > 0) sentences.push(p.alsoPossible(possible.map((f) => `${f.title} (${pct(f.confidence)})`).join(p.listSep), pct(ctx.raiseAbove)));
  } else {
    const status = modalityStatus(ctx.modalities, ctx.anomalyAbove, lang);
    sentences.push(possible.length > 0
      ? p.possible(possible.map(described).join(semi), pct(ctx.raiseAbove))
      : `${p.noFault}${status ? `${p.sep}${status}` : ''}`);
    if (possible.length > 0 && status) sentences.push(capitalise(status));
  }
  if (ctx.uncatalogued?.length) sentences.push(capitalise(p.codeNotCatalogued(ctx.uncatalogued.join(', '))));
  const candidates = ctx.candidates ?? [];
  if (candidates.length > 0) {
    const why = (c: FaultCandidate) => candidateReason(c, ctx.raiseAbove, (id) => titles.get(id) ?? id, lang);
    const list = candidates.slice(0, 4).map((c) => (lang === 'zh' ? `${c.title}（${pct(c.confidence)}，${why(c)}）` : `${c.title} (${pct(c.confidence)}, ${why(c)})`));
    sentences.push(p.notRaised(list.join(p.listSep)));
  }
  return sentences.map((x) => (/[.。]$/.test(x) ? x : `${x}${p.end}`)).join(lang === 'zh' ? '' : ' ');
}

export type TransitionState = 'raised' | 'updated' | 'cleared' | 'healthy';

export interface Transition {
  state: TransitionState;
  /** The faults the publication carries: every fault raised after this transition. */
  faults: readonly FaultMatch[];
  /** Ids of the faults raised or updated by it (raised/updated). */
  changed?: readonly string[];
  /** Confidence last published for each updated fault. */
  previous?: ReadonlyMap<string, number>;
  /** The faults it cleared (cleared). */
  cleared?: readonly FaultMatch[];
  /** The findings behind it (healthy): each modality is described from its own fields. */
  modalities?: Modalities;
  /** Calibrated anomaly score at or above which a modality is not called normal (default 1). */
  anomalyAbove?: number;
  /** Language of the diagnosis it comes from (default en). */
  lang?: Lang;
  /** Per fault, the number of camera frames each of its alarm codes was read in (the tracker counts them). */
  alarmFrames?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

const brief = (list: readonly FaultMatch[]): string => list.map((f) => `${f.title} (${pct(f.confidence)})`).join(', ');

const TRANSITION = {
  en: {
    healthy: 'Healthy: no fault raised', cleared: 'Cleared', stillRaised: 'Still raised', noneRemains: 'No fault remains raised.',
    raised: 'Raised', updated: 'Updated', alsoRaised: 'Also raised', nothing: 'nothing', sep: ': ', semi: '; ', end: '.', space: ' ',
  },
  zh: {
    healthy: '正常：未报故障', cleared: '已解除', stillRaised: '仍在报', noneRemains: '没有仍在报的故障。',
    raised: '报出', updated: '更新', alsoRaised: '另在报', nothing: '无', sep: '：', semi: '；', end: '。', space: '',
  },
} as const;

/** The summary of one tracker publication, in `t.lang` (default English); it names every fault in `t.faults`. */
export function summarizeTransition(t: Transition): string {
  const lang = t.lang ?? 'en';
  const w = TRANSITION[lang];
  const changed = new Set(t.changed ?? []);
  const subject = t.faults.filter((f) => changed.has(f.id));
  const others = t.faults.filter((f) => !changed.has(f.id));
  const also = others.length > 0 ? `${w.space}${w.alsoRaised}${w.sep}${brief(others)}${w.end}` : '';
  switch (t.state) {
    case 'healthy': {
      const status = t.modalities ? modalityStatus(t.modalities, t.anomalyAbove ?? 1, lang) : '';
      return status ? `${w.healthy}${w.semi}${status}${w.end}` : `${w.healthy}${w.end}`;
    }
    case 'cleared': {
      const titles = (t.cleared ?? []).map((f) => f.title).join(', ') || w.nothing;
      return t.faults.length > 0
        ? `${w.cleared}${w.sep}${titles}${w.end}${w.space}${w.stillRaised}${w.sep}${brief(t.faults)}${w.end}`
        : `${w.cleared}${w.sep}${titles}${w.end}${w.space}${w.noneRemains}`;
    }
    case 'raised': {
      const head = subject.map((f) => `${f.title} (${pct(f.confidence)})${w.sep}${reasons(f, lang, t.alarmFrames?.[f.id])}`).join(w.semi);
      return `${w.raised}${w.sep}${head}${w.end}${also}`;
    }
    case 'updated': {
      const head = subject.map((f) => {
        const before = t.previous?.get(f.id);
        const move = before === undefined ? pct(f.confidence) : `${pct(before)} → ${pct(f.confidence)}`;
        return `${f.title} ${move}${w.sep}${reasons(f, lang, t.alarmFrames?.[f.id])}`;
      }).join(w.semi);
      return `${w.updated}${w.sep}${head}${w.end}${also}`;
    }
  }
}
