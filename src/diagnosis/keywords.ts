// Keyword matching in English and Chinese. Text (OCR lines, the operator's
// question) is split into words with Intl.Segmenter, which segments Chinese
// with a dictionary; Latin words are lower-cased and lightly stemmed. Each
// catalog keyword is weighted by how rare its words are across the catalog
// (inverse document frequency), so "bearing" in one fault counts more than
// "motor" in six.
import type { CatalogFault } from './catalog.js';

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/** English stop words never count as evidence even if a keyword contains them. */
const STOP = new Set(['the', 'a', 'an', 'of', 'on', 'in', 'is', 'it', 'to', 'and', 'or', 'what', 'why', 'that', 'this', 'with',
  '的', '了', '是', '吗', '呢', '在', '有', '什么', '为什么', '怎么']);

function stem(word: string): string {
  if (word.length >= 8 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** Words of a text: Chinese words as segmented, Latin words lower-cased and stemmed; stop words dropped. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const seg of segmenter.segment(text.normalize('NFKC'))) {
    if (!seg.isWordLike) continue;
    const w = seg.segment.toLowerCase();
    if (STOP.has(w)) continue;
    out.push(CJK.test(w) ? w : stem(w));
  }
  return out;
}

/** Text with spaces removed and Latin lower-cased, for substring matches of Chinese phrases. */
function compact(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

export interface KeywordHit {
  keyword: string;
  /** 0..1: the mean rarity of the keyword's words across the catalog. */
  weight: number;
  /** Where it was found. */
  source: 'ocr' | 'question';
}

interface IndexedKeyword {
  keyword: string;
  tokens: string[];
  cjk: boolean;
  weight: number;
}

/** Keywords of every fault, weighted by inverse document frequency over the catalog. */
export class KeywordIndex {
  private readonly byFault = new Map<string, IndexedKeyword[]>();
  /** Rarity of each word, 0..1 (1 = used by one fault only). */
  readonly rarity = new Map<string, number>();

  constructor(faults: readonly Pick<CatalogFault, 'id' | 'keywords'>[]) {
    const df = new Map<string, number>();
    const perFault = faults.map((f) => {
      const entries = f.keywords.map((k) => ({ keyword: k, tokens: [...new Set(tokenize(k))], cjk: CJK.test(k) }));
      const words = new Set(entries.flatMap((e) => e.tokens));
      for (const w of words) df.set(w, (df.get(w) ?? 0) + 1);
      return { id: f.id, entries };
    });
    const n = Math.max(1, faults.length);
    const maxIdf = Math.log(1 + n);
    for (const [w, d] of df) this.rarity.set(w, Math.log(1 + n / d) / maxIdf);
    for (const { id, entries } of perFault) {
      this.byFault.set(id, entries.map((e) => ({
        ...e,
        weight: e.tokens.length === 0 ? 0.5 : e.tokens.reduce((s, t) => s + (this.rarity.get(t) ?? 1), 0) / e.tokens.length,
      })));
    }
  }

  /**
   * Keywords of `faultId` present in the texts. A keyword matches when all its
   * words appear among the text's words, or (for Chinese) when it appears as a
   * run of characters, which tolerates a different segmentation.
   */
  match(faultId: string, texts: { ocr: readonly string[]; question?: string }): KeywordHit[] {
    const entries = this.byFault.get(faultId) ?? [];
    if (entries.length === 0) return [];
    const sources: Array<{ source: 'ocr' | 'question'; words: Set<string>; flat: string }> = [];
    const ocr = texts.ocr.join('\n');
    if (ocr.trim()) sources.push({ source: 'ocr', words: new Set(tokenize(ocr)), flat: compact(ocr) });
    if (texts.question?.trim()) sources.push({ source: 'question', words: new Set(tokenize(texts.question)), flat: compact(texts.question) });
    const hits: KeywordHit[] = [];
    for (const e of entries) {
      for (const s of sources) {
        const byWords = e.tokens.length > 0 && e.tokens.every((t) => s.words.has(t));
        const byRun = e.cjk && s.flat.includes(compact(e.keyword));
        if (byWords || byRun) {
          hits.push({ keyword: e.keyword, weight: e.weight, source: s.source });
          break;
        }
      }
    }
    return hits;
  }
}
