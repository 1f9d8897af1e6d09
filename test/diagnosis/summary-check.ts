// Checks that a Diagnosis's summary says nothing its fields do not back:
// titles and percentages of the faults it carries, alarm codes that were
// read, "normal" only for a modality assessed and scored low, "not assessed"
// only for one without a score, the impulse rate and anomaly scores it quotes,
// the language of the question. Returns the contradictions found (empty = truthful).
import type { Diagnosis } from '../../src/types.js';
import type { FaultCatalog } from '../../src/diagnosis/catalog.js';

const CJK = /[\u3400-\u9fff]/;

export function summaryContradictions(d: Diagnosis, catalog: FaultCatalog, opts: { raiseAbove: number; anomalyAbove: number; question?: string }): string[] {
  const s = d.summary;
  const out: string[] = [];
  const zh = Boolean(opts.question && CJK.test(opts.question));
  if (zh !== CJK.test(s)) out.push(`the summary is not in the question's language (${zh ? 'zh' : 'en'})`);
  if (d.lang !== (zh ? 'zh' : 'en')) out.push(`lang ${d.lang}`);

  // Every fault it carries is named with its confidence; raised ones before anything else.
  for (const f of d.faults) {
    if (!s.includes(`${f.title} (${Math.round(f.confidence * 100)}%)`)) out.push(`fault ${f.id} is carried but not named with its confidence`);
  }
  const raised = d.faults.filter((f) => f.confidence >= opts.raiseAbove);
  if (raised.length > 0 && !s.startsWith(raised[0]!.title)) out.push(`the summary does not lead with the raised fault ${raised[0]!.id}`);
  if (raised.length === 0 && !/^(No fault|未)/.test(s)) out.push('nothing is raised but the summary does not say so');
  if (raised.length > 0 && /^(No fault|未报|未发现)/.test(s)) out.push('a fault is raised but the summary says none is');
  // Every catalogued title it names is carried as a fault or a candidate.
  const carried = new Set([...d.faults, ...(d.candidates ?? [])].map((f) => f.id));
  for (const f of catalog.faults) {
    for (const title of [f.title, ...Object.values(f.translations).map((t) => t.title).filter((t): t is string => !!t)]) {
      if (s.includes(title) && !carried.has(f.id)) out.push(`names ${title}, which the diagnosis does not carry`);
    }
  }
  // The candidates it lists carry the confidence it gives them.
  for (const c of (d.candidates ?? []).slice(0, 4)) {
    if (s.includes(c.title) && !s.includes(`${c.title} (${Math.round(c.confidence * 100)}%`) && !s.includes(`${c.title}（${Math.round(c.confidence * 100)}%`)) {
      out.push(`names candidate ${c.id} without its confidence`);
    }
  }
  // Every candidate it explains away names a raised fault that explains it.
  for (const c of d.candidates ?? []) {
    if (c.because === 'explained' && !raised.some((f) => f.id === c.by)) out.push(`candidate ${c.id} is explained by ${c.by}, which is not raised`);
  }
  // Alarm codes: only those read.
  const read = new Set([...(d.modalities.vision?.alarmCodes ?? []), ...(d.modalities.vision?.text ?? [])].map((c) => c.toUpperCase()));
  for (const m of s.matchAll(/\b([A-Z]{1,4}-\d{2,4})\b/g)) {
    if (![...read].some((r) => r.includes(m[1]!))) out.push(`mentions alarm ${m[1]}, which was not read`);
  }
  // Modality status.
  for (const [m, name, zhName] of [['audio', 'audio', '声音'], ['vision', 'vision', '图像']] as const) {
    const f = d.modalities[m];
    const normal = s.includes(`${name} within normal range`) || s.includes(`${zhName} 在正常范围内`);
    const unassessed = s.includes(`${name} not assessed`) || s.includes(`${zhName} 未评估`);
    if (!f) { if (normal || unassessed) out.push(`describes ${m}, which is absent`); continue; }
    const scored = f.anomalyScore !== null && f.assessed !== false;
    if (normal && !(scored && f.anomalyScore! < opts.anomalyAbove)) out.push(`calls ${m} normal with score ${f.anomalyScore}`);
    if (unassessed && scored) out.push(`calls ${m} not assessed though it has score ${f.anomalyScore}`);
  }
  // Quoted figures.
  const audio = d.modalities.audio;
  for (const m of s.matchAll(/(?:unusual sound \(score |声音异常（分数 )([\d.]+)/g)) {
    if (!audio || audio.anomalyScore === null || Math.abs(audio.anomalyScore - Number(m[1])) > 0.01) out.push(`quotes sound score ${m[1]} against ${audio?.anomalyScore}`);
  }
  for (const m of s.matchAll(/(?:impulses repeating at |冲击以 )([\d.]+) Hz/g)) {
    const rate = audio?.signature?.impulseRateHz;
    if (rate == null || Math.abs(rate - Number(m[1])) > 0.06) out.push(`quotes an impulse rate of ${m[1]} Hz against ${rate}`);
  }
  return out;
}
