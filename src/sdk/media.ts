// Media given to the SDK as a file path, a Buffer or bytes → bytes + a format.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';

export type MediaInput = string | Buffer | Uint8Array;

export interface MediaBytes { bytes: Buffer; ext: string; mime: string; label: string }

const IMAGE: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.bmp': 'image/bmp', '.gif': 'image/gif', '.tif': 'image/tiff', '.tiff': 'image/tiff' };
const AUDIO: Record<string, string> = { '.wav': 'audio/wav', '.mp3': 'audio/mpeg', '.flac': 'audio/flac', '.ogg': 'audio/ogg' };

/** Recognises common formats by their first bytes. */
function sniff(b: Buffer): string | undefined {
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return '.png';
  if (b[0] === 0xff && b[1] === 0xd8) return '.jpg';
  if (b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return '.webp';
  if (b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WAVE') return '.wav';
  if (b.toString('latin1', 0, 3) === 'ID3' || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0)) return '.mp3';
  if (b.toString('latin1', 0, 4) === 'fLaC') return '.flac';
  if (b.toString('latin1', 0, 4) === 'OggS') return '.ogg';
  if (b.toString('latin1', 0, 2) === 'BM') return '.bmp';
  return undefined;
}

export function readMedia(input: MediaInput, kind: 'image' | 'audio'): MediaBytes {
  const table = kind === 'image' ? IMAGE : AUDIO;
  if (typeof input === 'string') {
    const ext = extname(input).toLowerCase();
    if (!table[ext]) throw new TypeError(`${kind} ${input}: "${ext || 'no extension'}" is not a supported ${kind} type (${Object.keys(table).join(' ')})`);
    return { bytes: readFileSync(input), ext, mime: table[ext]!, label: input };
  }
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const ext = sniff(bytes);
  if (!ext || !table[ext]) throw new TypeError(`${kind}: the bytes are not a recognised ${kind} format (${Object.keys(table).join(' ')})`);
  return { bytes, ext, mime: table[ext]!, label: `${kind} bytes` };
}
