// What the API says about a Diagnosis, in the question's language (English or
// Chinese). Every sentence is built from a field of the Diagnosis; a modality
// that was not assessed is said to be not assessed, never "normal".
//   answerText    → message.content: what a technician reads
//   reasoningText → reasoning_content: the evidence chain behind it
import { reasons } from '../diagnosis/summary.js';
import type { Diagnosis, FaultMatch, Severity } from '../types.js';

export type Language = 'en' | 'zh';

/** Chinese when the question holds CJK ideographs, English otherwise. */
export function questionLanguage(question: string | undefined): Language {
  return question && /[\u3400-\u9fff]/.test(question) ? 'zh' : 'en';
}

export interface AnswerContext {
  language: Language;
  /** Confidence at which a fault counts as present (diagnosis.raiseAbove). */
  raiseAbove: number;
  /** A modality below this quality cannot raise a fault on its own (diagnosis.minQuality). */
  minQuality?: number;
  /** Faults below this confidence are not reported (diagnosis.reportAbove). */
  reportAbove?: number;
  /** Where the findings came from, one line each (files, live pipeline, views). */
  inputs?: string[];
  /** The daemon's fault state (live questions): raised and candidate fault ids. */
  faultState?: { raised?: unknown; candidates?: unknown };
  /** Other views (several images) and their diagnoses, beside the chosen one. */
  otherViews?: Array<{ label: string; diagnosis: Diagnosis }>;
}

const pct = (c: number): string => `${Math.round(c * 100)}%`;
const num = (v: number | null | undefined, digits = 2): string => (v === null || v === undefined ? 'n/a' : v.toFixed(digits));

const SEVERITY_ZH: Record<Severity, string> = { ok: '正常', info: '提示', warning: '警告', critical: '严重' };
const EVENT_ZH: Record<string, string> = {
  impulse: '冲击', tonal: '音调', 'tonal-drift': '音调漂移', 'noise-rise': '噪声升高', 'level-step': '音量突变', dropout: '信号中断',
};

function reasonsIn(lang: Language, f: FaultMatch): string {
  return reasons(f, lang);
}

function headline(d: Diagnosis, ctx: AnswerContext): string {
  const top = d.faults[0];
  const zh = ctx.language === 'zh';
  const assessed = Object.keys(d.modalities);
  if (!top) {
    if (assessed.length === 0) return zh ? '没有可诊断的发现：既没有图像也没有声音被分析。' : 'Nothing to diagnose: neither an image nor sound was analysed.';
    const names = assessed.map((m) => (zh ? (m === 'vision' ? '图像' : '声音') : m));
    return zh ? `未发现故障（已分析：${names.join('和')}）。` : `No fault found (analysed: ${names.join(' and ')}).`;
  }
  const sure = top.confidence >= ctx.raiseAbove;
  const sev = top.severity ?? 'warning';
  return zh
    ? `${sure ? '故障' : '可能的故障'}：${top.title}（置信度 ${pct(top.confidence)}，${SEVERITY_ZH[sev]}）；依据：${reasonsIn('zh', top)}。`
    : `${sure ? 'Fault' : 'Possible fault'}: ${top.title} (${pct(top.confidence)} confidence, ${sev}); evidence: ${reasonsIn('en', top)}.`;
}

function seenLine(d: Diagnosis, zh: boolean): string {
  const v = d.modalities.vision;
  if (!v) return zh ? '图像：未分析（没有图像）。' : 'Display/vision: not assessed (no image).';
  const text = v.text.length ? v.text.map((t) => `"${t}"`).join(', ') : zh ? '无文字' : 'no text';
  const codes = v.alarmCodes.length ? v.alarmCodes.join(', ') : zh ? '无' : 'none';
  const anomaly = v.anomalyScore === null ? (zh ? `未评分（${v.unassessedReason ?? '无基线'}）` : `not scored (${v.unassessedReason ?? 'no vision baseline'})`) : num(v.anomalyScore);
  return zh ? `显示屏读到：${text}；报警代码：${codes}；图像异常分数：${anomaly}。`
    : `Read on the display: ${text}; alarm codes: ${codes}; visual anomaly score: ${anomaly}.`;
}

