// Development aid (issue #11, alarm frames that report nothing): reads frames of a generated set with the plain
// analyzer (no catalog) and writes one JSON line per frame: label, codes reported, and every line read with how
// much of it lies on the labelled display (cover: share of the line box inside the panel box) and how much of the
// panel it covers (share of the panel box under the line). Cheaper than _ocr-dump.ts (one analyzer), and the
// boxes let a miss be told apart: no box on the display, or a box read as the wrong kind, rejected, split...
//   node --import tsx bench/_i11n-scan.ts DIR OUT.jsonl [--kind=alarm|status] [--from=N] [--count=N] [--only=F,F]
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PanelLabel } from '../scripts/gen-panels.js';
import { VisionAnalyzer } from '../src/vision/analyzer.js';
import { decodeImageFile } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';

const opt = (k: string): string | undefined => process.argv.find((a) => a.startsWith(`--${k}=`))?.slice(k.length + 3);
const [dir, out] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const kind = opt('kind'), only = opt('only')?.split(',');
const from = Number(opt('from') ?? 0), count = Number(opt('count') ?? 1e9);
const labels = readFileSync(join(dir!, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PanelLabel & { panel: { x: number; y: number; width: number; height: number } })
  .slice(from, from + count).filter((l) => (!kind || l.kind === kind) && (!only || only.includes(l.file)));
const reader = await PanelReader.create({ reuseUnchanged: false });
const plain = await VisionAnalyzer.create({ reader, ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
writeFileSync(out!, '');
type B = { x: number; y: number; width: number; height: number };
const inter = (a: B, b: B): number => Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
const norm = (c: string): string => c.replace(/\s+/g, '').toUpperCase();
for (const l of labels) {
  const t = performance.now();
  const frame = await decodeImageFile(join(dir!, l.file));
  const a = await plain.analyze(frame);
  const lines = (a.detail.ocr as Array<Record<string, unknown> & { box: B }>).map((o) => {
    const i = inter(o.box, l.panel);
    return { text: o.text, raw: o.raw, kind: o.kind, c: o.confidence, seg: o.segment, view: o.view, found: o.found, cells: o.cells, rej: !!o.rejected,
      cover: Math.round((i / (o.box.width * o.box.height)) * 100) / 100, ofPanel: Math.round((i / (l.panel.width * l.panel.height)) * 100) / 100, box: o.box };
  });
  const ok = l.alarm ? a.alarmCodes.length === 1 && norm(a.alarmCodes[0]!) === norm(l.alarm) : a.alarmCodes.length === 0;
  appendFileSync(out!, `${JSON.stringify({ file: l.file, kind: l.kind, text: l.text, alarm: l.alarm, font: l.font, effects: l.effects, panel: l.panel, ok, codes: a.alarmCodes, lines, ms: Math.round(performance.now() - t) })}\n`);
}
await reader.close();
