// Records the expected self-test outputs of a model version by running it
// once on the CPU with onnxruntime-node:
//   node --import tsx models/record-selftest.ts ID@VERSION [--state-dir DIR]
// Writes the JSON file the manifest's selfTest.expected names.
import { writeFileSync } from 'node:fs';
import { InferenceEngine } from '../src/inference/engine.js';
import { ModelRegistry } from '../src/inference/registry.js';
import { resolveFile } from '../src/inference/manifest.js';
import { expectedFilePath, selfTestFeeds, summarise, type ExpectedFile } from '../src/inference/selftest.js';

const ref = process.argv[2];
if (!ref) {
  process.stderr.write('usage: record-selftest.ts ID@VERSION [--state-dir DIR]\n');
  process.exit(2);
}
const sd = process.argv.indexOf('--state-dir');
const registry = new ModelRegistry({ stateDir: sd > 0 ? process.argv[sd + 1]! : '/tmp/faultsense-record' });
const m = registry.get(ref);
if (!m.selfTest) throw new Error(`${m.ref} has no selfTest section`);
const engine = new InferenceEngine({ accelerators: [{ backend: 'ort-node', ep: 'cpu', options: {} }] });
const session = await engine.loadSource({ path: resolveFile(m, m.files.fp32!) }, m.ref);
const out = await session.run(selfTestFeeds(m.selfTest));
const record: ExpectedFile = { model: m.ref, recordedWith: 'onnxruntime-node cpu', outputs: summarise(out) };
writeFileSync(expectedFilePath(m)!, JSON.stringify(record) + '\n');
await session.release();
process.stderr.write(`wrote ${expectedFilePath(m)}\n`);
