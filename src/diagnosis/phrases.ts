// The words of summaries, in English and Chinese. Every phrase takes the
// value it states as an argument: a summary never says something that is not
// in a field of the diagnosis.
export type Lang = 'en' | 'zh';

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/** The language to answer in: Chinese when the question is written in Chinese, else English. */
export function questionLanguage(question: string | undefined): Lang {
  return question && CJK.test(question) ? 'zh' : 'en';
}

const khz = (hz: number) => (hz >= 1000 ? `${(hz / 1000).toFixed(1)} kHz` : `${Math.round(hz)} Hz`);

export interface Phrases {
  alarm: (code: string) => string;
  alarmFrames: (code: string, frames: number) => string;
  keyword: (k: string) => string;
  mentions: (list: string) => string;
  lowQuality: (modality: string) => string;
  unusualSound: (score: string) => string;
  event: (type: string) => string;
  impulseRate: (hz: string) => string;
  impulseOrder: (x: string) => string;
  band: (hz: number) => string;
  tonal: (hz: number) => string;
  drift: (pct: string) => string;
  hiss: (db: string) => string;
  roi: (name: string) => string;
  visualAnomaly: (score: string) => string;
  weak: string;
  sep: string;
  listSep: string;
  end: string;
  possible: (text: string, raisePct: string) => string;
  alsoPossible: (list: string, raisePct: string) => string;
  notRaised: (list: string) => string;
  explainedBy: (title: string) => string;
  excludedBy: (what: string) => string;
  noFindings: string;
  noFault: string;
  modality: (m: 'vision' | 'audio') => string;
  withinNormal: (score: string) => string;
  anomalous: (score: string) => string;
  notAssessed: (reason: string) => string;
  codeNotCatalogued: (codes: string) => string;
  reasonWord: (reason: string) => string;
}

export const PHRASES: Record<Lang, Phrases> = {
  en: {
    alarm: (c) => `alarm ${c} read on the display`,
    alarmFrames: (c, n) => `alarm ${c} read on the display in ${n} frame${n === 1 ? '' : 's'}`,
    keyword: (k) => `"${k}"`,
    mentions: (l) => `mentions ${l}`,
    lowQuality: (m) => `low ${m} quality`,
    unusualSound: (s) => `unusual sound (score ${s})`,
    event: (t) => `${t} sound`,
    impulseRate: (hz) => `impulses repeating at ${hz} Hz`,
    impulseOrder: (x) => `impulses at ${x}× shaft rate`,
    band: (hz) => `sound energy near ${khz(hz)}`,
    tonal: (hz) => `a new tone at ${khz(hz)}`,
    drift: (p) => `a known tone drifted ${p}%`,
    hiss: (db) => `broadband hiss up ${db} dB`,
    roi: (n) => `visible change at ${n}`,
    visualAnomaly: (s) => `visual anomaly (score ${s})`,
    weak: 'weak evidence',
    sep: ': ',
    listSep: ', ',
    end: '.',
    possible: (t, r) => `No fault raised; possible (below the ${r} raise level): ${t}`,
    alsoPossible: (l, r) => `Also possible, below the ${r} raise level: ${l}`,
    notRaised: (l) => `Not raised: ${l}`,
    explainedBy: (t) => `explained by ${t}`,
    excludedBy: (w) => `excluded by ${w}`,
    noFindings: 'No findings to diagnose.',
    noFault: 'No fault found',
    modality: (m) => m,
    withinNormal: (s) => `within normal range (score ${s})`,
    anomalous: (s) => `anomaly score ${s} (over the threshold)`,
    notAssessed: (r) => `not assessed (${r})`,
    codeNotCatalogued: (c) => `code ${c} read but not in the catalog`,
    reasonWord: (r) => r,
  },
  zh: {
    alarm: (c) => `显示屏读到报警 ${c}`,
    alarmFrames: (c, n) => `显示屏在 ${n} 帧中读到报警 ${c}`,
    keyword: (k) => `“${k}”`,
    mentions: (l) => `提到 ${l}`,
    lowQuality: (m) => `${m === 'vision' ? '图像' : '声音'}质量低`,
    unusualSound: (s) => `声音异常（分数 ${s}）`,
    event: (t) => `${EVENT_ZH[t] ?? t}`,
    impulseRate: (hz) => `冲击以 ${hz} Hz 重复`,
    impulseOrder: (x) => `冲击频率为轴转速的 ${x} 倍`,
    band: (hz) => `声能集中在 ${khz(hz)} 附近`,
    tonal: (hz) => `出现 ${khz(hz)} 的新音调`,
    drift: (p) => `已知音调漂移 ${p}%`,
    hiss: (db) => `宽带嘶声升高 ${db} dB`,
    roi: (n) => `${n} 处有可见变化`,
    visualAnomaly: (s) => `图像异常（分数 ${s}）`,
    weak: '证据较弱',
    sep: '：',
    listSep: '，',
    end: '。',
    possible: (t, r) => `未报故障；可能是（低于 ${r} 的报警阈值）：${t}`,
    alsoPossible: (l, r) => `另有可能（低于 ${r} 的报警阈值）：${l}`,
    notRaised: (l) => `未报：${l}`,
    explainedBy: (t) => `已由“${t}”解释`,
    excludedBy: (w) => `被 ${w} 排除`,
    noFindings: '没有可诊断的数据。',
    noFault: '未发现故障',
    modality: (m) => (m === 'vision' ? '图像' : '声音'),
    withinNormal: (s) => `在正常范围内（分数 ${s}）`,
    anomalous: (s) => `异常分数 ${s}（超过阈值）`,
    notAssessed: (r) => `未评估（${r}）`,
    codeNotCatalogued: (c) => `读到代码 ${c}，但不在故障目录中`,
    reasonWord: (r) => REASON_ZH[r] ?? r,
  },
};

const EVENT_ZH: Record<string, string> = {
  impulse: '冲击声', tonal: '音调声', 'tonal-drift': '音调漂移', 'noise-rise': '噪声升高', 'level-step': '音量突变', dropout: '声音中断',
};

const REASON_ZH: Record<string, string> = {
  'no audio baseline': '没有声音基线', 'no vision baseline': '没有图像基线', 'no baseline': '没有基线', speech: '有人说话',
  'no anomaly score': '没有异常分数', 'no usable sound': '没有可用的声音',
};
