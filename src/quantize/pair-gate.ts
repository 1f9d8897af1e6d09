// The pair gate of the OCR module: the detector and recogniser variants at one
// precision read the held-back panels together, against both fp32 models — the
// figure a user of the module sees. Each variant's own gate (variant.ts) swaps
// only its model; the module may pass as a pair where neither passes alone.
// The result goes into both variants' manifests (variant.pair), and a variant
// that passed only as a pair may run only beside that partner (registry.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { BadInputError } from '../system/errors.js';
import { bundledOcrModels, PanelReader, type OcrModelPaths } from '../vision/ocr/panel-reader.js';
import { type Manifest, ManifestError, parseManifest, resolveFile, type VariantInfo } from '../inference/manifest.js';
import type { ModelRegistry } from '../inference/registry.js';
import { type GateThresholds, textGate } from './gate.js';
import { listPanels, loadPanelImage, type Panel, splitHeldBack, expectedOf } from './ocr-inputs.js';

export type PairInfo = NonNullable<VariantInfo['pair']>;

export const OCR_TASKS = ['ocr-det', 'ocr-rec'] as const;
export const isOcrTask = (task: string): task is 'ocr-det' | 'ocr-rec' => task === 'ocr-det' || task === 'ocr-rec';

/** The task a partner of `task` has (det ↔ rec). */
export const partnerTask = (task: 'ocr-det' | 'ocr-rec'): 'ocr-det' | 'ocr-rec' => (task === 'ocr-det' ? 'ocr-rec' : 'ocr-det');

/**
 * The newest registered variant of the partner model at `precision`: a model of the other OCR
 * task with a variant at that precision (same-id partner first: the one whose fp32 is active).
 */
export function findPartnerVariant(registry: ModelRegistry, variant: Manifest, partnerId?: string): Manifest | undefined {
  if (!variant.variant || !isOcrTask(variant.task)) return undefined;
  const want = partnerTask(variant.task);
  const ids = partnerId ? [partnerId] : registry.ids();
  for (const id of ids) {
    const list = registry.versions(id).filter((m) => m.task === want && m.variant?.precision === variant.variant!.precision);
    if (list.length) return list.at(-1);
  }
  return undefined;
}

/** Reads every panel; returns the texts and the mean milliseconds per panel (after one warm-up read). */
async function readTimed(models: OcrModelPaths, panels: Panel[]): Promise<{ texts: string[]; msPerPanel: number }> {
  const reader = await PanelReader.create({ models, foldedModels: false });  // the files gated, not folded copies
  try {
    if (panels[0]) await reader.read(await loadPanelImage(panels[0].file));
    const texts: string[] = [];
    let ms = 0;
    for (const p of panels) {
      const img = await loadPanelImage(p.file);
      const t0 = performance.now();
      texts.push((await reader.read(img)).map((l) => l.text).join(' '));
      ms += performance.now() - t0;
    }
    return { texts, msPerPanel: Math.round((ms / Math.max(1, panels.length)) * 10) / 10 };
  } finally {
    await reader.close();
  }
}

/**
 * Gates two OCR variants (one ocr-det, one ocr-rec, same precision) together on the
 * held-back panels of `calibrateDir` (the same split the single gates use), against the
 * fp32 versions they were made from. Figures: the text gate's plus ms per panel for each pair.
 */
export async function gateOcrPair(registry: ModelRegistry, a: Manifest, b: Manifest, calibrateDir: string, th: GateThresholds): Promise<{ det: Manifest; rec: Manifest; pair: Omit<PairInfo, 'partner'> }> {
  for (const m of [a, b]) {
    if (!m.variant || !isOcrTask(m.task)) throw new BadInputError(`${m.ref} is not a quantized OCR variant; the pair gate takes one ocr-det and one ocr-rec variant`);
  }
  if (a.task === b.task) throw new BadInputError(`${a.ref} and ${b.ref} are both ${a.task} models; a pair is one ocr-det and one ocr-rec variant`);
  if (a.variant!.precision !== b.variant!.precision) throw new BadInputError(`${a.ref} is ${a.variant!.precision} but ${b.ref} is ${b.variant!.precision}; a pair is gated at one precision`);
  const [det, rec] = a.task === 'ocr-det' ? [a, b] : [b, a];
  const fileOf = (m: Manifest, p: 'fp32' | 'fp16' | 'int8') => {
    const ref = m.files[p];
    if (!ref) throw new ManifestError(`model ${m.ref} has no ${p} file`);
    return resolveFile(m, ref);
  };
  const precision = det.variant!.precision;
  // The fp32 files each variant was made from, and the files registered for it (sha256 checked).
  for (const m of [det, rec]) {
    const bad = (await registry.checkFiles(m)).filter((c) => !c.ok);
    if (bad.length) throw new ManifestError(`model ${m.ref}: ${bad.map((c) => `${c.file}: ${c.error}`).join('; ')}`);
  }
  const base = bundledOcrModels();
  const fp32: OcrModelPaths = { ...base, detection: fileOf(det, 'fp32'), recognition: fileOf(rec, 'fp32') };
  const quantized: OcrModelPaths = { ...base, detection: fileOf(det, precision), recognition: fileOf(rec, precision) };
  const { heldBack } = splitHeldBack(listPanels(calibrateDir));
  if (heldBack.length === 0) throw new BadInputError(`no held-back panels in ${calibrateDir} for the pair gate; give more panel images`);
  const ref = await readTimed(fp32, heldBack);
  const got = await readTimed(quantized, heldBack);
  const g = textGate(ref.texts, got.texts, heldBack.map(expectedOf), th);
  return {
    det, rec,
    pair: { passed: g.passed, kind: 'ocr-text', heldBack: g.heldBack, figures: { ...g.figures, msPerPanelFp32: ref.msPerPanel, msPerPanelPair: got.msPerPanel }, reasons: g.reasons },
  };
}

/** Writes the pair gate into both variants' manifests (each naming the other as partner) and rescans. */
export function recordPair(registry: ModelRegistry, det: Manifest, rec: Manifest, pair: Omit<PairInfo, 'partner'>): void {
  for (const [m, partner] of [[det, rec], [rec, det]] as const) {
    const doc = parseYaml(readFileSync(m.manifestFile, 'utf8')) as { variant: Record<string, unknown> };
    doc.variant.pair = { partner: partner.ref, ...pair };
    writeFileSync(m.manifestFile, toYaml(doc));
    parseManifest(m.manifestFile);
  }
  registry.scan();
}
