import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { cacheKey, FeatureCache } from '../../src/cache/feature-cache.js';
import { contentKey } from '../../src/cache/frame-hash.js';
import { loadFaultCatalog } from '../../src/diagnosis/catalog.js';
import { Diagnoser } from '../../src/diagnosis/diagnoser.js';
import type { VisionFindings } from '../../src/types.js';
import { tempDir } from '../helpers/tmp.js';

const catalog = loadFaultCatalog(join(import.meta.dirname, '../../config/faults.example.yaml'));

/** A real PNG of a machine panel showing an alarm code. */
async function panelImage(text: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="120"><rect width="320" height="120" fill="#102010"/>` +
    `<text x="20" y="75" font-size="48" font-family="monospace" fill="#40ff40">${text}</text></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/**
 * A deliberately expensive stand-in for vision analysis: decodes the image
 * with sharp, then runs repeated box blurs over the grey pixels. Its findings
 * depend on the image, so a wrong cache hit would show.
 */
async function expensiveVision(png: Buffer): Promise<VisionFindings> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  let px = Float32Array.from(data);
  for (let pass = 0; pass < 60; pass++) {
    const next = new Float32Array(px.length);
    for (let y = 1; y < info.height - 1; y++) {
      for (let x = 1; x < info.width - 1; x++) {
        const i = y * info.width + x;
        next[i] = (px[i - 1]! + px[i + 1]! + px[i - info.width]! + px[i + info.width]! + px[i]!) / 5;
      }
    }
    px = next;
  }
  const mean = px.reduce((a, b) => a + b, 0) / px.length;
  return { quality: 0.9, anomalyScore: Math.round(mean) / 100, text: ['E-042'], alarmCodes: ['E-042'] };
}

test('a second diagnose of the same image is a cache hit and does not run the analysis again', async () => {
  const dir = tempDir();
  const cache = new FeatureCache({ file: join(dir, 'features.sqlite'), maxBytes: 1_000_000, ttlSec: 3600 });
  cache.open();
  const diagnoser = new Diagnoser(catalog, { deviceId: 'cnc-3' });
  const png = await panelImage('E-042');
  const key = cacheKey({ content: contentKey(png), model: 'panel-ocr', version: '1.0.0', region: 'display' });

  let computed = 0;
  const diagnose = async () => {
    const t0 = performance.now();
    const { value, hit } = await cache.getOrCompute(key, { modality: 'vision', tags: ['panel', 'display'] }, () => { computed += 1; return expensiveVision(png); });
    const visionMs = performance.now() - t0;
    const d = diagnoser.diagnose({ vision: value, cacheHit: hit, timings: { visionMs } });
    return { d, ms: performance.now() - t0 };
  };
  const cold = await diagnose();
  const warm = await diagnose();
  assert.equal(cold.d.timings.cacheHit, false);
  assert.equal(warm.d.timings.cacheHit, true);
  assert.deepEqual(warm.d.faults.map((f) => [f.id, f.confidence]), cold.d.faults.map((f) => [f.id, f.confidence]));
  // Behaviour, not timing: the expensive analysis ran once, the second answer came from the cache.
  assert.equal(computed, 1, 'the cached diagnose must not run the analysis again');
  assert.deepEqual(cache.info(key)?.tags, ['panel', 'display']);
  assert.equal(cache.info(key)?.modality, 'vision');
  const s = cache.stats();
  assert.equal(s.hits, 1);
  assert.equal(s.misses, 1);

  // Another image is another key: computed, not served from the first.
  const other = await panelImage('E-117');
  const otherKey = cacheKey({ content: contentKey(other), model: 'panel-ocr', version: '1.0.0', region: 'display' });
  assert.notEqual(otherKey, key);
  assert.equal(cache.get(otherKey), undefined);
  // A new model version is a new key too.
  assert.equal(cache.get(cacheKey({ content: contentKey(png), model: 'panel-ocr', version: '1.1.0', region: 'display' })), undefined);
  cache.close();
});

test('concurrent requests for one key share one computation', async () => {
  const cache = new FeatureCache({ maxBytes: 100_000, ttlSec: 60 });
  let runs = 0;
  const compute = async () => { runs++; await new Promise((r) => setTimeout(r, 20)); return { v: 42 }; };
  const [a, b] = await Promise.all([
    cache.getOrCompute('k', { modality: 'audio' }, compute),
    cache.getOrCompute('k', { modality: 'audio' }, compute),
  ]);
  assert.equal(runs, 1);
  assert.deepEqual(a.value, { v: 42 });
  assert.deepEqual(b.value, { v: 42 });
});

test('expired entries are never served, in memory and after a restart', () => {
  const dir = tempDir();
  let now = 1_000_000;
  const file = join(dir, 'c.sqlite');
  const cache = new FeatureCache({ file, maxBytes: 100_000, ttlSec: 10, now: () => now });
  cache.set('short', { a: 1 }, { modality: 'vision' });
  cache.set('long', { b: 2 }, { modality: 'vision', ttlSec: 100 });
  cache.set('until', [1, 2, 3], { modality: 'text', validUntil: now + 5000 });
  now += 4999;
  assert.deepEqual(cache.get('until'), [1, 2, 3]);
  now += 1;
  assert.equal(cache.get('until'), undefined, 'validUntil is exclusive');
  now += 5000;
  assert.equal(cache.get('short'), undefined);
  assert.deepEqual(cache.get('long'), { b: 2 });
  assert.ok(cache.stats().expired >= 2);
  cache.close();
  now += 200_000;
  const reopened = new FeatureCache({ file, maxBytes: 100_000, ttlSec: 10, now: () => now });
  reopened.open();
  assert.equal(reopened.stats().entries, 0, 'expired entries are dropped on load');
  assert.equal(reopened.get('long'), undefined);
  reopened.close();
});