function heardLine(d: Diagnosis, zh: boolean): string {
  const a = d.modalities.audio;
  if (!a) return zh ? '声音：未分析（没有音频）。' : 'Sound: not assessed (no audio).';
  const kinds = [...new Set(a.events.map((e) => e.type))];
  const events = kinds.length ? kinds.map((k) => (zh ? EVENT_ZH[k] ?? k : k)).join(', ') : zh ? '无声学事件' : 'no acoustic events';
  const anomaly = a.anomalyScore === null ? (zh ? `未评分（${a.unassessedReason ?? '无基线'}）` : `not scored (${a.unassessedReason ?? 'no audio baseline'})`) : num(a.anomalyScore);
  const speech = a.speech > 0.3 ? (zh ? `；${pct(a.speech)} 是人声` : `; ${pct(a.speech)} of it is speech`) : '';
  return zh ? `听到：${events}；声音异常分数：${anomaly}${speech}。` : `Heard: ${events}; acoustic anomaly score: ${anomaly}${speech}.`;
}

/** message.content: the diagnosis for a technician. */
export function answerText(d: Diagnosis, ctx: AnswerContext): string {
  const zh = ctx.language === 'zh';
  const lines = [headline(d, ctx)];
  const top = d.faults[0];
  if (top?.repair.length) {
    lines.push(zh ? '维修步骤：' : 'Repair steps:');
    top.repair.forEach((r, i) => lines.push(`${i + 1}. ${r}`));
  }
  lines.push(seenLine(d, zh), heardLine(d, zh));
  const others = [...d.faults.slice(1), ...(d.candidates ?? [])];
  if (others.length) {
    const list = others.map((f) => `${f.title} (${pct(f.confidence)})`).join(', ');
    lines.push(zh ? `其他候选：${list}。` : `Other candidates: ${list}.`);
  }
  const raised = Array.isArray(ctx.faultState?.raised) ? (ctx.faultState!.raised as unknown[]).map(String) : undefined;
  if (raised) {
    lines.push(zh ? `设备当前已报警的故障：${raised.length ? raised.join(', ') : '无'}。`
      : `Faults currently raised on the machine: ${raised.length ? raised.join(', ') : 'none'}.`);
  }
  return lines.join('\n');
}

