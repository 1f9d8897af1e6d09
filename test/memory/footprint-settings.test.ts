// The footprint settings of issue #17: threads sized to the board, ORT sessions
// without the CPU arena still run the bundled models, sharp without its cache,
// and the unit's MemoryMax=, malloc settings, heap limit and V8 flags that agree
// with each other and with the code.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { parse as parseYaml } from 'yaml';
import { configSchema } from '../../src/config/schema.js';
import { OrtNodeBackend } from '../../src/inference/backend-ort-node.js';
import { boardThreads } from '../../src/inference/backend.js';
import { seededRandom } from '../../src/inference/selftest.js';
import { float32 } from '../../src/inference/tensor.js';
import { applyFootprintLimits, MALLOC_ENV, NODE_FOOTPRINT_ARGS, NODE_FOOTPRINT_FLAGS, withFootprintFlags } from '../../src/system/footprint.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { OCR_DET } from '../inference/helpers.js';

test('boardThreads: half the cores, at least 1, at most 2', () => {
  assert.deepEqual([1, 2, 3, 4, 6, 8, 16].map((c) => boardThreads(c)), [1, 1, 1, 2, 2, 2, 2]);
});

test('ort-node without arena and memory patterns (opt-in) gives the same detector output as with them', async () => {
  const backend = new OrtNodeBackend();
  const r = seededRandom(17);
  const x = Float32Array.from({ length: 3 * 96 * 160 }, () => r());
  const feeds = { x: float32(x, [1, 3, 96, 160]) };
  const lean = await backend.load({ path: OCR_DET() }, { ep: 'cpu', cpuMemArena: false });
  const full = await backend.load({ path: OCR_DET() }, { ep: 'cpu', cpuMemArena: true, memPattern: true, threads: 2 });
  try {
    const a = Object.values(await lean.run(feeds))[0]!;
    const b = Object.values(await full.run(feeds))[0]!;
    assert.deepEqual(a.dims, b.dims);
    const xa = a.data as Float32Array, xb = b.data as Float32Array;
    let worst = 0;
    for (let i = 0; i < xa.length; i++) worst = Math.max(worst, Math.abs(xa[i]! - xb[i]!));
    assert.ok(worst < 1e-4, `largest difference ${worst}`);
  } finally {
    await lean.release();
    await full.release();
  }
});

test('inference config: arena on and memory patterns off by default, each as asked', () => {
  const d = configSchema.parse({});
  assert.equal(d.inference.cpuMemArena, true);
  assert.equal(d.inference.memPattern, false);
  assert.equal(configSchema.parse({ inference: { cpuMemArena: false } }).inference.cpuMemArena, false);
});

test('applyFootprintLimits: sharp keeps no cache and runs one thread; names the malloc variables the environment lacks', () => {
  const s = applyFootprintLimits({ MALLOC_ARENA_MAX: '2' });
  assert.equal(sharp.concurrency(), 1);
  assert.equal(sharp.cache().memory.max, 0);
  assert.deepEqual(s.mallocEnvMissing, ['MALLOC_MMAP_THRESHOLD_', 'MALLOC_TRIM_THRESHOLD_']);
  assert.deepEqual(applyFootprintLimits({ ...MALLOC_ENV }).mallocEnvMissing, []);
  assert.deepEqual(applyFootprintLimits({}, []).nodeFlagsMissing, [...NODE_FOOTPRINT_FLAGS, ...NODE_FOOTPRINT_ARGS]);
  assert.deepEqual(applyFootprintLimits({ NODE_OPTIONS: withFootprintFlags('--max-old-space-size=128') }, []).nodeFlagsMissing, [...NODE_FOOTPRINT_ARGS]);
  assert.deepEqual(applyFootprintLimits({ NODE_OPTIONS: withFootprintFlags('') }, [...NODE_FOOTPRINT_ARGS]).nodeFlagsMissing, []);
  assert.equal(withFootprintFlags('--max-semi-space-size=4'), '--max-semi-space-size=4', 'a value already set is kept');
});

