// Source strings: the short form of a camera or microphone input, used by the
// --camera/--microphone flags and the `source:` config key. Parsing turns the
// string into a tagged record; anything malformed is a SourceStringError, a
// configuration error (exit 2). The config schema runs the same parser, so a
// bad string is reported by check-config with its key path. The grammar is part
// of the configuration language, so it lives here; capture/ turns a parsed spec
// into an ffmpeg input.
import { BadInputError } from '../system/errors.js';

export class SourceStringError extends BadInputError {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError'; // reported like any other configuration error
  }
}

export type SourceSpec =
  | { kind: 'v4l2'; device: string; inputFormat?: string; size?: string; fps?: number }
  | { kind: 'rtsp'; url: string }
  | { kind: 'http'; url: string }
  | { kind: 'file'; path: string; loop: boolean; realtime: boolean }
  | { kind: 'lavfi'; graph: string }
  | { kind: 'alsa'; device: string }
  | { kind: 'image'; path: string }
  | { kind: 'dir'; path: string };

export type SourceRole = 'camera' | 'microphone';

const CAMERA_KINDS: ReadonlySet<SourceSpec['kind']> = new Set(['v4l2', 'rtsp', 'http', 'file', 'lavfi', 'image', 'dir']);
const MICROPHONE_KINDS: ReadonlySet<SourceSpec['kind']> = new Set(['alsa', 'rtsp', 'http', 'file', 'lavfi']);

const FORMS: Record<SourceRole, string> = {
  camera: '/dev/video0, v4l2:/dev/video0[?format=mjpeg&size=1280x720&fps=30], rtsp://HOST/PATH, http(s)://HOST/PATH, ' +
    'file:PATH[?loop=1][&realtime=0], lavfi:GRAPH, image:PATH, dir:PATH',
  microphone: 'alsa:hw:1,0, file:PATH[?loop=1][&realtime=0], lavfi:GRAPH, rtsp://HOST/PATH (its audio track)',
};

function fail(key: string, source: string, why: string, role: SourceRole): never {
  const where = key ? `${key}: ` : '';
  throw new SourceStringError(`${where}${JSON.stringify(source)} ${why}; expected one of: ${FORMS[role]}`);
}

function parseFlag(key: string, source: string, name: string, value: string, role: SourceRole): boolean {
  if (value === '1' || value === 'true' || value === 'yes') return true;
  if (value === '0' || value === 'false' || value === 'no') return false;
  return fail(key, source, `has ${name}=${value} (use ${name}=1 or ${name}=0)`, role);
}

/** Splits "PATH?a=1&b=2" into the path and its options; only the last '?' starts options. */
function splitQuery(rest: string): { path: string; query: Map<string, string> } {
  const q = rest.lastIndexOf('?');
  const query = new Map<string, string>();
  if (q < 0 || !/^[a-z_]+=/.test(rest.slice(q + 1))) return { path: rest, query };
  for (const part of rest.slice(q + 1).split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    query.set(eq < 0 ? part : part.slice(0, eq), eq < 0 ? '' : part.slice(eq + 1));
  }
  return { path: rest.slice(0, q), query };
}

function parseUrl(key: string, source: string, role: SourceRole): URL {
  try {
    return new URL(source);
  } catch {
    return fail(key, source, 'is not a valid URL', role);
  }
}

/**
 * Parses a source string for a camera or microphone. `key` names the config key
 * or flag in error messages (e.g. "capture.camera.source" or "--camera").
 */
