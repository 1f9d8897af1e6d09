// Model files this process made from other model files by exact rewrites (the OCR models' folded float copies,
// vision/ocr/folded-models.ts). A copy stands for its original wherever a model is known by its file: the
// registry's id and version name its sessions (stats, health, latency histograms) and a memory-pressure swap to
// a smaller variant still finds it, as if the original had been opened.
const origins = new Map<string, string>();

/** Records that `copy` was made from `original` (an original's own origin is kept: copies of copies name the first). */
export function noteDerivedFile(copy: string, original: string): void {
  if (copy !== original) origins.set(copy, origins.get(original) ?? original);
}

/** The file `path` was made from, or `path` itself. */
export function originOf(path: string): string {
  return origins.get(path) ?? path;
}
