// The feature cache: features and findings keyed by content + model id and
// version + region, so repeated work is skipped. Entries carry their modality,
// creation time, validity, semantic tags and size; a byte budget is kept by
// evicting the least recently used; an expired entry is never served. With a
// file, entries live in SQLite and survive restarts; without one, in memory.
import { isAbsolute, resolve } from 'node:path';
import type { CacheConfig } from '../config/sections/cache.js';
import { toBytes } from '../config/sections/common.js';
import type { Component } from '../system/component.js';
import { getLogger, type Logger } from '../system/logger.js';
import { SqliteCacheStore, type StoredMeta } from './sqlite-store.js';

export type CacheModality = 'vision' | 'audio' | 'text' | 'diagnosis';

/** What a cache key is made of. `content` is contentKey(bytes) or perceptualKey(frame). */
export interface CacheKeyParts {
  content: string;
  model: string;
  version: string;
  /** ROI name or other sub-part of the input; omitted = the whole input. */
  region?: string;
}

export function cacheKey(p: CacheKeyParts): string {
  for (const [k, v] of Object.entries(p)) {
    if (typeof v === 'string' && v.includes('|')) throw new Error(`cache key part ${k} must not contain "|": ${v}`);
  }
  return `${p.model}@${p.version}|${p.region ?? '*'}|${p.content}`;
}

export interface PutOptions {
  modality: CacheModality;
  tags?: string[];
  /** Validity from now; default the cache's ttlSec. */
  ttlSec?: number;
  /** Absolute end of validity (ms since the epoch); wins over ttlSec. */
  validUntil?: number;
}

export interface CacheEntryInfo {
  key: string;
  modality: CacheModality;
  createdAt: number;
  validUntil: number;
  lastUsed: number;
  tags: string[];
  size: number;
}

export interface FeatureCacheOptions {
  /** SQLite file; omitted = memory only. */
  file?: string;
  maxBytes: number;
  ttlSec: number;
  log?: Logger;
  now?: () => number;
}

export interface CacheStats {
  hits: number;
  misses: number;
  /** Entries found expired (never served) and dropped. */
  expired: number;
  /** Entries evicted for the byte budget, trim() or clear(). */
  evicted: number;
  /** Times a corrupt cache file was moved aside and rebuilt. */
  recovered: number;
  hitRate: number;
  entries: number;
  bytes: number;
  maxBytes: number;
  file: string | null;
}

export interface TrimReport {
  bytesBefore: number;
  bytesAfter: number;
  evicted: number;
}

type Codec = 'json' | 'buf' | 'f32';
interface Meta extends CacheEntryInfo { codec: Codec }

function encode(value: unknown): { codec: Codec; bytes: Buffer } {
  if (Buffer.isBuffer(value)) return { codec: 'buf', bytes: value };
  if (value instanceof Float32Array) return { codec: 'f32', bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength) };
  const json = JSON.stringify(value);
  if (json === undefined) throw new Error('cache values must be JSON-serialisable, a Buffer or a Float32Array');
  return { codec: 'json', bytes: Buffer.from(json) };
}

function decode(codec: string, bytes: Buffer): unknown {
  if (codec === 'buf') return Buffer.from(bytes);
  if (codec === 'f32') {
    const copy = new Uint8Array(bytes); // aligned copy
    return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
  }
  return JSON.parse(bytes.toString('utf8')) as unknown;
}

export class FeatureCache implements Component {
  readonly name = 'cache';
  /** LRU order: first = least recently used. */
  private readonly index = new Map<string, Meta>();
  /** Encoded values when there is no SQLite store. */
  private readonly memory = new Map<string, Buffer>();
  private readonly inflight = new Map<string, Promise<unknown>>();
  private store?: SqliteCacheStore;
  private bytes = 0;
  private readonly log: Logger;
  private readonly now: () => number;
  private opened = false;
  private lastPurge = 0;
  maxBytes: number;
  readonly counts = { hits: 0, misses: 0, expired: 0, evicted: 0, recovered: 0 };

