// The upload helper the API tests use for bodies over api.bodyLimit: a server that
// answers 413 and resets the connection while the body is still being sent must
// come back as that 413 (not as the write side's EPIPE/ECONNRESET), a server that
// reads everything comes back with its answer, and a server that closes without a
// word is an error, never an invented answer. The servers run in a child process,
// as the daemon does in the API tests.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { uploadRaw } from '../helpers/raw-upload.js';

// Three routes: /early answers 413 at once and destroys the socket (a reset, since
// the upload is unread); /full reads the whole body and answers its length, chunked;
// /mute destroys the socket without answering.
const SERVER = `
import { createServer } from 'node:http';
const srv = createServer((req, res) => {
  if (req.url === '/early') {
    const b = JSON.stringify({ error: { code: 'request_too_large' } });
    res.writeHead(413, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(b), connection: 'close' });
    res.end(b, () => req.socket.destroy());
  } else if (req.url === '/full') {
    let n = 0;
    req.on('data', (c) => { n += c.length; });
    req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.write('{"bytes":'); res.end(n + '}'); });
  } else {
    req.socket.destroy();
  }
});
srv.listen(0, '127.0.0.1', () => console.log(srv.address().port));
`;

describe('uploadRaw against a server that answers early', () => {
  let child: ChildProcess;
  let base = '';
  before(async () => {
    child = spawn(process.execPath, ['--input-type=module', '-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()));
      child.once('exit', (code) => reject(new Error(`the test server exited (${code})`)));
    });
    base = `http://127.0.0.1:${port}`;
  });
  after(() => { child?.kill(); });

  it('returns the 413 the server sent before resetting, every time', async () => {
    const body = Buffer.alloc(5_000_000, 0x41);
    for (let i = 0; i < 30; i++) {
      const r = await uploadRaw(`${base}/early`, body, { headers: { 'content-type': 'application/json' } });
      assert.equal(r.status, 413, `upload ${i}`);
      assert.equal((JSON.parse(r.body) as { error: { code: string } }).error.code, 'request_too_large');
    }
  });

  it('returns the answer of a server that reads the whole body (chunked answer)', async () => {
    const r = await uploadRaw(`${base}/full`, Buffer.alloc(300_000, 0x42));
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body), { bytes: 300_000 });
  });

  it('a connection closed without any answer is an error', async () => {
    await assert.rejects(uploadRaw(`${base}/mute`, Buffer.alloc(1_000_000, 0x43)), /closed before any answer/);
  });
});
