// Dev aid (status38): every captured alarm line (bench/_status37-capture.ts) whose status-remains verdict differs
// between two source trees, with and without the catalog; marks the lines the reader's sureDisplayLine would weigh
// (grammar changed nothing), where a differing verdict could change what the reader does next.
//   node --import tsx bench/_status38-remains-diff.ts TREE_A TREE_B CAPTURE.jsonl
import { readFileSync } from 'node:fs';
import type { OcrLine } from '../src/vision/ocr/ocr-line.js';
import { CATALOG_PATTERNS } from './_ocr-catalog.js';

type G = { statusRemains: (r: { raw: string }, code: string, cells?: string) => string | null };
const [ta, tb, capture] = process.argv.slice(2);
const grammars = async (tree: string): Promise<{ plain: G; cat: G }> => {
  const { LineGrammar } = await import(`${tree}/src/vision/ocr/line-grammar.ts`);
  return { plain: new LineGrammar({ alarmPatterns: [] }) as G, cat: new LineGrammar({ alarmPatterns: CATALOG_PATTERNS }) as G };
};
const A = await grammars(ta!), B = await grammars(tb!);
let lines = 0, diffs = 0;
for (const rec of readFileSync(capture!, 'utf8').trim().split('\n')) {
  const r = JSON.parse(rec) as { file: string; text: string } & Record<'plain' | 'cat', { lines: OcrLine[] }>;
  for (const k of ['plain', 'cat'] as const) {
    for (const l of r[k].lines ?? []) {
      const rd = l.reading;
      if (rd?.kind !== 'alarm' || !rd.code) continue;
      lines++;
      const a = A[k].statusRemains(rd, rd.code, l.cells), b = B[k].statusRemains(rd, rd.code, l.cells);
      if (a === b) continue;
      diffs++;
      const sure = !rd.constraintCost && !rd.changed ? ' SURE-PATH' : '';
      console.log(`${k} ${r.file} "${r.text}" raw=${JSON.stringify(rd.raw)} code=${rd.code} cells=${JSON.stringify(l.cells)} A=${a} B=${b}${sure}`);
    }
  }
}
console.log(JSON.stringify({ alarmLines: lines, diffs }));
