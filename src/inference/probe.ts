// Accelerator probe: what the board has, read from the file system only, so
// it runs without privileges and can be tested against fixture trees. `root`
// is "/" on a real board.
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { AcceleratorConfig } from '../config/sections/inference.js';

export type AcceleratorKind = 'npu' | 'gpu' | 'dsp';

export interface AcceleratorDevice {
  kind: AcceleratorKind;
  /** Device node, e.g. /dev/accel/accel0. */
  node: string;
  driver?: string;
  vendor: string;
  description: string;
  /** The ONNX Runtime execution provider that reaches it, when there is one. */
  ep?: string;
  note?: string;
}

export interface ProbeResult {
  root: string;
  /** /proc/device-tree/compatible entries (board first, SoC last). */
  compatible: string[];
  soc?: string;
  devices: AcceleratorDevice[];
  /** Accelerator preference to put in inference.accelerators, best first, CPU last. */
  suggested: AcceleratorConfig[];
}

/** What a kernel driver name tells us. */
const DRIVERS: Record<string, Omit<AcceleratorDevice, 'node' | 'driver'>> = {
  rocket: { kind: 'npu', vendor: 'Rockchip', description: 'Rockchip NPU (mainline "rocket" accel driver)', note: 'mainline Linux driver; userspace is Mesa Teflon (TFLite), no ONNX Runtime EP yet' },
  rknpu: { kind: 'npu', vendor: 'Rockchip', description: 'Rockchip NPU (vendor RKNPU driver)', note: 'reached through RKNN toolkit models (.rknn), not ONNX Runtime; ONNX models run on CPU' },
  ethosu: { kind: 'npu', vendor: 'Arm', description: 'Arm Ethos-U NPU', note: 'Vela-compiled TFLite models; no ONNX Runtime EP' },
  ivpu: { kind: 'npu', vendor: 'Intel', description: 'Intel NPU (ivpu)', ep: 'OpenVINO' },
  amdxdna: { kind: 'npu', vendor: 'AMD', description: 'AMD XDNA NPU', ep: 'VitisAI' },
  qaic: { kind: 'npu', vendor: 'Qualcomm', description: 'Qualcomm Cloud AI accelerator', ep: 'QNN' },
  galcore: { kind: 'npu', vendor: 'VeriSilicon', description: 'VeriSilicon Vivante GPU/NPU (galcore)', ep: 'VSINPU' },
  hailo: { kind: 'npu', vendor: 'Hailo', description: 'Hailo AI accelerator', note: 'HailoRT (.hef models); no ONNX Runtime EP in stock builds' },
  fastrpc: { kind: 'dsp', vendor: 'Qualcomm', description: 'Qualcomm Hexagon DSP/NPU (FastRPC)', ep: 'QNN' },
  etnaviv: { kind: 'gpu', vendor: 'Vivante', description: 'Vivante GPU (etnaviv)' },
  panfrost: { kind: 'gpu', vendor: 'Arm', description: 'Arm Mali GPU (panfrost)' },
  panthor: { kind: 'gpu', vendor: 'Arm', description: 'Arm Mali GPU (panthor)' },
  msm: { kind: 'gpu', vendor: 'Qualcomm', description: 'Qualcomm Adreno GPU (msm)' },
  i915: { kind: 'gpu', vendor: 'Intel', description: 'Intel GPU (i915)' },
  xe: { kind: 'gpu', vendor: 'Intel', description: 'Intel GPU (xe)' },
  amdgpu: { kind: 'gpu', vendor: 'AMD', description: 'AMD GPU (amdgpu)' },
  nvidia: { kind: 'gpu', vendor: 'NVIDIA', description: 'NVIDIA GPU', ep: 'CUDA' },
  v3d: { kind: 'gpu', vendor: 'Broadcom', description: 'Broadcom VideoCore GPU (v3d)' },
  vc4: { kind: 'gpu', vendor: 'Broadcom', description: 'Broadcom VideoCore display (vc4)' },
};

