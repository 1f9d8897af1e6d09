// Hostile files given to the CLI (issue 21, finding 9): a 31 KB PNG claiming
// 16000×16000 pixels, a dangling symbolic link in --image-dir and a YAML alias
// bomb are each refused with exit 2 and a message that names the problem,
// before anything costly happens.
import assert from 'node:assert/strict';
import { symlinkSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { deflateSync, crc32 } from 'node:zlib';
import { REPO_ROOT, runCliSync } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** A valid 1-bit grayscale PNG of width × height, all black: tiny on disk, huge once decoded to RGB. */
function hugePng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; ihdr[9] = 0; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0; // 1 bit, grayscale
  const row = 1 + Math.ceil(width / 8);
  const raw = Buffer.alloc(row * height); // filter 0, all zero
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

test('a 16000×16000 PNG is refused before decoding (exit 2, names the limit)', { timeout: 120_000 }, () => {
  const dir = tempDir();
  const file = join(dir, 'bomb.png');
  const png = hugePng(16000, 16000);
  assert.ok(png.length < 100_000, `the PNG is small on disk (${png.length} bytes)`);
  writeFileSync(file, png);
  const r = runCliSync(['diagnose', '--image', file, '--json'], { timeoutMs: 110_000 });
  assert.equal(r.status, 2, r.stderr.slice(-2000));
  assert.match(r.stderr, /larger than 50000000 pixels \(analysis\.maxImagePixels\)/);
});

test('a dangling symbolic link in --image-dir is exit 2 naming the link', () => {
  const dir = tempDir();
  const images = join(dir, 'images');
  mkdirSync(images);
  copyFileSync(join(REPO_ROOT, 'demo', 'panel-normal.png'), join(images, 'a.png'));
  symlinkSync(join(dir, 'gone.png'), join(images, 'b.png'));
  const r = runCliSync(['diagnose', '--image-dir', images, '--json']);
  assert.equal(r.status, 2, r.stderr.slice(-2000));
  assert.match(r.stderr, /b\.png is a symbolic link to a file that does not exist/);
});

test('a YAML alias bomb is a configuration error (exit 2), not an internal error', () => {
  const dir = tempDir();
  const file = join(dir, 'bomb.yaml');
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const cur = String.fromCharCode(97 + i);
    lines.push(`${cur}: &${cur} [${Array(10).fill(`*${prev}`).join(',')}]`);
  }
  lines.push('deviceId: bomb');
  writeFileSync(file, lines.join('\n') + '\n');
  const r = runCliSync(['check-config', file, '--json']);
  assert.equal(r.status, 2, r.stderr.slice(-2000));
  const out = JSON.parse(r.stdout) as { ok: boolean; error: string };
  assert.equal(out.ok, false);
  assert.match(out.error, /cannot use this YAML \(.*alias/i);
  assert.doesNotMatch(r.stderr, /internal error/);
});
