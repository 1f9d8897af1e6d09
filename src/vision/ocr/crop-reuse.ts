// Readings of line crops that did not change since an earlier frame (issue #11 item 4: unchanged displays skip
// recognition). A crop is the same as one read before when its size is within a few pixels and its thumbnail
// (line-batch.ts) lies within a small distance, under the same grammar or vocabulary; its reading is then given back
// marked `reused` instead of being recognised again. The detector's boxes have their own reuse (box-reuse.ts).
import type { RgbImage } from '../image.js';
import { thumbnailDistance } from './line-batch.js';

/** Crops remembered, newest first. */
const REMEMBERED = 32;
/** Pixels by which a crop's width or height may differ from the remembered one's. */
const SIZE_SLACK = 3;
/** Thumbnail distance under which two crops count as the same. */
const SAME_THUMBNAIL = 3;

interface RecentCrop<L> { thumb: Float32Array; w: number; h: number; key: object; line: L }

export class UnchangedCrops<L extends object> {
  private readonly recent: RecentCrop<L>[] = [];
  /** Readings given back instead of recognised again. */
  reused = 0;

  /** The reading of a remembered crop like this one under the same key, marked reused; null when there is none. */
  find(crop: RgbImage, thumb: Float32Array, key: object): (L & { reused: true }) | null {
    for (const r of this.recent) {
      if (r.key !== key || Math.abs(r.w - crop.width) > SIZE_SLACK || Math.abs(r.h - crop.height) > SIZE_SLACK) continue;
      if (thumbnailDistance(r.thumb, thumb) < SAME_THUMBNAIL) {
        this.reused++;
        return { ...r.line, reused: true };
      }
    }
    return null;
  }

  remember(crop: RgbImage, thumb: Float32Array, key: object, line: L): void {
    this.recent.unshift({ thumb, w: crop.width, h: crop.height, key, line });
    if (this.recent.length > REMEMBERED) this.recent.pop();
  }
}

const vocabularyKeys = new Map<string, object>();
/** One identity object per vocabulary (readings are only reused under the same one). */
export function vocabularyKey(vocabulary: readonly string[] | undefined): object {
  const k = (vocabulary ?? []).join('\u0000');
  let o = vocabularyKeys.get(k);
  if (!o) {
    o = { vocabulary: k };
    if (vocabularyKeys.size > 16) vocabularyKeys.clear();
    vocabularyKeys.set(k, o);
  }
  return o;
}
