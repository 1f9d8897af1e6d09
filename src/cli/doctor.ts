// `faultsense doctor [--json]`: what this board has and what faultsense can
// use: accelerators (from the file system), the ONNX Runtime libraries and
// their providers, cameras and microphones, models, and the helper programs.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { arch, cpus, totalmem } from 'node:os';
import type { Command } from 'commander';
import { discoverDevices, type DeviceReport } from '../capture/discovery.js';
import { defaultOrtLibraryPath, type EpDeviceInfo, openOrtLibrary } from '../inference/native-ort.js';
import { probeAccelerators, type ProbeResult } from '../inference/probe.js';
import { checkNativeModules, nativeFindings, type NativeModuleFinding } from '../system/native-check.js';
import { printJson } from './errors.js';
import { choosePrecision, settingFor } from '../inference/precision-policy.js';
import type { ModelsFlags } from './models.js';

interface DoctorFlags extends ModelsFlags {
  root?: string;
}

export interface OrtLibraryReport {
  path: string;
  source: 'onnxruntime-node' | 'config';
  ok: boolean;
  version?: string;
  providers?: string[];
  /** Legacy EP appends the library exports (VSINPU, CUDA, TensorRT). */
  legacyExports?: string[];
  epDevices?: EpDeviceInfo[];
  error?: string;
}

function programVersion(cmd: string, args: string[]): { present: boolean; version?: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 5000 });
  if (r.error) return { present: false };
  const text = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
  const line = text.split('\n').find((l) => /version|\d+\.\d+/i.test(l));
  return { present: true, ...(line ? { version: line.trim().slice(0, 120) } : {}) };
}

export function ortLibraryReport(path: string, source: OrtLibraryReport['source']): OrtLibraryReport {
  if (!existsSync(path)) return { path, source, ok: false, error: 'file does not exist' };
  try {
    const lib = openOrtLibrary(path);
    const legacy = ['VSINPU', 'CUDA', 'Tensorrt'].filter((n) => lib.hasExport(`OrtSessionOptionsAppendExecutionProvider_${n}`));
    let epDevices: EpDeviceInfo[] | undefined;
    try { epDevices = lib.pluginApi ? lib.epDevices() : undefined; } catch { epDevices = undefined; }
    return { path, source, ok: true, version: lib.version, providers: lib.providers(), legacyExports: legacy, ...(epDevices ? { epDevices } : {}) };
  } catch (err) {
    return { path, source, ok: false, error: (err as Error).message };
  }
}

export interface DoctorReport {
  system: { arch: string; cpus: number; memoryMiB: number };
  accelerators: ProbeResult;
  onnxruntime: { ortNode: string[]; libraries: OrtLibraryReport[] };
  capture: DeviceReport | { error: string };
  models: Array<Record<string, unknown>> | { error: string };
  programs: Record<string, { present: boolean; version?: string }>;
  /** Each native module and whether it loads here. */
  native: NativeModuleFinding[];
  /** Problems found, one sentence each (empty when none). */
  findings: string[];
}

export async function doctorReport(flags: DoctorFlags): Promise<DoctorReport> {
  const accelerators = probeAccelerators(flags.root ?? '/');
  let models: DoctorReport['models'];
  const libraries: OrtLibraryReport[] = [ortLibraryReport(defaultOrtLibraryPath(), 'onnxruntime-node')];
  // Checked first, and what needs them imported only afterwards: a broken binding is a finding, not a crash.
  const native = await checkNativeModules();
  const ortNodeOk = native.find((m) => m.module === 'onnxruntime-node')?.ok === true;
  try {
    if (!ortNodeOk) throw new Error('not listed: onnxruntime-node cannot be loaded (see native)');
    const { listModels, openInference } = await import('./models.js');
    const ctx = openInference({ ...flags, json: true });
    models = listModels(ctx.registry).map((row) => {
      // The precision each model would run at on each configured accelerator (inference.precision; nothing is loaded).
      const m = ctx.registry.get(String(row.id));
      const setting = settingFor(ctx.config.inference.precision, m.id);
      const precision = ctx.config.inference.accelerators.map((a) => {
        const c = choosePrecision(m, a, setting, ctx.registry.pairReady(m));
        return { accelerator: `${a.backend}/${a.ep}`, precision: c.precision, reason: c.reason };
      });
      // OCR variants gated as a pair (detector + recogniser): the partner, whether the pair passed and is active together.
      const pair = m.variant?.pair ? { partner: m.variant.pair.partner, passed: m.variant.pair.passed, onlyAsPair: !m.variant.gate.passed, partnerActive: ctx.registry.pairReady(m) || ctx.registry.activeVersion(m.variant.pair.partner.split('@')[0]!) === m.variant.pair.partner.split('@')[1], figures: m.variant.pair.figures } : undefined;
      return { ...row, precisionSetting: setting, precision, ...(pair ? { pair } : {}) };
    });
    for (const a of ctx.config.inference.accelerators) {
      if (a.backend === 'ort-native' && a.library && !libraries.some((l) => l.path === a.library)) {
        libraries.push(ortLibraryReport(a.library, 'config'));
      }
    }
  } catch (err) {
    models = { error: (err as Error).message };
  }
  const ortNode = ortNodeOk
    ? await import('../inference/backend-ort-node.js').then(({ OrtNodeBackend }) => new OrtNodeBackend().providers()).catch(() => [])
    : [];
  const capture = await discoverDevices(flags.root ? { root: flags.root } : {}).catch((err: Error) => ({ error: err.message }));
  return {
    system: { arch: arch(), cpus: cpus().length, memoryMiB: Math.round(totalmem() / 1048576) },
    accelerators,
    onnxruntime: { ortNode, libraries },
    capture,
    models,
    programs: {
      ffmpeg: programVersion('ffmpeg', ['-version']),
      ffprobe: programVersion('ffprobe', ['-version']),
      mosquitto: programVersion('mosquitto', ['-h']),
    },
    native,
    findings: [
      ...nativeFindings(native),
      ...libraries.filter((l) => !l.ok && l.source === 'config').map((l) => `ORT library ${l.path} from the configuration is not usable: ${l.error}`),
    ],
  };
}