  constructor(private readonly opts: FeatureCacheOptions) {
    this.log = opts.log ?? getLogger('cache');
    this.now = opts.now ?? Date.now;
    this.maxBytes = opts.maxBytes;
  }

  /** Builds a cache from the config section; a relative file is resolved against stateDir. */
  static fromConfig(config: CacheConfig, stateDir: string, log?: Logger): FeatureCache {
    const file = config.persist ? (isAbsolute(config.file) ? config.file : resolve(stateDir, config.file)) : undefined;
    return new FeatureCache({ file, maxBytes: toBytes(config.maxBytes), ttlSec: config.ttlSec, log });
  }

  /** Opens the store and loads the index (idempotent). Never throws for a bad file. */
  open(): void {
    if (this.opened) return;
    this.opened = true;
    if (!this.opts.file) return;
    try {
      this.store = new SqliteCacheStore(this.opts.file, this.log);
      this.counts.recovered += this.store.movedAside.length;
      this.loadIndex(this.store.guard(() => this.store!.loadMeta(), [], () => this.afterRecover()));
    } catch (err) {
      this.store = undefined;
      this.log.error(`feature cache cannot use ${this.opts.file} (${(err as Error).message}); caching in memory only`);
    }
  }

  private loadIndex(rows: StoredMeta[]): void {
    const now = this.now();
    const stale: string[] = [];
    for (const r of rows) {
      if (r.validUntil <= now) { stale.push(r.key); continue; }
      this.index.set(r.key, { ...r, modality: r.modality as CacheModality, codec: r.codec as Codec });
      this.bytes += r.size;
    }
    this.store?.deleteMany(stale);
    this.counts.expired += stale.length;
    this.evictTo(this.maxBytes);
    if (rows.length > 0) this.log.info(`feature cache: ${this.index.size} entries (${this.bytes} bytes) kept from ${this.opts.file}`);
  }

  private afterRecover(): void {
    this.index.clear();
    this.bytes = 0;
    this.counts.recovered++;
  }

  private touch(m: Meta): void {
    m.lastUsed = this.now();
    this.index.delete(m.key);
    this.index.set(m.key, m);
    const store = this.store;
    if (store) store.guard(() => store.touch(m.key, m.lastUsed), undefined, () => this.afterRecover());
  }

  private drop(keys: string[]): void {
    for (const k of keys) {
      const m = this.index.get(k);
      if (!m) continue;
      this.index.delete(k);
      this.memory.delete(k);
      this.bytes -= m.size;
    }
    const store = this.store;
    if (store) store.guard(() => store.deleteMany(keys), undefined, () => this.afterRecover());
  }

  /** The cached value, or undefined when missing or expired (an expired entry is deleted). */
  get<T = unknown>(key: string): T | undefined {
    this.open();
    const m = this.index.get(key);
    if (!m) { this.counts.misses++; return undefined; }
    if (m.validUntil <= this.now()) {
      this.drop([key]);
      this.counts.expired++;
      this.counts.misses++;
      return undefined;
    }
    const store = this.store;
    const bytes = store ? store.guard(() => store.get(key), undefined, () => this.afterRecover()) : this.memory.get(key);
    if (!bytes) {
      this.drop([key]);
      this.counts.misses++;
      return undefined;
    }
    this.touch(m);
    this.counts.hits++;
    return decode(m.codec, bytes) as T;
  }

  /** Metadata of a live entry (no hit/miss counted). */
  info(key: string): CacheEntryInfo | undefined {
    const m = this.index.get(key);
    if (!m || m.validUntil <= this.now()) return undefined;
    const { codec: _c, ...info } = m;
    return { ...info, tags: [...m.tags] };
  }

