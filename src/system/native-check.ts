// Checks that each native module faultsense loads can actually be loaded here
// (the addon, onnxruntime-node's binding, better-sqlite3's binding), so
// `doctor` and `check-config` can report a broken one as a finding with what
// to do, instead of dying with a stack trace when something first imports it.
import { loadNative, nativeAddonPath } from './native.js';

export interface NativeModuleFinding {
  module: 'faultsense-native' | 'onnxruntime-node' | 'better-sqlite3';
  ok: boolean;
  /** What uses it, in words. */
  usedFor: string;
  path?: string;
  error?: string;
  /** What to do when it fails. */
  hint?: string;
}

const firstLine = (err: unknown): string => String((err as Error)?.message ?? err).split('\n')[0]!.slice(0, 300);

const REINSTALL = 'reinstall the faultsense package for this board\'s architecture (or run "npm ci" in a development checkout)';

export async function checkNativeModules(): Promise<NativeModuleFinding[]> {
  const out: NativeModuleFinding[] = [];
  const addon = nativeAddonPath();
  try {
    loadNative();
    out.push({ module: 'faultsense-native', ok: true, usedFor: 'sd_notify, journald, ORT bridge for NPUs', path: addon });
  } catch (err) {
    out.push({ module: 'faultsense-native', ok: false, usedFor: 'sd_notify, journald, ORT bridge for NPUs', path: addon,
      error: firstLine(err), hint: `${REINSTALL}; in a checkout: npm run build:native` });
  }
  try {
    const ort = await import('onnxruntime-node');
    // The binding loads with the module; touching the API makes sure it did.
    void ort.Tensor;
    out.push({ module: 'onnxruntime-node', ok: true, usedFor: 'every model on the CPU and ORT execution providers' });
  } catch (err) {
    out.push({ module: 'onnxruntime-node', ok: false, usedFor: 'every model on the CPU and ORT execution providers',
      error: firstLine(err), hint: REINSTALL });
  }
  try {
    const { default: Database } = await import('better-sqlite3');
    new Database(':memory:').close();
    out.push({ module: 'better-sqlite3', ok: true, usedFor: 'the MQTT outbox and the feature cache' });
  } catch (err) {
    out.push({ module: 'better-sqlite3', ok: false, usedFor: 'the MQTT outbox and the feature cache', error: firstLine(err), hint: REINSTALL });
  }
  return out;
}

/** One sentence per failing module. */
export function nativeFindings(list: NativeModuleFinding[]): string[] {
  return list.filter((m) => !m.ok).map((m) => `native module ${m.module} cannot be loaded (${m.error}); it is needed for ${m.usedFor}; ${m.hint}`);
}
