// Development aid (misc38): reads every frame of the sets given with the plain (no catalog) analyzer and prints, per
// frame, right or wrong, the label, the codes reported and every line (text, raw, view, dot-matrix, confidence), with a
// FRAME marker on stderr too, so that the debug logs (FAULTSENSE_LOG_LEVEL=debug: box-end re-reads, joined dots) can
// be matched to their frame.
//   FAULTSENSE_LOG_LEVEL=debug node --import tsx bench/_misc38-scan.ts DIR...
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PanelLabel } from '../scripts/gen-panels.js';
import { VisionAnalyzer } from '../src/vision/analyzer.js';
import { decodeImageFile } from '../src/vision/image.js';

const norm = (c: string): string => c.replace(/\s+/g, '').toUpperCase();
const an = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
for (const dir of process.argv.slice(2)) {
  const labels = readFileSync(join(dir, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PanelLabel);
  for (const l of labels) {
    const f = join(dir, l.file);
    process.stderr.write(`FRAME ${f}\n`);
    const a = await an.analyze(await decodeImageFile(f));
    const ok = l.alarm ? a.alarmCodes.length === 1 && norm(a.alarmCodes[0]!) === norm(l.alarm) : a.alarmCodes.length === 0;
    const lines = (a.detail.ocr as Array<Record<string, unknown>>).map((o) => `${JSON.stringify(o.text)} raw=${JSON.stringify(o.raw)} ${o.kind ?? ''} c=${o.confidence}${o.view && o.view !== 'original' ? ` v=${o.view}` : ''}${o.dotMatrix !== undefined ? ` dm=${o.dotMatrix}` : ''}${o.rejected ? ' REJ' : ''}`);
    process.stdout.write(`${ok ? 'ok ' : 'BAD'} ${f} "${l.text}" → [${a.alarmCodes.join(', ')}]\n     ${lines.join('\n     ')}\n`);
  }
}
await an.close();