  set(key: string, value: unknown, opts: PutOptions): void {
    this.open();
    const { codec, bytes } = encode(value);
    const size = bytes.byteLength + key.length;
    if (size > this.maxBytes) {
      this.log.debug(`not caching ${key}: ${size} bytes exceed the budget of ${this.maxBytes}`);
      return;
    }
    const now = this.now();
    const validUntil = opts.validUntil ?? now + (opts.ttlSec ?? this.opts.ttlSec) * 1000;
    if (this.index.has(key)) this.drop([key]);
    const m: Meta = { key, modality: opts.modality, createdAt: now, validUntil, lastUsed: now, tags: [...(opts.tags ?? [])], size, codec };
    const store = this.store;
    if (store) {
      let ok = true;
      store.guard(() => store.put(m, bytes), undefined, () => { ok = false; this.afterRecover(); });
      if (!ok) return;
    } else {
      this.memory.set(key, Buffer.from(bytes));
    }
    this.index.set(key, m);
    this.bytes += size;
    this.evictTo(this.maxBytes);
  }

  /**
   * The cached value for `key`, or `compute()`'s result stored under it.
   * Concurrent calls for the same key share one computation.
   */
  async getOrCompute<T>(key: string, opts: PutOptions, compute: () => Promise<T> | T): Promise<{ value: T; hit: boolean }> {
    const cached = this.get<T>(key);
    if (cached !== undefined) return { value: cached, hit: true };
    const running = this.inflight.get(key);
    if (running) return { value: (await running) as T, hit: false };
    const p = (async () => {
      const value = await compute();
      this.set(key, value, opts);
      return value;
    })();
    this.inflight.set(key, p);
    try {
      return { value: await p, hit: false };
    } finally {
      this.inflight.delete(key);
    }
  }

  private evictTo(limit: number): number {
    const victims: string[] = [];
    let bytes = this.bytes;
    for (const [k, m] of this.index) {
      if (bytes <= limit) break;
      victims.push(k);
      bytes -= m.size;
    }
    this.drop(victims);
    this.counts.evicted += victims.length;
    return victims.length;
  }

  /** Evicts least recently used entries until at most `toFraction` of the current bytes remain (memory governor). */
  trim(toFraction: number): TrimReport {
    const bytesBefore = this.bytes;
    const evicted = this.evictTo(Math.floor(bytesBefore * Math.min(1, Math.max(0, toFraction))));
    return { bytesBefore, bytesAfter: this.bytes, evicted };
  }

  /** Drops every entry (memory governor at critical, or a refitted baseline). */
  clear(): TrimReport {
    this.open();
    const bytesBefore = this.bytes;
    const evicted = this.index.size;
    this.index.clear();
    this.memory.clear();
    this.bytes = 0;
    const store = this.store;
    if (store) store.guard(() => store.clear(), undefined, () => this.afterRecover());
    this.counts.evicted += evicted;
    return { bytesBefore, bytesAfter: 0, evicted };
  }

  /** Drops entries carrying `tag` (e.g. everything computed against an old baseline). */
  deleteByTag(tag: string): number {
    const keys = [...this.index.values()].filter((m) => m.tags.includes(tag)).map((m) => m.key);
    this.drop(keys);
    return keys.length;
  }

  /** Deletes expired entries now (they are never served either way). */
  purgeExpired(): number {
    const now = this.now();
    const keys = [...this.index.values()].filter((m) => m.validUntil <= now).map((m) => m.key);
    this.drop(keys);
    this.counts.expired += keys.length;
    return keys.length;
  }

  stats(): CacheStats {
    const lookups = this.counts.hits + this.counts.misses;
    return {
      ...this.counts,
      hitRate: lookups ? Math.round((this.counts.hits / lookups) * 1000) / 1000 : 0,
      entries: this.index.size,
      bytes: this.bytes,
      maxBytes: this.maxBytes,
      file: this.store ? this.store.file : null,
    };
  }

  async start(): Promise<void> { this.open(); }

  /** Periodic housekeeping: drop expired entries (at most once a minute). */
  async tick(): Promise<void> {
    const now = this.now();
    if (now - this.lastPurge < 60_000) return;
    this.lastPurge = now;
    this.purgeExpired();
  }

  async stop(): Promise<void> { this.close(); }

  close(): void {
    this.store?.close();
    this.store = undefined;
    this.index.clear();
    this.memory.clear();
    this.bytes = 0;
    this.opened = false;
  }

  health(): Record<string, unknown> { return { ...this.stats() }; }
}
