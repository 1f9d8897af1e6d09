// Development aid (i11ab): prints a crop's segment cells with every position's score, to see lit and ghost levels.
//   node --import tsx bench/_i11ab-cells.ts CROP.ppm|png ...
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { readSegmentCells } from '../src/vision/ocr/segment-cells.js';
for (const f of process.argv.slice(2)) {
  const img = frameToRgb(await decodeImageFile(f));
  const line = readSegmentCells(img);
  console.log(f, img.width + 'x' + img.height, line ? `${line.segments}seg shear=${line.shear.toFixed(3)} band=${line.top}-${line.bottom}` : 'null');
  for (const c of line?.cells ?? []) {
    const fmt = (o: Record<string, number> | undefined): string => Object.entries(o ?? {}).map(([s, v]) => `${s}=${Number.isNaN(v) ? 'NaN' : v.toFixed(2)}`).join(' ');
    console.log(`  [${c.x0},${c.x1}] ${c.shape ?? ''} peak=${c.peak?.toFixed(3)} sp=${c.spaceBefore} lit: ${fmt(c.lit as Record<string, number>)}${c.standing ? ' | st: ' + fmt(c.standing as Record<string, number>) : ''}`);
  }
}