test('the byte budget holds with least-recently-used eviction; trim and clear report bytes', () => {
  const cache = new FeatureCache({ maxBytes: 10_000, ttlSec: 60 });
  const blob = (n: number) => Buffer.alloc(n, n % 251);
  for (let i = 0; i < 30; i++) {
    cache.set(`k${i}`, blob(900), { modality: 'vision' });
    if (i >= 1) assert.ok(cache.get('k0'), 'k0 kept alive by use');
    assert.ok(cache.stats().bytes <= 10_000, `bytes ${cache.stats().bytes}`);
  }
  assert.ok(cache.get('k0'));
  assert.equal(cache.get('k1'), undefined, 'least recently used went first');
  assert.ok(cache.get('k29'));
  assert.ok(cache.stats().evicted > 0);
  cache.set('huge', blob(20_000), { modality: 'vision' });
  assert.equal(cache.get('huge'), undefined, 'an entry larger than the budget is not cached');

  const f32 = Float32Array.from([1.5, -2, 3.25]);
  cache.set('vec', f32, { modality: 'audio', tags: ['baseline'] });
  assert.deepEqual(cache.get('vec'), f32);
  assert.equal(cache.deleteByTag('baseline'), 1);

  const before = cache.stats().bytes;
  const r = cache.trim(0.5);
  assert.equal(r.bytesBefore, before);
  assert.ok(r.bytesAfter <= before / 2 && r.bytesAfter > 0, JSON.stringify(r));
  assert.equal(r.bytesAfter, cache.stats().bytes);
  const c = cache.clear();
  assert.equal(c.bytesAfter, 0);
  assert.equal(cache.stats().entries, 0);
});

test('persisted entries survive a restart, with their metadata and LRU order', () => {
  const dir = tempDir();
  const file = join(dir, 'state', 'cache', 'features.sqlite');
  const a = new FeatureCache({ file, maxBytes: 3000, ttlSec: 3600 });
  a.set('panel', { text: ['E-042'] }, { modality: 'vision', tags: ['panel'] });
  a.set('mel', Buffer.alloc(1000, 7), { modality: 'audio' });
  a.set('old', Buffer.alloc(1000, 1), { modality: 'audio' });
  assert.ok(a.get('old'));
  a.close();
  assert.ok(existsSync(file));

  const b = new FeatureCache({ file, maxBytes: 3000, ttlSec: 3600 });
  b.open();
  assert.equal(b.stats().entries, 3);
  assert.deepEqual(b.get('panel'), { text: ['E-042'] });
  assert.deepEqual(b.info('panel')?.tags, ['panel']);
  assert.deepEqual(b.get('mel'), Buffer.alloc(1000, 7));
  b.close();

  // A smaller budget on restart evicts the least recently used ("old" was used before panel/mel were read).
  const c = new FeatureCache({ file, maxBytes: 1500, ttlSec: 3600 });
  c.open();
  assert.equal(c.get('old'), undefined);
  assert.ok(c.stats().bytes <= 1500);
  c.close();
});

test('a corrupt cache file is moved aside and rebuilt, never fatal', () => {
  const dir = tempDir();
  const file = join(dir, 'features.sqlite');
  const good = new FeatureCache({ file, maxBytes: 100_000, ttlSec: 3600 });
  good.set('x', { ok: true }, { modality: 'vision' });
  good.close();
  // Overwrite the header and the first pages with garbage.
  const bytes = readFileSync(file);
  bytes.fill(0x5a, 0, Math.min(bytes.length, 8192));
  writeFileSync(file, bytes);

  const cache = new FeatureCache({ file, maxBytes: 100_000, ttlSec: 3600 });
  cache.open();
  const aside = readdirSync(dir).filter((f) => f.startsWith('features.sqlite.corrupt-'));
  assert.equal(aside.length, 1, readdirSync(dir).join(', '));
  assert.equal(cache.stats().recovered, 1);
  assert.equal(cache.get('x'), undefined);
  cache.set('y', { rebuilt: true }, { modality: 'vision' });
  cache.close();
  const again = new FeatureCache({ file, maxBytes: 100_000, ttlSec: 3600 });
  assert.deepEqual(again.get('y'), { rebuilt: true }, 'the rebuilt file persists');
  again.close();

  // Not a database at all (e.g. a truncated copy): same outcome.
  const file2 = join(dir, 'other.sqlite');
  writeFileSync(file2, 'this is not sqlite');
  const c2 = new FeatureCache({ file: file2, maxBytes: 1000, ttlSec: 60 });
  c2.set('a', 1, { modality: 'text' });
  assert.equal(c2.get('a'), 1);
  assert.equal(c2.stats().recovered, 1);
  c2.close();
});