test('the unit: MemoryMax= for a 1 GB board, the heap limit under it, and the same malloc settings as the code', () => {
  const unit = readFileSync(join(REPO_ROOT, 'systemd', 'faultsense.service'), 'utf8');
  const max = Number(/^MemoryMax=(\d+)M$/m.exec(unit)?.[1]);
  const high = Number(/^MemoryHigh=(\d+)M$/m.exec(unit)?.[1]);
  const heap = Number(/--max-old-space-size=(\d+)/.exec(unit)?.[1]);
  assert.ok(max >= 343 && max <= 512, `MemoryMax=${max}M: below the measured peak (343 MB) or more than half a 1 GB board`);
  assert.ok(high < max && heap < high, `heap ${heap} MB < MemoryHigh ${high} MB < MemoryMax ${max} MB`);
  const env = /^Environment=(MALLOC_.*)$/m.exec(unit)?.[1] ?? '';
  for (const [k, v] of Object.entries(MALLOC_ENV)) assert.ok(env.split(' ').includes(`${k}=${v}`), `unit lacks ${k}=${v}`);
  const nodeOptions = /^Environment="?NODE_OPTIONS=([^"\n]*)"?$/m.exec(unit)?.[1] ?? '';
  for (const f of NODE_FOOTPRINT_FLAGS) assert.ok(nodeOptions.split(' ').includes(f), `unit's NODE_OPTIONS lacks ${f}`);
  // Flags NODE_OPTIONS refuses go between node and the script, in the unit and in demo.sh alike.
  const execArgs = /^ExecStart=\/usr\/bin\/node ((?:--\S+ )*)\S+faultsense\.js run/m.exec(unit)?.[1]?.trim().split(' ') ?? [];
  const demoArgs = /^exec node ((?:--\S+ )*)bin\/faultsense\.js run/m.exec(readFileSync(join(REPO_ROOT, 'scripts', 'demo.sh'), 'utf8'))?.[1]?.trim().split(' ') ?? [];
  assert.deepEqual(execArgs, [...NODE_FOOTPRINT_ARGS], 'the unit\'s ExecStart= node flags');
  assert.deepEqual(demoArgs, [...NODE_FOOTPRINT_ARGS], 'demo.sh\'s node flags');
  const defaults = parseYaml(readFileSync(join(REPO_ROOT, 'config', 'default.yaml'), 'utf8')) as { memory: { pressureAvailable: string } };
  assert.ok(parseInt(defaults.memory.pressureAvailable, 10) < 512, 'pressureAvailable fits a 1 GB board');
});

test('node started with the footprint flags optimises a hot loop with TurboFan, on the main thread (no concurrent recompilation)', () => {
  // A hot loop that V8 optimises (on-stack replacement included); --trace-opt lists every optimising compile and its mode.
  const hot = 'function f(a){let s=0;for(let i=0;i<a.length;i++)s+=a[i]*0.5;return s}' +
    'const a=new Float64Array(1e6).fill(1);let t=0;for(let k=0;k<20;k++)t+=f(a);console.log(t)';
  const run = spawnSync(process.execPath, [...NODE_FOOTPRINT_ARGS, '--trace-opt', '-e', hot], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim().split('\n').at(-1), '10000000', 'the loop ran to its result');
  const compiles = run.stdout.split('\n').filter((l) => /compiling method .*TURBOFAN/.test(l));
  assert.ok(compiles.length > 0, 'TurboFan compiled the loop');
  assert.deepEqual(compiles.filter((l) => !/ConcurrencyMode::kSynchronous/.test(l)), [], 'every compile on the main thread');
  // the smaller compile budgets are in effect (node would ignore a misspelt flag silently)
  const values = spawnSync(process.execPath, [...NODE_FOOTPRINT_ARGS, '--print-flag-values', '-e', '0'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } }).stdout;
  assert.match(values, /--max-inlined-bytecode-size-cumulative=460\b/);
  assert.match(values, /--max-optimized-bytecode-size=30720\b/);
  assert.match(values, /--no-concurrent-recompilation\b/);
});

test('applyFootprintLimits: mqtt-packet writes packet ids and lengths without its 65,536-Buffer number table', async () => {
  const { createRequire } = await import('node:module');
  const fromMqtt = createRequire(createRequire(import.meta.url).resolve('mqtt'));
  const packet = fromMqtt('mqtt-packet') as typeof import('mqtt-packet');
  const numbers = fromMqtt('mqtt-packet/numbers') as { cache: Record<number, Buffer> };
  assert.equal(applyFootprintLimits({ ...MALLOC_ENV }).mqttNumberCache, false);
  assert.equal(packet.writeToStream.cacheNumbers, false);
  const { PassThrough } = await import('node:stream');
  for (const p of [
    { cmd: 'publish', topic: 'faultsense/press-7/diagnosis', payload: Buffer.alloc(300, 7), qos: 1, messageId: 54321, retain: false, dup: false },
    { cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'faultsense/+/health', qos: 1 }] },
    { cmd: 'puback', messageId: 65535 },
  ] as const) {
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    packet.writeToStream(p as never, sink);
    await new Promise((r) => setImmediate(r)); // the writer uncorks on the next tick
    assert.deepEqual(Buffer.concat(chunks), packet.generate(p as never), `${p.cmd} bytes`);
  }
  assert.equal(Object.keys(numbers.cache).length, 0, 'the number table was never built');
});
