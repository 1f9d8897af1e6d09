// A line of text drawn in a DSEG font (Debian's fonts-dseg) by ImageMagick, lit on a dark background with a margin,
// as a display line crop for tests of the segment readers.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { RgbImage } from '../../src/vision/image.js';
import { readPpm } from './ppm.js';
import { tempDir } from './tmp.js';

export interface DsegLabel {
  /** Font file name under /usr/share/fonts/truetype/dseg/ (default DSEG7Classic-Regular.ttf). */
  font?: string;
  background?: string;
  fill?: string;
}

export function dsegLabel(text: string, o: DsegLabel = {}): RgbImage {
  const bg = o.background ?? '#0a0a0a';
  const out = join(tempDir('dseg-label'), 'line.ppm');
  execFileSync('convert', ['-background', bg, '-fill', o.fill ?? '#ff5030', '-font', `/usr/share/fonts/truetype/dseg/${o.font ?? 'DSEG7Classic-Regular.ttf'}`,
    '-pointsize', '56', `label:${text}`, '-bordercolor', bg, '-border', '14x10', '-depth', '8', out]);
  return readPpm(out);
}
