// GET /metrics: the daemon in the Prometheus text format (prom-client). Values
// are read at scrape time from the components' health summaries, so nothing
// is counted twice; labels come from the configuration (sources, modalities,
// catalog fault ids), never from per-diagnosis values, so series stay bounded.
import { collectDefaultMetrics, Counter, Gauge, type Metric, Registry } from 'prom-client';

export interface MetricsSources {
  /** Per-component health (the same tree as `health` on MQTT). */
  health(): Record<string, unknown>;
  /** Every fault id the catalog can raise (the label values of faultsense_fault_raised). */
  faultIds: readonly string[];
  /** Diagnoses handed to the publisher since start. */
  published(): number;
  /** Questions answered, refused with 429 (queue full) and with 503 pipeline_busy. */
  api(): { answered: number; refused: number; refusedPipelineBusy?: number };
  /** Metrics kept by other parts as they happen (the inference latency histogram), served as they are. */
  extra?: Metric[];
}

type Tree = Record<string, unknown>;
const obj = (v: unknown): Tree => (v && typeof v === 'object' ? v as Tree : {});
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const MEMORY_LEVEL: Record<string, number> = { normal: 0, pressure: 1, critical: 2 };
const DISK_LEVEL: Record<string, number> = { normal: 0, low: 1, critical: 2 };

/** A counter whose value is a total kept elsewhere (set at scrape time). */
function setTotal(c: Counter<string>, labels: Record<string, string>, v: number | undefined): void {
  if (v === undefined) return;
  c.inc(labels, v);
}

export function createMetricsRegistry(src: MetricsSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'faultsense_' });
  for (const m of src.extra ?? []) registry.registerMetric(m);
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
  const apiRefused = c('faultsense_api_questions_refused_total', 'questions refused: reason queue_full (429) or pipeline_busy (503, the analysis stages did not pause in time)', ['reason']);
  const temp = g('faultsense_board_cpu_temperature_celsius', 'CPU temperature, where the board exposes it', ['sensor']);
  const throttle = g('faultsense_board_throttled_flags', 'firmware throttling flags (Raspberry Pi get_throttled), where exposed', ['source']);
  const load = g('faultsense_board_load1', '1-minute load average');
  const busy = g('faultsense_board_cpu_busy_ratio', 'share of CPU time busy over the board sampler\'s last interval');
  const memAvailable = g('faultsense_board_memory_available_bytes', 'memory available to new work (MemAvailable)');
  const diskFree = g('faultsense_board_disk_free_bytes', 'free bytes on the file system of a directory', ['dir']);
  const diskTotal = g('faultsense_board_disk_size_bytes', 'size of the file system of a directory', ['dir']);
  const diskLevel = g('faultsense_disk_level', 'disk governor level: 0 normal, 1 low (below storage.minFree after deleting old clips), 2 critical');
  const diskTrimmed = c('faultsense_disk_trimmed_bytes_total', 'bytes of clips and leftover offload scratch the disk governor deleted (space and retention)');
  const diskTrimmedFiles = c('faultsense_disk_trimmed_files_total', 'files and folders the disk governor deleted');

  // One read of the health tree per scrape, before the metrics are collected.
  const refresh = (): void => {
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
    apiRefused.inc({ reason: 'queue_full' }, api.refused);
    apiRefused.inc({ reason: 'pipeline_busy' }, api.refusedPipelineBusy ?? 0);
    // Board health: the board component's cached sample (src/system/board-health.ts); a scrape reads no system file.
    const board = obj(snap.board);
    if (num(board.cpuTempC) !== undefined) temp.set({ sensor: 'main' }, num(board.cpuTempC)!);
    const th = obj(board.throttling);
    if (num(th.flags) !== undefined) throttle.set({ source: 'firmware' }, num(th.flags)!);
    if (Array.isArray(board.load) && num(board.load[0]) !== undefined) load.set(num(board.load[0])!);
    if (num(board.cpuBusy) !== undefined) busy.set(num(board.cpuBusy)!);
    if (num(obj(board.memory).availableBytes) !== undefined) memAvailable.set(num(obj(board.memory).availableBytes)!);
    for (const [label, d] of Object.entries(obj(board.disk))) {
      if (num(obj(d).freeBytes) !== undefined) diskFree.set({ dir: label }, num(obj(d).freeBytes)!);
      if (num(obj(d).totalBytes) !== undefined) diskTotal.set({ dir: label }, num(obj(d).totalBytes)!);
    }
    // The disk governor (src/memory/disk-governor.ts): its level and what it deleted since start.
    const disk = obj(snap.disk);
    if (typeof disk.level === 'string' && disk.level in DISK_LEVEL) diskLevel.set(DISK_LEVEL[disk.level]!);
    setTotal(diskTrimmed, {}, num(disk.trimmedBytes));
    setTotal(diskTrimmedFiles, {}, num(disk.trimmedFiles));
  };
  const metrics = registry.metrics.bind(registry);
  registry.metrics = async () => { refresh(); return metrics(); };
  return registry;
}
