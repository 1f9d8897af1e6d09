// Typed view of the addon's ONNX Runtime bridge (native/src/ort_*.cc) and
// where to find ONNX Runtime shared libraries.
import { existsSync, readdirSync } from 'node:fs';
import { arch } from 'node:os';
import { join } from 'node:path';
import { loadNative, PACKAGE_ROOT } from '../system/native.js';

export interface NativeTensorMeta { name: string; type: number; dims: number[] }
export interface NativeTensor { type: number; dims: readonly number[]; data: ArrayBufferView }
export interface NativeOutput extends NativeTensor { name: string }

export interface NativeOrtSession {
  readonly inputs: NativeTensorMeta[];
  readonly outputs: NativeTensorMeta[];
  run(inputNames: string[], tensors: NativeTensor[], outputNames: string[]): Promise<NativeOutput[]>;
  /** The same run on the calling thread (blocks it; for tiny models). */
  runSync(inputNames: string[], tensors: NativeTensor[], outputNames: string[]): NativeOutput[];
  release(): void;
}

export interface EpDeviceInfo {
  epName: string;
  epVendor: string;
  epMetadata: Record<string, string>;
  epOptions: Record<string, string>;
  deviceType?: 'cpu' | 'gpu' | 'npu' | 'unknown';
  vendor?: string;
  vendorId?: number;
  deviceId?: number;
  deviceMetadata?: Record<string, string>;
}

export interface NativeSessionRequest {
  ep?: string;
  options?: Record<string, string>;
  pluginEp?: string;
  config?: Record<string, string>;
  intraOpThreads?: number;
  interOpThreads?: number;
  graphOptimizationLevel?: number;
  logSeverity?: number;
  /** ONNX Runtime's per-session CPU arena (default on). */
  cpuMemArena?: boolean;
  /** Per-shape buffer plans (ONNX Runtime's default: on). */
  memPattern?: boolean;
  executionMode?: 'sequential' | 'parallel';
  /** Run config entries applied to every run, e.g. memory.enable_memory_arena_shrinkage. */
  runConfig?: Record<string, string>;
}

/**
 * Settings of the shared CPU arena (ONNX Runtime's OrtArenaCfg keys): max_mem,
 * arena_extend_strategy (0 next power of two, 1 same as requested),
 * initial_chunk_size_bytes, max_dead_bytes_per_chunk, initial_growth_chunk_size_bytes.
 */
export type SharedArenaSettings = Partial<Record<'max_mem' | 'arena_extend_strategy' | 'initial_chunk_size_bytes' |
  'max_dead_bytes_per_chunk' | 'initial_growth_chunk_size_bytes', number>>;

export interface NativeOrtLibrary {
  readonly path: string;
  readonly version: string;
  readonly apiVersion: number;
  /** True when the library hands out the API-22 table (plugin EPs, EP devices). */
  readonly pluginApi: boolean;
  providers(): string[];
  hasExport(symbol: string): boolean;
  registerPluginLibrary(name: string, path: string): void;
  unregisterPluginLibrary(name: string): void;
  epDevices(): EpDeviceInfo[];
  createSession(model: string | Uint8Array, request: NativeSessionRequest): Promise<NativeOrtSession>;
  /**
   * Registers one CPU arena in the library's environment; sessions created with the
   * config entry session.use_env_allocators=1 allocate from it instead of an arena
   * of their own. Once per library: the same settings again do nothing, others throw.
   */
  registerSharedArena(settings: SharedArenaSettings): void;
  /** "" while no shared arena is registered, else its settings as "key=value,...". */
  readonly sharedArena: string;
}

interface OrtNamespace {
  OrtLibrary: new (path: string) => NativeOrtLibrary;
}

/** The onnxruntime-node package's own libonnxruntime.so.1 for this machine. */
export function defaultOrtLibraryPath(): string {
  const cpu = arch() === 'arm64' ? 'arm64' : arch();
  const bin = join(PACKAGE_ROOT, 'node_modules', 'onnxruntime-node', 'bin');
  const napi = existsSync(bin) ? readdirSync(bin).filter((d) => d.startsWith('napi-v')).sort().reverse() : [];
  for (const dir of napi) {
    const file = join(bin, dir, process.platform, cpu, 'libonnxruntime.so.1');
    if (existsSync(file)) return file;
  }
  return join(bin, 'napi-v6', process.platform, cpu, 'libonnxruntime.so.1');
}

const opened = new Map<string, NativeOrtLibrary>();

/** Opens (once per path) an ONNX Runtime library through the addon. Throws with the dlopen reason. */
export function openOrtLibrary(path: string = defaultOrtLibraryPath()): NativeOrtLibrary {
  const have = opened.get(path);
  if (have) return have;
  const addon = loadNative();
  const ns = addon.ort as OrtNamespace | undefined;
  if (!ns) throw new Error('the native addon was built without the ONNX Runtime bridge; run "npm run build:native"');
  const lib = new ns.OrtLibrary(path);
  opened.set(path, lib);
  return lib;
}
