// The worker's container check on real files: what ffmpeg writes for each
// accepted container is recognised; playlists, concat lists, images and text
// are not, whatever their name says. Signatures: right key, wrong key, none.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { IPublishPacket } from 'mqtt';
import { sniffContainer } from '../../src/offload/container-sniff.js';
import { decodeFrames } from '../../src/offload/ffmpeg-video.js';
import { loadSharedKey, signedProperties, verifySignature } from '../../src/offload/signing.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';

test('containers are told from the bytes: mp4, mov, mkv, webm, MPEG-TS and AVI in; playlists and the rest out', async (t) => {
  if (!requireProgram(t, 'ffmpeg')) return;
  const dir = tempDir();
  const make = (name: string, codec: string[]) => {
    const file = join(dir, name);
    const r = spawnSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=s=64x48:r=5:d=1', ...codec, file], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return readFileSync(file);
  };
  const x264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];
  assert.equal(sniffContainer(make('a.mp4', x264)), 'mov');
  assert.equal(sniffContainer(make('a.mov', x264)), 'mov');
  assert.equal(sniffContainer(make('a.mkv', x264)), 'matroska');
  assert.equal(sniffContainer(make('a.webm', ['-c:v', 'libvpx', '-deadline', 'realtime'])), 'matroska');
  assert.equal(sniffContainer(make('a.ts', x264)), 'mpegts');
  assert.equal(sniffContainer(make('a.avi', ['-c:v', 'mjpeg'])), 'avi');
  const refused = {
    hls: `#EXTM3U\n#EXTINF:10,\nfile://${join(dir, 'a.mp4')}\n#EXT-X-ENDLIST\n`,
    ffconcat: `ffconcat version 1.0\nfile '${join(dir, 'a.mp4')}'\n`,
    sdp: 'v=0\no=- 0 0 IN IP4 127.0.0.1\ns=x\nc=IN IP4 127.0.0.1\nm=video 5004 RTP/AVP 96\n',
    text: 'just some text that is long enough',
  };
  for (const [name, text] of Object.entries(refused)) assert.equal(sniffContainer(Buffer.from(text)), undefined, name);
  assert.equal(sniffContainer(make('a.png', ['-frames:v', '1'])), undefined, 'png');
  assert.equal(sniffContainer(make('a.jpg', ['-frames:v', '1'])), undefined, 'jpeg');
  // Named .m3u8 but an mp4 inside: decoded as mp4 with the demuxer fixed.
  writeFileSync(join(dir, 'named.m3u8'), readFileSync(join(dir, 'a.mp4')));
  const frames = [];
  for await (const f of decodeFrames(join(dir, 'named.m3u8'), { sampleFps: 5, inputFormat: 'mov' })) frames.push(f);
  assert.equal(frames.length, 5);
  // A playlist forced through a fixed demuxer is an error, not a read of the file it names.
  writeFileSync(join(dir, 'list.m3u8'), refused.hls);
  await assert.rejects(async () => { for await (const _f of decodeFrames(join(dir, 'list.m3u8'), { sampleFps: 5, inputFormat: 'mov' })) { /* none */ } },
    /ffprobe|ffmpeg|invalid|no video/i);
});

test('signatures: the right key verifies, a wrong key, a changed topic or payload and none do not; short keys are refused', () => {
  const dir = tempDir();
  const keyFile = join(dir, 'k');
  writeFileSync(keyFile, 'ab'.repeat(16) + '\n');
  const key = loadSharedKey(keyFile)!;
  const payload = Buffer.from('{"v":1}');
  const packet = (props: ReturnType<typeof signedProperties>) => ({ properties: props }) as unknown as IPublishPacket;
  const signed = packet(signedProperties(key, 'fs/offload/jobs', payload));
  assert.equal(verifySignature(key, 'fs/offload/jobs', payload, signed), true);
  assert.equal(verifySignature(Buffer.from('cd'.repeat(16)), 'fs/offload/jobs', payload, signed), false);
  assert.equal(verifySignature(key, 'fs/offload/other', payload, signed), false);
  assert.equal(verifySignature(key, 'fs/offload/jobs', Buffer.from('{"v":2}'), signed), false);
  assert.equal(verifySignature(key, 'fs/offload/jobs', payload, packet({})), false);
  assert.equal(verifySignature(undefined, 'fs/offload/jobs', payload, packet({})), true, 'no key configured: nothing checked');
  writeFileSync(keyFile, 'short');
  assert.throws(() => loadSharedKey(keyFile), /holds 5 bytes; use at least 16/);
  assert.throws(() => loadSharedKey(join(dir, 'missing')), /cannot be read/);
});
