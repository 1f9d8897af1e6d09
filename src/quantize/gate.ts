// The accuracy gate a quantized variant must pass before it may be activated:
// compared with the fp32 model on held-back inputs (never the ones it was
// calibrated on). OCR models: the decoded text of whole panels — as accurate
// as fp32's against the expected text where labels exist, else the same text;
// other models: every output must correlate with fp32's and stay close to it.
import type { EngineSession } from '../inference/engine.js';
import type { Feeds, Outputs } from '../inference/tensor.js';
import { toNumbers } from '../inference/tensor.js';
import { compactText, type ExpectedText, readsExpected } from './ocr-inputs.js';

export interface GateThresholds {
  minTextAgreement: number;
  /** When the expected text is known: the largest accuracy drop allowed (replaces the agreement test). */
  maxAccuracyDrop?: number;
  minCorrelation: number;
  maxRelativeError: number;
}

export interface GateResult {
  passed: boolean;
  kind: 'ocr-text' | 'outputs' | 'recurrent-score';
  heldBack: number;
  figures: Record<string, number>;
  /** Why it failed (empty when it passed). */
  reasons: string[];
}

const round = (v: number, d = 4) => Math.round(v * 10 ** d) / 10 ** d;

/** Pearson correlation (1 when both are constant and equal). */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]!; mb += b[i]!; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]! - ma, y = b[i]! - mb;
    sab += x * y; saa += x * x; sbb += y * y;
  }
  if (saa === 0 || sbb === 0) return saa === sbb && Math.abs(ma - mb) < 1e-6 ? 1 : 0;
  return sab / Math.sqrt(saa * sbb);
}

/** Compares outputs run for run: the worst correlation and the worst error relative to fp32's range. */
export function compareRuns(reference: Outputs[], variant: Outputs[], th: GateThresholds): GateResult {
  let worstCorr = 1, worstAbs = 0, worstRel = 0, nonFinite = 0;
  reference.forEach((ref, k) => {
    for (const [name, t] of Object.entries(ref)) {
      if (t.type !== 'float32' || !variant[k]?.[name]) continue;
      const a = toNumbers(t), b = toNumbers(variant[k]![name]!);
      let lo = Infinity, hi = -Infinity, err = 0;
      for (let i = 0; i < a.length; i++) {
        lo = Math.min(lo, a[i]!); hi = Math.max(hi, a[i]!);
        if (!Number.isFinite(b[i]!)) nonFinite++;
        else err = Math.max(err, Math.abs(a[i]! - b[i]!));
      }
      worstAbs = Math.max(worstAbs, err);
      // Relative to the output's spread, or to its size when it is one value (a score).
      worstRel = Math.max(worstRel, err / Math.max(hi - lo, Math.abs(hi), Math.abs(lo), 1e-6));
      if (a.length > 1) worstCorr = Math.min(worstCorr, correlation(a, b));
    }
  });
  const reasons: string[] = [];
  if (nonFinite) reasons.push(`${nonFinite} non-finite output values`);
  if (worstCorr < th.minCorrelation) reasons.push(`correlation ${round(worstCorr)} < ${th.minCorrelation}`);
  if (worstRel > th.maxRelativeError) reasons.push(`max error ${round(worstRel)} of the fp32 range > ${th.maxRelativeError}`);
  return {
    passed: reasons.length === 0, kind: 'outputs', heldBack: reference.length, reasons,
    figures: { correlation: round(worstCorr), maxAbsError: round(worstAbs, 6), maxRelativeError: round(worstRel) },
  };
}

/** Runs held-back feeds through both sessions and compares. */
export async function outputGate(fp32: EngineSession, variant: EngineSession, feeds: Feeds[], th: GateThresholds): Promise<GateResult> {
  const a: Outputs[] = [], b: Outputs[] = [];
  for (const f of feeds) {
    a.push(await fp32.run(f));
    b.push(await variant.run(f));
  }
  return compareRuns(a, b, th);
}

export interface RecurrentSpec {
  /** Output → the input it feeds on the next step (Silero: hn → h, cn → c). */
  state: Array<[string, string]>;
  /** The output whose series is compared (a probability). */
  score: string;
  /** Decision threshold on the score, for the count of flipped decisions. */
  threshold: number;
}