/** Display controllers with render nodes that do no compute worth reporting. */
const DISPLAY_ONLY = new Set(['rockchip-drm', 'imx-drm', 'imx-dcss', 'mxsfb', 'simpledrm', 'msm_dpu', 'sun4i-drm']);

function list(dir: string, pattern: RegExp): string[] {
  try {
    return readdirSync(dir).filter((n) => pattern.test(n)).sort();
  } catch {
    return [];
  }
}

/** Driver name from a sysfs device's `driver` symlink (dangling links are fine). */
function driverOf(deviceDir: string): string | undefined {
  try {
    return basename(readlinkSync(join(deviceDir, 'driver')));
  } catch {
    return undefined;
  }
}

function describe(driver: string, node: string): AcceleratorDevice {
  const known = DRIVERS[driver.toLowerCase()];
  if (known) return { ...known, node, driver };
  return { kind: 'gpu', node, driver, vendor: 'unknown', description: `device with driver ${driver}` };
}

export function readCompatible(root: string): string[] {
  try {
    return readFileSync(join(root, 'proc/device-tree/compatible'), 'latin1').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** Probes the accelerators visible under `root` (default "/"). */
export function probeAccelerators(root = '/'): ProbeResult {
  const devices: AcceleratorDevice[] = [];
  // DRM accel subsystem: /dev/accel/accelN ↔ /sys/class/accel/accelN/device/driver
  for (const n of list(join(root, 'dev/accel'), /^accel\d+$/)) {
    const driver = driverOf(join(root, 'sys/class/accel', n, 'device'));
    devices.push(driver ? describe(driver, `/dev/accel/${n}`) : { kind: 'npu', node: `/dev/accel/${n}`, vendor: 'unknown', description: 'accel device, driver unknown' });
  }
  // Render nodes: GPUs, and the vendor RKNPU driver, which registers as DRM.
  for (const n of list(join(root, 'dev/dri'), /^renderD\d+$/)) {
    const driver = driverOf(join(root, 'sys/class/drm', n, 'device'));
    if (driver && !DISPLAY_ONLY.has(driver)) devices.push(describe(driver, `/dev/dri/${n}`));
  }
  if (existsSync(join(root, 'dev/galcore'))) devices.push(describe('galcore', '/dev/galcore'));
  if (existsSync(join(root, 'dev/rknpu'))) devices.push(describe('rknpu', '/dev/rknpu'));
  for (const n of list(join(root, 'dev'), /^hailo\d+$/)) devices.push(describe('hailo', `/dev/${n}`));
  for (const n of list(join(root, 'dev'), /^fastrpc-/)) {
    const d = describe('fastrpc', `/dev/${n}`);
    const domain = n.slice('fastrpc-'.length);
    devices.push({ ...d, description: `${d.description}, ${domain} domain`, ...(domain.startsWith('cdsp') ? {} : { ep: undefined, note: 'QNN runs on the cdsp domain' }) });
  }
  for (const n of list(join(root, 'dev'), /^nvidia\d+$/)) devices.push(describe('nvidia', `/dev/${n}`));

  const compatible = readCompatible(root);
  const suggested: AcceleratorConfig[] = [];
  const seen = new Set<string>();
  for (const d of devices) {
    if (!d.ep || seen.has(d.ep)) continue;
    seen.add(d.ep);
    const precision = d.kind === 'npu' || d.kind === 'dsp' ? 'int8' : undefined;
    const options: Record<string, string> = d.ep === 'QNN' ? { backend_type: 'htp' } : {};
    suggested.push({ backend: 'ort-native', ep: d.ep, options, ...(precision ? { precision } : {}) });
  }
  suggested.push({ backend: 'ort-node', ep: 'cpu', options: {} });
  return { root, compatible, ...(compatible.length ? { soc: compatible.at(-1) } : {}), devices, suggested };
}
