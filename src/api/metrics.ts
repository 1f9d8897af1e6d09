// GET /metrics: the daemon in the Prometheus text format (prom-client). Values
// are read at scrape time from the components' health summaries, so nothing
// is counted twice; labels come from the configuration (sources, modalities,
// catalog fault ids), never from per-diagnosis values, so series stay bounded.
import { existsSync, readFileSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import si from 'systeminformation';

export interface MetricsSources {
  /** Per-component health (the same tree as `health` on MQTT). */
  health(): Record<string, unknown>;
  /** Every fault id the catalog can raise (the label values of faultsense_fault_raised). */
  faultIds: readonly string[];
  /** Directories whose free space matters: {state: stateDir, clips: clipsDir}. */
  dirs: Record<string, string | undefined>;
  /** Diagnoses handed to the publisher since start. */
  published(): number;
  api(): { answered: number; refused: number };
}

type Tree = Record<string, unknown>;
const obj = (v: unknown): Tree => (v && typeof v === 'object' ? v as Tree : {});
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const MEMORY_LEVEL: Record<string, number> = { normal: 0, pressure: 1, critical: 2 };

/** A counter whose value is a total kept elsewhere (set at scrape time). */
function setTotal(c: Counter<string>, labels: Record<string, string>, v: number | undefined): void {
  if (v === undefined) return;
  c.inc(labels, v);
}

/** Raspberry Pi firmware throttling flags, where the board exposes them. */
function throttled(): number | undefined {
  const f = '/sys/devices/platform/soc/soc:firmware/get_throttled';
  if (!existsSync(f)) return undefined;
  try { return parseInt(readFileSync(f, 'utf8').trim(), 16); } catch { return undefined; }
}

export function createMetricsRegistry(src: MetricsSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'faultsense_' });
  let snap: Tree = {};
  const mine: Array<{ reset(): void }> = [];
  const g = (name: string, help: string, labelNames: string[] = []) => { const m = new Gauge({ name, help, labelNames, registers: [registry] }); mine.push(m); return m; };
  const c = (name: string, help: string, labelNames: string[] = []) => { const m = new Counter({ name, help, labelNames, registers: [registry] }); mine.push(m); return m; };

  const frames = c('faultsense_capture_frames_total', 'frames (camera) or windows (microphone) delivered', ['source']);
  const rate = g('faultsense_capture_rate', 'measured frames or windows per second', ['source']);
  const dropped = c('faultsense_capture_dropped_total', 'windows a microphone skipped whole because analysis fell behind (camera frames: faultsense_analysis_dropped_total)', ['source']);
  const restarts = g('faultsense_capture_restarts_last_hour', 'source restarts in the last hour', ['source']);
  const online = g('faultsense_capture_online', '1 when the source delivers', ['source']);
  const analysed = c('faultsense_analysis_analysed_total', 'frames or windows analysed', ['modality']);
  const analysisDropped = c('faultsense_analysis_dropped_total', 'inputs skipped by a busy analyzer', ['modality']);
  const failures = c('faultsense_analysis_failures_total', 'analyses that failed', ['modality']);
  const anomaly = g('faultsense_anomaly_score', 'last calibrated anomaly score (1.0 = 99th percentile of normal)', ['modality']);
  const analysisMs = g('faultsense_analysis_last_ms', 'duration of the last analysis', ['modality']);
  const raised = g('faultsense_fault_raised', '1 while the fault is raised', ['fault']);
  const published = c('faultsense_diagnoses_published_total', 'diagnoses handed to the publisher');
  const outboxDepth = g('faultsense_outbox_depth', 'messages waiting in the outbox');
  const outboxAge = g('faultsense_outbox_oldest_age_seconds', 'age of the oldest message in the outbox');
  const outboxDropped = c('faultsense_outbox_dropped_total', 'messages dropped by the outbox bounds');
  const mqttConnected = g('faultsense_mqtt_connected', '1 while connected to the broker');
  const mqttReconnects = c('faultsense_mqtt_reconnects_total', 'reconnections to the broker');
  const mqttAcked = c('faultsense_mqtt_published_total', 'messages acknowledged by the broker');
  const memLevel = g('faultsense_memory_level', 'memory governor level: 0 normal, 1 pressure, 2 critical');
  const cacheHits = c('faultsense_cache_hits_total', 'feature cache hits');
  const cacheMisses = c('faultsense_cache_misses_total', 'feature cache misses');
  const cacheRatio = g('faultsense_cache_hit_ratio', 'feature cache hits / lookups');
  const apiAnswered = c('faultsense_api_questions_answered_total', 'questions answered by the local API');
  const apiRefused = c('faultsense_api_questions_refused_total', 'questions refused with 429');
  const temp = g('faultsense_board_cpu_temperature_celsius', 'CPU temperature, where the board exposes it', ['sensor']);
  const throttle = g('faultsense_board_throttled_flags', 'firmware throttling flags (Raspberry Pi get_throttled), where exposed', ['source']);
  const load = g('faultsense_board_load1', '1-minute load average');
  const diskFree = g('faultsense_board_disk_free_bytes', 'free bytes on the file system of a directory', ['dir']);

  // One read of the health tree per scrape, before the metrics are collected.
  const refresh = async (): Promise<void> => {
    snap = src.health();
    for (const m of mine) m.reset();
    for (const [name, kind] of [['camera', 'camera'], ['microphone', 'microphone']] as const) {
      const h = obj(snap[name]);
      if (!snap[name]) continue;
      setTotal(frames, { source: name }, num(kind === 'camera' ? h.frames : h.windows));
      if (num(h.rate) !== undefined) rate.set({ source: name }, num(h.rate)!);
      setTotal(dropped, { source: name }, num(h.dropped));
      if (num(h.restartsLastHour) !== undefined) restarts.set({ source: name }, num(h.restartsLastHour)!);
      online.set({ source: name }, h.state === 'online' ? 1 : 0);
    }
    for (const m of ['vision', 'audio'] as const) {
      const h = obj(snap[`analysis.${m}`]);
      if (!snap[`analysis.${m}`]) continue;
      setTotal(analysed, { modality: m }, num(h.analysed));
      setTotal(analysisDropped, { modality: m }, num(h.dropped));
      setTotal(failures, { modality: m }, num(h.failures));
      if (num(h.lastAnomalyScore) !== undefined) anomaly.set({ modality: m }, num(h.lastAnomalyScore)!);
      if (num(h.lastMs) !== undefined) analysisMs.set({ modality: m }, num(h.lastMs)!);
    }
    const up = new Set(Array.isArray(obj(snap.diagnosis).raised) ? (obj(snap.diagnosis).raised as unknown[]).map(String) : []);
    for (const id of src.faultIds) raised.set({ fault: id }, up.has(id) ? 1 : 0);
    published.inc(src.published());
    const mqtt = obj(snap.mqtt);
    const outbox = obj(mqtt.outbox);
    if (num(outbox.depth) !== undefined) outboxDepth.set(num(outbox.depth)!);
    if (num(outbox.oldestAgeSec) !== undefined) outboxAge.set(num(outbox.oldestAgeSec)!);
    setTotal(outboxDropped, {}, num(outbox.droppedTotal));
    mqttConnected.set(mqtt.connected === true ? 1 : 0);
    setTotal(mqttReconnects, {}, num(mqtt.reconnects));
    setTotal(mqttAcked, {}, num(mqtt.published));
    const mem = obj(snap.memory);
    if (typeof mem.level === 'string' && mem.level in MEMORY_LEVEL) memLevel.set(MEMORY_LEVEL[mem.level]!);
    const cache = obj(snap.cache);
    setTotal(cacheHits, {}, num(cache.hits));
    setTotal(cacheMisses, {}, num(cache.misses));
    if (num(cache.hitRate) !== undefined) cacheRatio.set(num(cache.hitRate)!);
    const api = src.api();
    apiAnswered.inc(api.answered);
    apiRefused.inc(api.refused);
    const t = await si.cpuTemperature().catch(() => undefined);
    if (t && typeof t.main === 'number' && t.main > 0) temp.set({ sensor: 'main' }, t.main);
    const th = throttled();
    if (th !== undefined) throttle.set({ source: 'firmware' }, th);
    load.set(loadavg()[0]!);
    for (const [label, dir] of Object.entries(src.dirs)) {
      if (!dir) continue;
      const s = await statfs(dir).catch(() => undefined);
      if (s) diskFree.set({ dir: label }, s.bavail * s.bsize);
    }
  };
  const metrics = registry.metrics.bind(registry);
  registry.metrics = async () => { await refresh(); return metrics(); };
  return registry;
}