function printHuman(r: DoctorReport): void {
  const out: string[] = [];
  out.push(`system: ${r.system.arch}, ${r.system.cpus} CPUs, ${r.system.memoryMiB} MiB`);
  out.push(`SoC: ${r.accelerators.soc ?? 'unknown (no device tree)'}`);
  if (r.accelerators.devices.length === 0) out.push('accelerators: none found (models run on the CPU)');
  for (const d of r.accelerators.devices) {
    out.push(`  ${d.kind} ${d.node} ${d.description}${d.ep ? ` → ONNX Runtime EP ${d.ep}` : ''}${d.note ? ` (${d.note})` : ''}`);
  }
  out.push(`suggested inference.accelerators: ${r.accelerators.suggested.map((s) => `${s.backend}/${s.ep}`).join(', ')}`);
  out.push(`onnxruntime-node backends: ${r.onnxruntime.ortNode.join(', ')}`);
  for (const l of r.onnxruntime.libraries) {
    out.push(l.ok
      ? `ORT ${l.version} ${l.path}: ${l.providers!.join(', ')}${l.legacyExports?.length ? `; exports ${l.legacyExports.join(', ')}` : ''}`
      : `ORT library ${l.path}: NOT usable: ${l.error}`);
  }
  if ('error' in r.capture) out.push(`capture devices: ${r.capture.error}`);
  else {
    out.push(`cameras: ${r.capture.video.filter((v) => v.likelyCamera).map((v) => `${v.path} (${v.name})`).join(', ') || 'none'}`);
    out.push(`microphones: ${r.capture.audio.map((a) => `${a.source} (${a.cardName})`).join(', ') || 'none'}`);
    for (const n of r.capture.notes) out.push(`  note: ${n}`);
  }
  if ('error' in r.models) out.push(`models: ${r.models.error}`);
  else {
    for (const m of r.models) {
      const p = (m.precision as Array<{ accelerator: string; precision: string }> | undefined)?.[0];
      const pair = m.pair as { partner: string; passed: boolean; partnerActive: boolean } | undefined;
      const pairText = pair ? `, pair with ${pair.partner} (pair gate ${pair.passed ? 'passed' : 'FAILED'}${pair.partnerActive ? ', active together' : ', partner not active'})` : '';
      out.push(`model ${String(m.id)}: active ${String(m.active)}${p ? `, ${p.precision} on ${p.accelerator}` : ''}${pairText}${m.lastFailure ? ' (last failure recorded)' : ''}`);
    }
  }
  for (const [name, p] of Object.entries(r.programs)) out.push(`${name}: ${p.present ? p.version ?? 'present' : 'MISSING'}`);
  for (const m of r.native) out.push(`native ${m.module}: ${m.ok ? 'loads' : `FAILS: ${m.error}`}`);
  out.push(r.findings.length ? `findings:\n${r.findings.map((f) => `  - ${f}`).join('\n')}` : 'findings: none');
  process.stdout.write(out.join('\n') + '\n');
}

export function register(program: Command): void {
  program.command('doctor')
    .description('report accelerators, ONNX Runtime providers, cameras, microphones, models and helper programs')
    .option('-c, --config <file>', 'configuration file (default /etc/faultsense/config.yaml if present)')
    .option('--state-dir <dir>', 'state directory holding the registry state')
    .option('--root <dir>', 'read /dev, /sys and /proc under this directory (testing)')
    .option('--json', 'print one JSON document on stdout')
    .action(async (flags: DoctorFlags) => {
      const report = await doctorReport(flags);
      if (flags.json) printJson(report);
      else printHuman(report);
    });
}
