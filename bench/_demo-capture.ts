// The demo's capture as the CPU benches measure it (bench/capture-cpu.ts, bench/footprint.ts):
// the camera and microphone commands the daemon runs for config/demo.yaml, at the rate the
// daemon's camera delivers (capture/camera-rate.ts: the vision analysis rate when nothing needs
// more), and the peers built from them. Every peer — ffmpeg alone writing to /dev/null, a bare
// Node reader, faultsense's capture alone — runs the very same two commands, so each decodes the
// same input and produces the same frames and samples; they differ only in where the output goes
// and who reads it. BENCH_CAMERA_RATE=configured runs everything at capture.camera.fps instead
// (the daemon before the camera followed the analysis rate).
import { parse as parseYaml } from 'yaml';
import { daemonCameraRate, type CameraRate } from '../src/capture/camera-rate.js';
import { cameraCommand, microphoneCommand } from '../src/capture/ffmpeg-args.js';
import type { ChildCommand } from '../src/capture/child-supervisor.js';
import { analysisSchema } from '../src/config/sections/analysis.js';
import { cameraSchema, captureSchema, microphoneSchema, type CameraConfig, type MicrophoneConfig } from '../src/config/sections/capture.js';
import { parseSourceString } from '../src/config/source-string.js';

export interface DemoCapture {
  camCfg: CameraConfig;
  micCfg: MicrophoneConfig;
  /** What the daemon's camera delivers for this configuration. */
  rate: CameraRate;
  cam: ChildCommand;
  mic: ChildCommand;
}

/** From the demo configuration's text (paths already absolute). `configured`: the camera at capture.camera.fps. */
export function demoCapture(yamlText: string, configured = process.env.BENCH_CAMERA_RATE === 'configured'): DemoCapture {
  const demo = parseYaml(yamlText) as { capture: Record<string, unknown> & { camera: Record<string, unknown>; microphone: Record<string, unknown> }; analysis?: Record<string, unknown> };
  const camCfg = cameraSchema.parse(demo.capture.camera);
  const micCfg = microphoneSchema.parse(demo.capture.microphone);
  const capture = captureSchema.parse(demo.capture);
  const analysis = analysisSchema.parse(demo.analysis ?? {});
  const rate: CameraRate = configured
    ? { fps: camCfg.fps, configuredFps: camCfg.fps, reason: 'BENCH_CAMERA_RATE=configured' }
    : daemonCameraRate(capture, analysis.visionIntervalMs);
  const cam = cameraCommand(parseSourceString(camCfg.source, 'camera'), { ...camCfg, fps: rate.fps });
  const mic = microphoneCommand(parseSourceString(micCfg.source, 'microphone'), { ...micCfg });
  return { camCfg, micCfg, rate, cam, mic };
}

/** The same commands writing to /dev/null, for a shell line. */
export function ffmpegAloneShell(d: DemoCapture): string {
  const toNull = (args: string[]) => ['-y', ...args.slice(0, -1), '/dev/null'];
  const q = (a: string) => `'${a.replaceAll("'", "'\\''")}'`;
  return `${[d.cam.command, ...toNull(d.cam.args)].map(q).join(' ')} & ${[d.mic.command, ...toNull(d.mic.args)].map(q).join(' ')} & wait`;
}

/** `node -e` script: reads the commands' stdout (JSON of [[cmd, ...args], ...] in argv[1]) and discards it. */
export const BARE_READER = `const {spawn}=require('node:child_process');let n=0;
const a=JSON.parse(process.argv[1]);const ps=a.map(([c,...r])=>spawn(c,r,{stdio:['ignore','pipe','ignore']}));
for(const p of ps)p.stdout.on('data',(b)=>{n+=b.length;});
process.on('SIGTERM',()=>{for(const p of ps)p.kill('SIGKILL');process.exit(0);});`;

export function bareReaderArgs(d: DemoCapture): string[] {
  return [JSON.stringify([[d.cam.command, ...d.cam.args], [d.mic.command, ...d.mic.args]])];
}

/**
 * `node -e` script (run in the repository root): faultsense's CameraSource (the daemon's frame pool,
 * the daemon's rate) and MicrophoneSource, no analysis. argv[1]: JSON of [camera, microphone, rate].
 */
export const CAPTURE_ALONE = `(async()=>{const {CameraSource}=await import('./dist/capture/camera-source.js');const {MicrophoneSource}=await import('./dist/capture/microphone-source.js');
const {configureLogging}=await import('./dist/system/logger.js');configureLogging({level:'warn',json:true});
const [c,m,rate]=JSON.parse(process.argv[1]);const cam=new CameraSource(c,{pool:true,rate});const mic=new MicrophoneSource(m);let x=0;
cam.consume((f)=>{x^=f.data[0];});mic.consume((w)=>{x^=w.samples[0];});await cam.start();await mic.start();
process.on('SIGTERM',async()=>{await cam.stop();await mic.stop();process.exit(0);});})()`;

export function captureAloneArgs(d: DemoCapture): string[] {
  return [JSON.stringify([d.camCfg, d.micCfg, d.rate])];
}

export const median = (xs: number[]): number => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Quartiles by linear interpolation (the spread the benches report with their medians). */
export function quartiles(xs: number[]): [number, number] {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => {
    if (!s.length) return 0;
    const i = p * (s.length - 1);
    const lo = Math.floor(i);
    return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (i - lo);
  };
  return [at(0.25), at(0.75)];
}