export function parseSourceString(source: string, role: SourceRole, key = `capture.${role}.source`): SourceSpec {
  const s = source.trim();
  if (!s) fail(key, source, 'is empty', role);
  let spec: SourceSpec;
  if (/^rtsps?:\/\//i.test(s)) {
    const url = parseUrl(key, s, role);
    if (!url.hostname) fail(key, source, 'has no host name', role);
    spec = { kind: 'rtsp', url: s };
  } else if (/^https?:\/\//i.test(s)) {
    const url = parseUrl(key, s, role);
    if (!url.hostname) fail(key, source, 'has no host name', role);
    spec = { kind: 'http', url: s };
  } else if (s.startsWith('/dev/video') || s.startsWith('v4l2:')) {
    const { path, query } = splitQuery(s.startsWith('v4l2:') ? s.slice(5) : s);
    if (!/^\/dev\/[A-Za-z0-9_./-]+$/.test(path)) fail(key, source, 'does not name a device node such as /dev/video0', role);
    const v: Extract<SourceSpec, { kind: 'v4l2' }> = { kind: 'v4l2', device: path };
    for (const [name, value] of query) {
      if (name === 'format') v.inputFormat = value;
      else if (name === 'size') {
        if (!/^\d+x\d+$/.test(value)) fail(key, source, `has size=${value} (use WIDTHxHEIGHT, e.g. 1280x720)`, role);
        v.size = value;
      } else if (name === 'fps') {
        const n = Number(value);
        if (!(n > 0)) fail(key, source, `has fps=${value} (use a positive number)`, role);
        v.fps = n;
      } else fail(key, source, `has an unknown option "${name}" (v4l2 takes format, size, fps)`, role);
    }
    spec = v;
  } else {
    const colon = s.indexOf(':');
    const scheme = colon > 0 ? s.slice(0, colon).toLowerCase() : '';
    const rest = colon > 0 ? s.slice(colon + 1) : '';
    switch (scheme) {
      case 'file': {
        const { path, query } = splitQuery(rest.replace(/^\/\/(?=\/)/, ''));
        if (!path) fail(key, source, 'has no file path after "file:"', role);
        let loop = false;
        let realtime = true;
        for (const [name, value] of query) {
          if (name === 'loop') loop = parseFlag(key, source, name, value, role);
          else if (name === 'realtime') realtime = parseFlag(key, source, name, value, role);
          else fail(key, source, `has an unknown option "${name}" (file takes loop, realtime)`, role);
        }
        spec = { kind: 'file', path, loop, realtime };
        break;
      }
      case 'lavfi':
        if (!rest.trim()) fail(key, source, 'has no filter graph after "lavfi:" (e.g. lavfi:testsrc2=size=640x360:rate=10)', role);
        spec = { kind: 'lavfi', graph: rest };
        break;
      case 'alsa':
        if (!/^[A-Za-z0-9_:,=.-]+$/.test(rest)) fail(key, source, 'does not name an ALSA device such as hw:1,0 or plughw:1,0', role);
        spec = { kind: 'alsa', device: rest };
        break;
      case 'image':
      case 'dir':
        if (!rest) fail(key, source, `has no path after "${scheme}:"`, role);
        spec = { kind: scheme, path: rest };
        break;
      default:
        return fail(key, source, 'is not a source string', role);
    }
  }
  const allowed = role === 'camera' ? CAMERA_KINDS : MICROPHONE_KINDS;
  if (!allowed.has(spec.kind)) fail(key, source, `is a ${spec.kind} source, which cannot be used as a ${role}`, role);
  return spec;
}

/** A short label for logs and status: the source string with any URL password hidden. */
export function describeSource(spec: SourceSpec): string {
  switch (spec.kind) {
    case 'rtsp':
    case 'http': {
      try {
        const u = new URL(spec.url);
        if (u.password) u.password = '***';
        return u.toString();
      } catch {
        return spec.kind;
      }
    }
    case 'v4l2': return `v4l2:${spec.device}`;
    case 'file': return `file:${spec.path}`;
    case 'lavfi': return `lavfi:${spec.graph}`;
    case 'alsa': return `alsa:${spec.device}`;
    case 'image': return `image:${spec.path}`;
    case 'dir': return `dir:${spec.path}`;
  }
}

/** The problem with a source string in words, or undefined when it parses (used by the config schema). */
export function sourceStringProblem(source: string, role: SourceRole): string | undefined {
  try {
    parseSourceString(source, role, '');
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
