// Development aid (issue #11, i11t): saves the first-pass line crop of a frame whose greedy reading contains a
// given text, as the reader cuts it (PNG), for a test fixture. Not a benchmark.
//   node --import tsx bench/_i11t-crop.ts FRAME GREEDY_SUBSTRING OUT.png
import { writeFileSync } from 'node:fs';
import { decodeImageFile, encodeFramePng, frameToRgb } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cropTextBox } from '../src/vision/ocr/text-boxes.js';
import type { Recognised } from '../src/vision/ocr/line-arbitration.js';

const [path, want, out] = process.argv.slice(2) as [string, string, string];
const reader = await PanelReader.create({ reuseUnchanged: false });
const frame = await decodeImageFile(path);
const img = frameToRgb(frame);
const { boxes } = await reader.lineBoxes(img);
const crops = boxes.map((b) => cropTextBox(img, b));
const recs = await (reader as unknown as { recognise(c: unknown[]): Promise<Recognised[]> }).recognise(crops);
const i = recs.findIndex((r) => r.greedy.text.includes(want));
if (i < 0) throw new Error(`no line reads ${want}: ${recs.map((r) => r.greedy.text).join(' | ')}`);
const c = crops[i]!;
const data = new Uint8Array(c.width * c.height * 3);
for (let k = 0; k < data.length; k++) data[k] = Math.max(0, Math.min(255, Math.round(c.data[k]!)));
writeFileSync(out, await encodeFramePng({ ...frame, width: c.width, height: c.height, data: Buffer.from(data), channels: 3 }));
console.log(`${out}: ${c.width}x${c.height} greedy=${recs[i]!.greedy.text}`);
await reader.close();
