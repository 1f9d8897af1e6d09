// Development aid (speed41): the time of frameToRgb on decoded frames of a list, into a reused buffer and a new one.
//   node --import tsx bench/_speed41-rgb.ts FRAMES.json [count]
import { readFileSync } from 'node:fs';
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';

const files = (JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as string[]).slice(0, Number(process.argv[3] ?? 10));
for (const f of files) {
  const frame = await decodeImageFile(f);
  const buf = new Float32Array(frame.width * frame.height * 3);
  let t = performance.now();
  for (let k = 0; k < 10; k++) frameToRgb(frame, buf);
  const reused = (performance.now() - t) / 10;
  t = performance.now();
  for (let k = 0; k < 10; k++) frameToRgb(frame);
  const fresh = (performance.now() - t) / 10;
  console.log(`${frame.width}x${frame.height}x${frame.channels} ${frame.data.constructor.name} len ${frame.data.length} reused ${reused.toFixed(2)} ms fresh ${fresh.toFixed(2)} ms`);
}
