// Device discovery for `faultsense doctor`: which cameras (V4L2) and which
// microphones (ALSA capture devices) this board has, and the source string to
// put in the config for each. Parsers are pure so they can be tested against
// listings saved from real boards.
import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';

export interface V4l2Group {
  /** Driver/card name as v4l2-ctl prints it, e.g. "HD Pro Webcam C920". */
  name: string;
  /** Bus info, e.g. "usb-0000:01:00.0-1.3" or "platform:bcm2835-codec". */
  bus: string;
  /** Device nodes (/dev/videoN, /dev/mediaN) in listing order. */
  nodes: string[];
}

export interface VideoDevice {
  path: string;
  name: string;
  bus?: string;
  /** False for codec/ISP/statistics nodes that are not cameras. */
  likelyCamera: boolean;
  /** The capture source string for the config. */
  source: string;
}

export interface AudioCaptureDevice {
  card: number;
  device: number;
  cardId: string;
  cardName: string;
  deviceName: string;
  /** ALSA name, e.g. "hw:1,0". */
  alsa: string;
  /** Suggested microphone source (plughw converts rate/channels for us). */
  source: string;
}

export interface SoundCard {
  index: number;
  id: string;
  driver: string;
  name: string;
  longName: string;
}

export interface DeviceReport {
  video: VideoDevice[];
  audio: AudioCaptureDevice[];
  cards: SoundCard[];
  /** Things a person should know (tool missing, nothing found, no permission). */
  notes: string[];
}

/** Parses `v4l2-ctl --list-devices`. */
export function parseV4l2ListDevices(text: string): V4l2Group[] {
  const groups: V4l2Group[] = [];
  let current: V4l2Group | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (!line.trim()) { current = undefined; continue; }
    if (/^\s/.test(line)) {
      const node = line.trim();
      if (current && node.startsWith('/dev/')) current.nodes.push(node);
      continue;
    }
    const m = /^(.*?)\s*\(([^()]*)\):\s*$/.exec(line);
    current = m ? { name: m[1]!.trim(), bus: m[2]!.trim(), nodes: [] } : { name: line.replace(/:\s*$/, '').trim(), bus: '', nodes: [] };
    groups.push(current);
  }
  return groups;
}

const NOT_A_CAMERA = /codec|isp|statistic|params|rpivid|hantro|rkvdec|vpu|mpp|encoder|decoder|m2m|jpeg|deinterlace|rga/i;
/** Capture paths of camera interfaces whose names would otherwise look like ISP internals. */
const CAMERA_HINT = /mainpath|selfpath|unicam|\.csi|usb-|uvc|camera|webcam/i;

function looksLikeCamera(name: string, bus = ''): boolean {
  if (/statistic|params/i.test(name)) return false;
  return CAMERA_HINT.test(name) || CAMERA_HINT.test(bus) || (!NOT_A_CAMERA.test(name) && !NOT_A_CAMERA.test(bus));
}

/** Turns V4L2 groups into devices; the first video node of a camera group is its capture node. */
export function videoDevicesFromGroups(groups: V4l2Group[]): VideoDevice[] {
  const out: VideoDevice[] = [];
  for (const g of groups) {
    const camera = looksLikeCamera(g.name, g.bus);
    const videoNodes = g.nodes.filter((n) => /^\/dev\/video\d+$/.test(n));
    videoNodes.forEach((path, i) => {
      out.push({ path, name: g.name, bus: g.bus || undefined, likelyCamera: camera && i === 0, source: `v4l2:${path}` });
    });
  }
  return out;
}

/** Parses `arecord -l`. */
export function parseArecordList(text: string): AudioCaptureDevice[] {
  const out: AudioCaptureDevice[] = [];
  const re = /^card (\d+): (\S+) \[(.*)\], device (\d+): (.*?)(?: \[(.*)\])?\s*$/;
  for (const line of text.split('\n')) {
    const m = re.exec(line.trim());
    if (!m) continue;
    const card = Number(m[1]);
    const device = Number(m[4]);
    out.push({
      card, device, cardId: m[2]!, cardName: m[3]!, deviceName: m[6] ?? m[5]!,
      alsa: `hw:${card},${device}`, source: `alsa:plughw:${card},${device}`,
    });
  }
  return out;
}