/**
 * Recurrent models (VAD): each model runs through every held-back sequence on
 * its own state, as the analyzer runs it, and the score series are compared —
 * correlation and largest error relative to the fp32 series' range (the same
 * thresholds as the outputs gate), with the decisions flipped at `threshold`
 * as a figure. Internal state is not compared: it is not what the board reads,
 * and a rounding that changes it without changing the score is harmless.
 */
export async function recurrentGate(fp32: EngineSession, variant: EngineSession, sequences: Feeds[][], th: GateThresholds, spec: RecurrentSpec): Promise<GateResult> {
  const series = async (s: EngineSession): Promise<number[]> => {
    const out: number[] = [];
    for (const seq of sequences) {
      let carried: Feeds = {};
      for (const f of seq) {
        const o = await s.run({ ...f, ...carried });
        out.push(toNumbers(o[spec.score]!)[0]!);
        carried = Object.fromEntries(spec.state.map(([from, to]) => [to, { ...o[from]!, type: 'float32' as const }]));
      }
    }
    return out;
  };
  const a = await series(fp32), b = await series(variant);
  const asRun = (v: number[]): Outputs => ({ [spec.score]: { type: 'float32', dims: [v.length], data: Float32Array.from(v) } });
  const r = compareRuns([asRun(a)], [asRun(b)], th);
  const flips = a.filter((x, i) => (x > spec.threshold) !== (b[i]! > spec.threshold)).length;
  return { ...r, kind: 'recurrent-score', heldBack: sequences.length, figures: { ...r.figures, steps: a.length, decisionFlips: flips } };
}

/**
 * OCR gate: the panel texts read with the variant against those read with
 * fp32 (agreement), and both against the expected text where labels exist.
 */
export function textGate(fp32Text: string[], variantText: string[], expected: Array<string | ExpectedText | undefined>, th: GateThresholds): GateResult {
  const n = fp32Text.length;
  let agree = 0, labelled = 0, rightFp32 = 0, rightVariant = 0;
  for (let i = 0; i < n; i++) {
    if (compactText(fp32Text[i]!) === compactText(variantText[i]!)) agree++;
    const e = expected[i];
    if (e !== undefined) {
      labelled++;
      if (readsExpected(fp32Text[i]!, e)) rightFp32++;
      if (readsExpected(variantText[i]!, e)) rightVariant++;
    }
  }
  const agreement = n ? agree / n : 0;
  const reasons: string[] = [];
  const figures: Record<string, number> = { agreement: round(agreement), panels: n };
  const byTruth = labelled > 0 && labelled === n && th.maxAccuracyDrop !== undefined;
  if (labelled) {
    figures.accuracyFp32 = round(rightFp32 / labelled);
    figures.accuracyVariant = round(rightVariant / labelled);
    figures.labelled = labelled;
  }
  if (n === 0) reasons.push('no held-back panels');
  else if (byTruth) {
    const drop = (rightFp32 - rightVariant) / labelled;
    figures.accuracyDrop = round(drop);
    if (drop > th.maxAccuracyDrop! + 1e-9) reasons.push(`accuracy ${figures.accuracyVariant} is ${round(drop * 100, 1)} pt below fp32's ${figures.accuracyFp32} (allowed ${round(th.maxAccuracyDrop! * 100, 1)} pt)`);
  } else if (agreement < th.minTextAgreement) reasons.push(`text agreement ${round(agreement, 3)} < ${th.minTextAgreement} (${agree}/${n} panels read the same)`);
  return { passed: reasons.length === 0, kind: 'ocr-text', heldBack: n, figures, reasons };
}

/** Mean per-run latency of each session over the feeds, taking turns so both see the same machine load. */
export async function measureLatency(a: EngineSession, b: EngineSession, feeds: Feeds[], rounds = 3): Promise<{ aMs: number; bMs: number; runs: number }> {
  const ta: number[] = [], tb: number[] = [];
  for (const f of feeds.slice(0, 2)) { await a.run(f); await b.run(f); }  // warm-up
  for (let r = 0; r < rounds; r++) {
    for (const f of feeds) {
      let t0 = performance.now(); await a.run(f); ta.push(performance.now() - t0);
      t0 = performance.now(); await b.run(f); tb.push(performance.now() - t0);
    }
  }
  const mean = (v: number[]) => v.reduce((x, y) => x + y, 0) / Math.max(1, v.length);
  return { aMs: round(mean(ta), 2), bMs: round(mean(tb), 2), runs: ta.length };
}