/** reasoning_content: which evidence led to the answer, and why the runners-up lost. */
export function reasoningText(d: Diagnosis, ctx: AnswerContext): string {
  const zh = ctx.language === 'zh';
  const lines: string[] = [];
  for (const i of ctx.inputs ?? []) lines.push(`${zh ? '输入' : 'Input'}: ${i}`);
  const minQ = ctx.minQuality;
  for (const [name, m] of Object.entries(d.modalities) as Array<[string, { quality: number; weight: number; anomalyScore: number | null }]>) {
    const gate = minQ === undefined ? '' : m.quality >= minQ
      ? (zh ? `≥ 最低 ${minQ}，可单独判定故障` : ` ≥ minimum ${minQ}: may raise a fault on its own`)
      : (zh ? `< 最低 ${minQ}，不能单独判定故障` : ` < minimum ${minQ}: cannot raise a fault on its own`);
    lines.push(zh
      ? `质量门限：${name} 质量 ${num(m.quality)}${gate}；融合权重 ${num(m.weight)}；异常分数 ${num(m.anomalyScore)}（1.0 = 正常的第 99 百分位）`
      : `Quality gate: ${name} quality ${num(m.quality)}${gate}; fusion weight ${num(m.weight)}; anomaly score ${num(m.anomalyScore)} (1.0 = 99th percentile of normal)`);
  }
  if (!d.modalities.vision) lines.push(zh ? '图像未分析：不作任何图像结论。' : 'Vision not assessed: no conclusion is drawn from it.');
  if (!d.modalities.audio) lines.push(zh ? '声音未分析：不作任何声音结论。' : 'Audio not assessed: no conclusion is drawn from it.');
  const focus = d.evidence.questionFocus as { vision?: string[]; audio?: string[] } | undefined;
  if (focus && (focus.vision?.length || focus.audio?.length)) {
    lines.push(zh ? `问题关注：图像词 ${JSON.stringify(focus.vision ?? [])}，声音词 ${JSON.stringify(focus.audio ?? [])}`
      : `Question focus: vision words ${JSON.stringify(focus.vision ?? [])}, audio words ${JSON.stringify(focus.audio ?? [])}`);
  }
  const top = d.faults[0];
  if (top) {
    lines.push(zh ? `首选 ${top.id}（${pct(top.confidence)}）匹配信号：${top.matched.join(', ') || '无'} → ${reasonsIn('zh', top)}`
      : `Chosen ${top.id} (${pct(top.confidence)}), matched signals: ${top.matched.join(', ') || 'none'} → ${reasonsIn('en', top)}`);
    if (top.confidence < ctx.raiseAbove) {
      lines.push(zh ? `置信度低于报警阈值 ${ctx.raiseAbove}：只是可能的故障。` : `Confidence is below the raise threshold ${ctx.raiseAbove}: only a possible fault.`);
    }
    if (top.matched.some((m) => m.startsWith('quality:low-'))) {
      lines.push(zh ? '低质量的模态被限制，不能单独抬高置信度。' : 'A low-quality modality was held back: it could not raise the confidence alone.');
    }
  } else {
    lines.push(zh ? '没有故障的证据超过报告阈值。' : 'No catalogued fault had evidence above the report threshold.');
  }
  for (const f of d.faults.slice(1)) {
    const held = f.matched.some((m) => m.startsWith('quality:low-'));
    lines.push(zh
      ? `候选 ${f.id}（${pct(f.confidence)}）落选：比 ${top!.id} 低 ${Math.round((top!.confidence - f.confidence) * 100)} 个百分点${held ? '，且受低质量限制' : ''}；信号：${f.matched.join(', ')}`
      : `Candidate ${f.id} (${pct(f.confidence)}) lost: ${Math.round((top!.confidence - f.confidence) * 100)} points below ${top!.id}${held ? ', held back by low quality' : ''}; signals: ${f.matched.join(', ')}`);
  }
  for (const c of d.candidates ?? []) {
    lines.push(zh
      ? `候选 ${c.id}（${pct(c.confidence)}，单独 ${pct(c.alone)}）未报警：${c.reason}${c.missing?.length ? `；缺少 ${c.missing.join(', ')}` : ''}；信号：${c.matched.join(', ')}`
      : `Candidate ${c.id} (${pct(c.confidence)}, ${pct(c.alone)} on its own) not raised: ${c.reason}${c.missing?.length ? `; missing ${c.missing.join(', ')}` : ''}; signals: ${c.matched.join(', ')}`);
  }
  if (ctx.reportAbove !== undefined) {
    lines.push(zh ? `低于报告阈值 ${ctx.reportAbove} 的故障未列出。` : `Faults below the report threshold ${ctx.reportAbove} are not listed.`);
  }
  if (d.evidence.unknownAnomaly) {
    lines.push(zh ? `未被任何已知故障解释的异常：${JSON.stringify(d.evidence.unknownAnomaly)}` : `Anomaly no catalogued fault explains: ${JSON.stringify(d.evidence.unknownAnomaly)}`);
  }
  for (const v of ctx.otherViews ?? []) {
    lines.push(zh ? `其他视图 ${v.label}：${v.diagnosis.summary}` : `Other view ${v.label}: ${v.diagnosis.summary}`);
  }
  if (ctx.faultState) {
    lines.push(zh ? `设备故障状态：${JSON.stringify(ctx.faultState)}` : `Fault state of the daemon: ${JSON.stringify(ctx.faultState)}`);
  }
  lines.push(zh ? `耗时 ${d.timings.totalMs} ms${d.timings.cacheHit ? '（特征来自缓存）' : ''}`
    : `Took ${d.timings.totalMs} ms${d.timings.cacheHit ? ' (features from the cache)' : ''}`);
  return lines.join('\n');
}

/** Rough size of a text in pieces (words, and each CJK character), reported as `usage`; not an LLM's tokens. */
export function countPieces(text: string): number {
  const cjk = text.match(/[\u3400-\u9fff]/g)?.length ?? 0;
  const words = text.replace(/[\u3400-\u9fff]/g, ' ').split(/\s+/).filter(Boolean).length;
  return cjk + words;
}
