// What the OCR benches and development aids share about a generated panel set (scripts/gen-panels.ts,
// scripts/gen-panels-drawn.ts: frames plus labels.jsonl): loading and filtering its labels, the catalog patterns
// bench/ocr.ts reads with, the rule for a frame read right, and the one-line form of a read line. One place, so
// that every aid scores a frame the way the bench does.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PanelLabel } from '../scripts/gen-panels.js';
import type { VisionAnalyzer } from '../src/vision/analyzer.js';
import type { OcrLine } from '../src/vision/ocr/ocr-line.js';
import type { PanelReader } from '../src/vision/ocr/panel-reader.js';

/** Code patterns a catalog for these panels would list (bench/ocr.ts reads with them). */
export const CATALOG_PATTERNS = ['/E-\\d{3}/', '/E\\d{2,3}/', '/AL\\d{3,4}/', '/F-?\\d{2,3}/', '/ERR[- ]?\\d{2,3}/', '/A\\d{2}/',
  '/ALM \\d{2}/', '/FLT \\d{2}/', '/H\\d{2}/', '/C-\\d{2}/'];

export interface SetFilter {
  from?: number;
  count?: number;
  /** File names, or their beginnings (0050 picks 0050-*.jpg). */
  only?: string[];
  /** Display kinds to keep (seven-segment, dot-matrix, …). */
  displays?: string[];
  /** Keep alarm frames only (true) or status frames only (false). */
  alarms?: boolean;
}

/** The labels of a set (an empty list when DIR has none), frames FROM..FROM+COUNT-1 that pass the filter. */
export function readLabels(dir: string, f: SetFilter = {}): PanelLabel[] {
  const file = join(dir, 'labels.jsonl');
  if (!existsSync(file)) return [];
  const from = f.from ?? 0;
  return readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PanelLabel)
    .slice(from, f.count === undefined ? undefined : from + f.count)
    .filter((l) => (!f.only || f.only.some((o) => l.file.startsWith(o)))
      && (!f.displays || f.displays.includes(l.display))
      && (f.alarms === undefined || f.alarms === !!l.alarm));
}

/** The filter the command line gives: --only=A,B --display=K,K --alarms --statuses (and FROM, COUNT from the caller). */
export function filterArgs(argv: string[], from?: number, count?: number): SetFilter {
  const opt = (name: string): string[] | undefined => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3).split(',');
  return { from, count, only: opt('only'), displays: opt('display'),
    alarms: argv.includes('--alarms') ? true : argv.includes('--statuses') ? false : undefined };
}

/** A code as the bench compares it: no white space, upper case. */
export const norm = (c: string): string => c.replace(/\s+/g, '').toUpperCase();

/** The bench's rule: an alarm frame reports exactly its code, a status frame none. */
export function readRight(label: { alarm: string | null }, codes: string[]): boolean {
  return label.alarm ? codes.length === 1 && norm(codes[0]!) === norm(label.alarm) : codes.length === 0;
}

/**
 * The analyzer bench/ocr.ts measures (no reuse between frames), with the catalog patterns when asked. Imported here
 * only when called: bench/ocr.ts reads this module and must not load the models' runtime in its own process.
 */
export async function benchAnalyzer(o: { reader?: PanelReader; catalog?: boolean } = {}): Promise<VisionAnalyzer> {
  const { VisionAnalyzer } = await import('../src/vision/analyzer.js');
  return VisionAnalyzer.create({ ...(o.reader ? { reader: o.reader } : {}), ...(o.catalog ? { alarmPatterns: CATALOG_PATTERNS } : {}),
    ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
}

/** One read line of an analysis' detail.ocr: text, raw, cells, kind, segment likelihood, confidence, view, dots, box. */
export function lineSummary(o: Record<string, unknown>, withBox = false): string {
  return `${JSON.stringify(o.text)}${o.raw ? ` raw=${JSON.stringify(o.raw)}` : ''}${o.cells ? ` cells=${JSON.stringify(o.cells)}` : ''} ${o.kind ?? ''}`
    + `${withBox ? ` box=${JSON.stringify(o.box)}` : ''} seg=${o.segment} c=${o.confidence}${o.view && o.view !== 'original' ? ` v=${o.view}` : ''}`
    + `${o.dotMatrix !== undefined ? ` dm=${o.dotMatrix}` : ''}${o.found ? ` ${o.found}` : ''}${o.rejected ? ' REJ' : ''}`;
}

/** One OcrLine the analyzer picked codes from (as bench/_status-capture.ts keeps them): text, raw, kind, code, cells, view, box. */
export function showLine(o: OcrLine): string {
  return `${JSON.stringify(o.text)} raw=${JSON.stringify(o.reading?.raw ?? o.raw)} ${o.reading?.kind ?? ''}${o.reading?.code ? ` code=${o.reading.code}` : ''}`
    + `${o.cells ? ` cells=${JSON.stringify(o.cells)}` : ''} seg=${o.segment?.toFixed(2)} c=${o.confidence.toFixed(2)} view=${o.view}`
    + ` box=${Math.round(o.box.x)},${Math.round(o.box.y)},${Math.round(o.box.width)}x${Math.round(o.box.height)}`
    + `${o.dotMatrix !== undefined ? ` dm=${o.dotMatrix}` : ''}${o.found ? ` ${o.found}` : ''}`;
}
