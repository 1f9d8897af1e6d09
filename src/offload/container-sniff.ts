// What a received segment is, decided from its bytes, never from what the job
// says: only the containers the board itself produces are accepted. Playlists
// (HLS m3u8, ffconcat), SDP, images and anything else are refused before
// ffmpeg sees them, since those formats make ffmpeg open other files or URLs.

/** ffmpeg demuxer names of the accepted containers. */
export type Container = 'mov' | 'matroska' | 'mpegts' | 'avi';

/** ISO base media (mp4/mov) top-level boxes a file may start with. */
const ISO_BOXES = new Set(['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot', 'styp']);

export function sniffContainer(bytes: Buffer): Container | undefined {
  if (bytes.length < 12) return undefined;
  if (ISO_BOXES.has(bytes.toString('latin1', 4, 8)) && bytes.readUInt32BE(0) >= 8) return 'mov';
  if (bytes.readUInt32BE(0) === 0x1a45dfa3) return 'matroska'; // EBML header (mkv, webm)
  if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'AVI ') return 'avi';
  // MPEG-TS: a 0x47 sync byte every 188 bytes (checked over the first packets present).
  const packets = Math.min(5, Math.floor(bytes.length / 188));
  if (packets >= 1) {
    let ok = true;
    for (let i = 0; i < packets && ok; i++) ok = bytes[i * 188] === 0x47;
    if (ok) return 'mpegts';
  }
  return undefined;
}

/** A short, printable description of what the bytes start with, for error messages. */
export function describeStart(bytes: Buffer): string {
  const head = bytes.subarray(0, 16);
  const text = head.toString('latin1');
  return /^[\x20-\x7e\r\n\t]*$/.test(text) ? JSON.stringify(text.slice(0, 12)) : head.subarray(0, 8).toString('hex');
}
