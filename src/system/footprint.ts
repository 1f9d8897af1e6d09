// Process-wide memory settings for a small board (docs/footprint.md): libvips
// keeps no operation cache and runs one thread per image (sharp encodes the
// evidence JPEGs and crops; nothing is re-read from files), and glibc's malloc
// settings the daemon expects are checked so their absence is visible in logs.
import { createRequire } from 'node:module';
import sharp from 'sharp';

/** The glibc malloc environment that keeps freed ONNX Runtime buffers out of RSS (set by the unit and demo.sh). */
export const MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '131072',
  MALLOC_TRIM_THRESHOLD_: '131072',
};

/**
 * V8 flags for a small board (set in NODE_OPTIONS by the unit and demo.sh): a 2 MB young-generation
 * semi-space instead of up to 16 MB. The daemon's short-lived objects are small (pixel and tensor data
 * live outside the JS heap), so scavenges stay cheap; steady RSS on the demo drops ~35 MB (docs/footprint.md).
 */
export const NODE_FOOTPRINT_FLAGS: readonly string[] = ['--max-semi-space-size=2'];

/**
 * V8 flags node takes only on its command line (NODE_OPTIONS refuses them), given by the unit's
 * ExecStart= and demo.sh. --optimize-for-size: with ONNX Runtime off the main thread (ort-native,
 * docs/footprint.md "Fourth round") it cut steady RSS by ~10 MB and the start-up peak by ~100 MB on
 * the demo. The rest keep V8's optimising compiler (TurboFan: panel reading takes ~1.3-1.6x the CPU
 * without it) but make its compiles small and one at a time: --no-concurrent-recompilation compiles
 * on the main thread, so a compile's working memory (zones, malloc'd in 32 KiB pieces) comes from and
 * goes back to the main arena at once instead of piling up on V8's worker threads in a queue of jobs;
 * --max-inlined-bytecode-size-cumulative=460 (V8: 920) halves how much a compile may inline and
 * --max-optimized-bytecode-size=30720 (V8: 61440) leaves the largest functions to baseline code, so
 * each compile's graph is smaller and short enough not to hold the event loop up. The demo's 60 s
 * steady RSS median with these came out as low as without TurboFan (docs/footprint.md "Eleventh
 * round"; the eighth to tenth rounds ran with --no-turbofan instead).
 */
export const NODE_FOOTPRINT_ARGS: readonly string[] = [
  '--optimize-for-size', '--no-concurrent-recompilation', '--max-inlined-bytecode-size-cumulative=460', '--max-optimized-bytecode-size=30720',
];

/** NODE_OPTIONS with the footprint flags added to what `current` has. */
export function withFootprintFlags(current = ''): string {
  const have = current.split(/\s+/).filter(Boolean);
  return [...have, ...NODE_FOOTPRINT_FLAGS.filter((f) => !have.some((h) => h.split('=')[0] === f.split('=')[0]))].join(' ');
}

/**
 * mqtt-packet (under the mqtt client and the embedded aedes broker) builds, on its first write, a
 * table of 65,536 two-byte Buffers for packet ids and lengths: ~7 MB of JS heap for ~65k Buffer
 * objects (a heap snapshot of the daemon, docs/footprint.md). Writing those two bytes fresh costs
 * nothing at faultsense's message rates. Resolved the way the mqtt client resolves it, so the
 * switch reaches the copy the client uses. Returns whether the cache is off.
 */
export function disableMqttNumberCache(): boolean {
  try {
    const fromMqtt = createRequire(createRequire(import.meta.url).resolve('mqtt'));
    const packet = fromMqtt('mqtt-packet') as { writeToStream?: { cacheNumbers?: boolean } };
    if (!packet.writeToStream || !('cacheNumbers' in packet.writeToStream)) return false;
    packet.writeToStream.cacheNumbers = false;
    return packet.writeToStream.cacheNumbers === false;
  } catch {
    return false;
  }
}

export interface FootprintSettings {
  sharpCache: false;
  /** mqtt-packet's 65,536-entry number table is off (see disableMqttNumberCache). */
  mqttNumberCache: boolean;
  sharpConcurrency: number;
  /** MALLOC_* variables the environment lacks (empty when the process started as the unit starts it). */
  mallocEnvMissing: string[];
  /** V8 footprint flags this process did not start with (NODE_OPTIONS or node's own arguments). */
  nodeFlagsMissing: string[];
}

/** Applies the process-wide limits; returns what was applied. */
export function applyFootprintLimits(env: NodeJS.ProcessEnv = process.env, execArgv: readonly string[] = process.execArgv): FootprintSettings {
  sharp.cache(false);
  sharp.concurrency(1);
  return {
    sharpCache: false,
    sharpConcurrency: sharp.concurrency(),
    mqttNumberCache: !disableMqttNumberCache(),
    mallocEnvMissing: Object.keys(MALLOC_ENV).filter((k) => env[k] === undefined),
    nodeFlagsMissing: [...NODE_FOOTPRINT_FLAGS, ...NODE_FOOTPRINT_ARGS].filter((f) => {
      const name = f.split('=')[0]!;
      return ![...(env.NODE_OPTIONS ?? '').split(/\s+/), ...execArgv].some((a) => a.split('=')[0] === name);
    }),
  };
}
