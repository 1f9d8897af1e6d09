// Panel reading on full camera frames vs @gutenye/ocr-node (the same PP-OCRv4
// models) on the generated development set (scripts/gen-panels.ts: 640×360 …
// 1920×1080 scenes with a seven-/fourteen-segment, dot-matrix or printed
// display showing an alarm code or a status line). Each side runs in its own
// process: whole-process time (start, model load, all frames) and mean time
// per frame. Accuracy: a frame is right when exactly its alarm code is
// reported (alarm frames) or no alarm at all (status frames), without a
// catalog and with the catalog's code patterns; the peer's text goes through
// the same pattern extraction. Ratios are ours / peer.
//   BENCH_FRAMES=240 (frames used)  BENCH_SEED=1  BENCH_DIR=bench/out/panels  BENCH_VERBOSE=1 (list misses)
//   BENCH_DETECT_MAX_SIDE=960 (analysis.ocr.detectMaxSide for our side)  BENCH_SKIP_PEER=1
//   BENCH_OCR_THREADS=N (intra-op threads of our OCR sessions; default the board's, the peer takes every core)
// Our side loads its models as `faultsense diagnose` and the daemon do (the registry's versions on the default
// configuration's engine: ort-native on the CPU, runs on a worker thread, ort-node where the addon is not built).
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { generatePanelSet } from '../scripts/gen-panels.js';
import { AlarmCodeExtractor } from '../src/vision/alarm-codes.js';
import { CATALOG_PATTERNS, norm, readLabels, readRight } from './_set.js';
import { statusLineRead } from './_status-read.js';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const count = Number(process.env.BENCH_FRAMES ?? 240);
const dir = process.env.BENCH_DIR ?? join(root, 'bench/out/panels');
let labels = readLabels(dir);
if (labels.length && labels.length < count) {
  // A set someone made (a development or held-out set) is never written over: generating here would replace its frames.
  process.stderr.write(`${dir} holds ${labels.length} frames, fewer than BENCH_FRAMES=${count}; using those ${labels.length}\n`);
} else if (labels.length < count) {
  process.stderr.write(`generating ${count} frames in ${dir} ...\n`);
  labels = await generatePanelSet({ outDir: dir, count, seed: Number(process.env.BENCH_SEED ?? 1) });
}
labels = labels.slice(0, count);
mkdirSync(join(root, 'bench/out'), { recursive: true });
// One frame list per set, so that benches of two sets can run side by side.
const list = join(root, `bench/out/ocr-frames-${dir.replace(/[^A-Za-z0-9]+/g, '_').slice(-60)}.json`);
writeFileSync(list, JSON.stringify(labels.map((l) => join(dir, l.file))));

interface Side { side: string; loadMs: number; processMs: number; modelMs?: Record<string, { ms: number; runs: number }>; results: Array<{ ms: number; text: string[]; alarmCodes?: string[]; readings?: Array<{ name: string; value: string }> }> }
async function side(name: 'ours' | 'peer', patterns?: string[]): Promise<Side & { wallMs: number }> {
  const t0 = performance.now();
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(root, 'bench/_ocr-side.ts'), name, list,
    ...(patterns ? [JSON.stringify(patterns)] : [])], { cwd: root, maxBuffer: 256 * 1024 * 1024 });
  const lines = stdout.trim().split('\n');
  return { ...(JSON.parse(lines[lines.length - 1]!) as Side), wallMs: performance.now() - t0 };
}

function score(codesOf: (i: number) => string[]): { accuracy: number; alarmAccuracy: number; statusAsAlarm: number; misses: string[] } {
  let right = 0, alarmRight = 0, alarms = 0, statusAsAlarm = 0;
  const misses: string[] = [];
  labels.forEach((l, i) => {
    const codes = [...new Set(codesOf(i).map(norm))];
    const ok = readRight(l, codes);
    if (l.alarm) { alarms++; if (ok) alarmRight++; } else if (codes.length) statusAsAlarm++;
    if (ok) right++;
    else misses.push(`${l.file} "${l.text}" → [${codes.join(', ')}]`);
  });
  return { accuracy: right / labels.length, alarmAccuracy: alarmRight / alarms, statusAsAlarm, misses };
}