/** Parses /proc/asound/cards (two lines per card). */
export function parseAsoundCards(text: string): SoundCard[] {
  const cards: SoundCard[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(\d+)\s+\[([^\]]*)\]:\s*(.*?)\s+-\s+(.*)$/.exec(lines[i]!);
    if (!m) continue;
    const next = lines[i + 1];
    const longName = next && !/^\s*\d+\s+\[/.test(next) ? next.trim() : m[4]!.trim();
    cards.push({ index: Number(m[1]), id: m[2]!.trim(), driver: m[3]!.trim(), name: m[4]!.trim(), longName });
  }
  return cards;
}

/** Parses /proc/asound/pcm into capture devices (used when arecord is not installed). */
export function parseAsoundPcm(text: string, cards: SoundCard[] = []): AudioCaptureDevice[] {
  const out: AudioCaptureDevice[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+)-(\d+): (.*?) : (.*?) : (.*)$/.exec(line.trim());
    if (!m || !/capture \d+/.test(m[5]!)) continue;
    const card = Number(m[1]);
    const device = Number(m[2]);
    const c = cards.find((x) => x.index === card);
    out.push({
      card, device, cardId: c?.id ?? String(card), cardName: c?.name ?? m[3]!, deviceName: m[4]!,
      alsa: `hw:${card},${device}`, source: `alsa:plughw:${card},${device}`,
    });
  }
  return out;
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<{ ok: boolean; stdout: string; error?: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        resolve({ ok: false, stdout: stdout ?? '', error: code === 'ENOENT' ? 'not installed' : (stderr || err.message).trim().split('\n')[0] });
      } else resolve({ ok: true, stdout });
    });
  });
}

async function readText(path: string): Promise<string | undefined> {
  try { return await readFile(path, 'utf8'); } catch { return undefined; }
}

export interface DiscoveryOptions {
  /** Root for /dev, /sys and /proc (tests). */
  root?: string;
  timeoutMs?: number;
}

/** Lists cameras and microphones on this machine; never throws. */
export async function discoverDevices(opts: DiscoveryOptions = {}): Promise<DeviceReport> {
  const root = opts.root ?? '';
  const timeoutMs = opts.timeoutMs ?? 3000;
  const notes: string[] = [];

  // Cameras: v4l2-ctl when installed, else /dev/video* with names from sysfs.
  let video: VideoDevice[] = [];
  const devNodes = (await readdir(`${root}/dev`).catch(() => [] as string[]))
    .filter((n) => /^video\d+$/.test(n)).map((n) => `/dev/${n}`)
    .sort((a, b) => Number(a.slice(10)) - Number(b.slice(10)));
  const v4l2 = root ? { ok: false, stdout: '', error: 'skipped' } : await run('v4l2-ctl', ['--list-devices'], timeoutMs);
  if (v4l2.ok) {
    video = videoDevicesFromGroups(parseV4l2ListDevices(v4l2.stdout));
  } else {
    if (v4l2.error === 'not installed') notes.push('v4l2-ctl is not installed (apt-get install v4l-utils); camera names come from sysfs');
    for (const path of devNodes) {
      const base = path.slice(5);
      const name = (await readText(`${root}/sys/class/video4linux/${base}/name`))?.trim() ?? base;
      const index = (await readText(`${root}/sys/class/video4linux/${base}/index`))?.trim();
      video.push({ path, name, likelyCamera: looksLikeCamera(name) && (index === undefined || index === '0'), source: `v4l2:${path}` });
    }
  }
  if (video.length === 0) notes.push('no V4L2 video devices found (/dev/video*); plug in a camera or use an rtsp:// or file: source');

  // Microphones: arecord -l when installed, else /proc/asound/pcm.
  const cards = parseAsoundCards((await readText(`${root}/proc/asound/cards`)) ?? '');
  let audio: AudioCaptureDevice[] = [];
  const arecord = root ? { ok: false, stdout: '', error: 'skipped' } : await run('arecord', ['-l'], timeoutMs);
  if (arecord.ok) {
    audio = parseArecordList(arecord.stdout);
  } else {
    if (arecord.error === 'not installed') notes.push('arecord is not installed (apt-get install alsa-utils); using /proc/asound/pcm');
    audio = parseAsoundPcm((await readText(`${root}/proc/asound/pcm`)) ?? '', cards);
  }
  if (audio.length === 0) notes.push('no ALSA capture devices found; plug in a USB microphone or use a file: or rtsp:// source');
  return { video, audio, cards, notes };
}