process.stderr.write(`${labels.length} frames: ${labels.filter((l) => /segment/.test(l.display)).length} segment displays, ${labels.filter((l) => l.alarm).length} alarm codes\n`);
const ours = await side('ours');
const oursCat = await side('ours', CATALOG_PATTERNS);
// BENCH_SKIP_PEER=1: our accuracy only (for development; the figures without the peer are not the benchmark).
const skipPeer = process.env.BENCH_SKIP_PEER === '1';
// Without the peer its figures are null in the JSON line, never zeros that would read as a measurement.
const peer = skipPeer ? null : await side('peer');
const generic = new AlarmCodeExtractor();
const catalog = new AlarmCodeExtractor(CATALOG_PATTERNS);
const sOurs = score((i) => ours.results[i]!.alarmCodes ?? []);
const sOursCat = score((i) => oursCat.results[i]!.alarmCodes ?? []);
const sPeer = peer ? score((i) => generic.extract(peer.results[i]!.text)) : null;
const sPeerCat = peer ? score((i) => catalog.extract(peer.results[i]!.text)) : null;
const statusRead = labels.filter((l, i) => l.status && statusLineRead(l.status, ours.results[i]!.readings)).length;
// BENCH_VERBOSE also lists the status lines not read whole (name and value), with the readings reported instead.
if (process.env.BENCH_VERBOSE) {
  labels.forEach((l, i) => {
    const readings = ours.results[i]!.readings ?? [];
    if (!l.status || statusLineRead(l.status, readings)) return;
    process.stderr.write(`   status ${l.file} "${l.text}" → [${readings.map((r) => `${r.name}|${r.value}`).join(', ')}]\n`);
  });
}
const mean = (s: Side): number => s.results.reduce((a, r) => a + r.ms, 0) / s.results.length;
const r3 = (v: number): number => Math.round(v * 1000) / 1000;
for (const [name, s] of [['ours (no catalog)', sOurs], ['ours (catalog)', sOursCat], ['peer (no catalog)', sPeer], ['peer (catalog)', sPeerCat]] as const) {
  if (!s) { process.stderr.write(`${name}: not measured (BENCH_SKIP_PEER=1)\n`); continue; }
  process.stderr.write(`${name}: ${(s.accuracy * 100).toFixed(1)} % frames right, alarm codes ${(s.alarmAccuracy * 100).toFixed(1)} %, status frames with an alarm ${s.statusAsAlarm}\n`);
  if (process.env.BENCH_VERBOSE) for (const m of s.misses) process.stderr.write(`   ${m}\n`);
}
const peerTime = peer ? `${mean(peer).toFixed(0)} ms/frame, process ${(peer.wallMs / 1000).toFixed(1)} s` : 'not measured';
process.stderr.write(`ours: ${mean(ours).toFixed(0)} ms/frame, process ${(ours.wallMs / 1000).toFixed(1)} s; peer: ${peerTime}; status lines read (name+value) ${statusRead}/${labels.filter((l) => l.status).length}\n`);
// Where our time per frame goes (no catalog): each model's runs, and the reading around them (crops, views, rules).
const perFrame = (ms: number): number => ms / ours.results.length;
const modelMs = Object.fromEntries(Object.entries(ours.modelMs ?? {}).map(([k, m]) => [k, Math.round(perFrame(m.ms))]));
const otherMs = Math.round(mean(ours) - Object.values(ours.modelMs ?? {}).reduce((a, m) => a + perFrame(m.ms), 0));
process.stderr.write(`ours per frame: ${Object.entries(ours.modelMs ?? {}).map(([k, m]) => `${k} ${perFrame(m.ms).toFixed(0)} ms (${(m.runs / ours.results.length).toFixed(1)} runs)`).join(', ')}; the rest ${otherMs} ms\n`);
console.log(JSON.stringify({
  bench: 'ocr', peer: '@gutenye/ocr-node', peer_measured: peer !== null, frames: labels.length,
  ratio: peer ? r3(mean(ours) / mean(peer)) : null, process_ratio: peer ? r3(ours.wallMs / peer.wallMs) : null,
  ours_ms: Math.round(mean(ours)), peer_ms: peer ? Math.round(mean(peer)) : null, ours_process_s: r3(ours.wallMs / 1000), peer_process_s: peer ? r3(peer.wallMs / 1000) : null,
  ours_accuracy: r3(sOurs.alarmAccuracy), ours_accuracy_catalog: r3(sOursCat.alarmAccuracy),
  peer_accuracy: sPeer ? r3(sPeer.alarmAccuracy) : null, peer_accuracy_catalog: sPeerCat ? r3(sPeerCat.alarmAccuracy) : null,
  ours_status_as_alarm: sOurs.statusAsAlarm, ours_status_as_alarm_catalog: sOursCat.statusAsAlarm, peer_status_as_alarm: sPeer ? sPeer.statusAsAlarm : null,
  ours_frames_right: r3(sOurs.accuracy), ours_frames_right_catalog: r3(sOursCat.accuracy),
  ours_model_ms: modelMs, ours_other_ms: otherMs,
}));
