// Uploads a request body over a plain TCP socket and returns the HTTP answer, even
// when the server answers early and closes while the body is still being sent (a
// 413 for a body over the limit). An HTTP client that treats the write side's
// EPIPE/ECONNRESET as the outcome loses that answer; here the answer is whatever
// status line was read:
// - the socket is read from the first byte, and writing stops as soon as any
//   response bytes have arrived;
// - chunks are written a millisecond apart, so the event loop mostly waits in its
//   poll and an answer that has arrived is read before the next write;
// - a write error after a status line was read is the server closing, not a failure;
// - a reset before any response byte was read (the answer and the reset arrived
//   just before a write, and Node closing the socket on the write error threw the
//   unread answer away) is retried a bounded number of times; whatever comes back must
//   still be the server's answer.
import { connect, type Socket } from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RawUploadOptions {
  method?: string;
  headers?: Record<string, string>;
  chunkBytes?: number;
  /** Attempts when the connection is reset before any response byte arrives. */
  attempts?: number;
  timeoutMs?: number;
}

const RESETS = new Set(['EPIPE', 'ECONNRESET']);

class NoAnswer extends Error {
  constructor(message: string, readonly retryable: boolean) { super(message); }
}

function parseHead(raw: Buffer): { status: number; headers: Record<string, string>; bodyAt: number } | undefined {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '');
  if (!m) throw new Error(`not an HTTP status line: ${JSON.stringify(statusLine)}`);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(m[1]), headers, bodyAt: end + 4 };
}

/** The chunks' bytes, and whether the last (empty) chunk was read. */
function dechunk(raw: Buffer): { bytes: Buffer; complete: boolean } {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', at);
    if (eol < 0) return { bytes: Buffer.concat(parts), complete: false };
    const size = Number.parseInt(raw.subarray(at, eol).toString('latin1'), 16);
    if (!Number.isFinite(size)) return { bytes: Buffer.concat(parts), complete: false };
    if (size === 0) return { bytes: Buffer.concat(parts), complete: true };
    parts.push(raw.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/** The answer when it is complete; `closed` says the connection has ended, so what was read is all there is. */
function answerOf(raw: Buffer, closed: boolean): RawAnswer | undefined {
  const head = parseHead(raw);
  if (!head) return undefined;
  const rest = raw.subarray(head.bodyAt);
  const length = head.headers['content-length'];
  if (length !== undefined) {
    if (rest.length < Number(length) && !closed) return undefined;
    return { status: head.status, headers: head.headers, body: rest.subarray(0, Number(length)).toString('utf8') };
  }
  if (/chunked/i.test(head.headers['transfer-encoding'] ?? '')) {
    const { bytes, complete } = dechunk(rest);
    return complete || closed ? { status: head.status, headers: head.headers, body: bytes.toString('utf8') } : undefined;
  }
  return closed ? { status: head.status, headers: head.headers, body: rest.toString('utf8') } : undefined;
}

function attempt(url: URL, body: Buffer, o: Required<Omit<RawUploadOptions, 'attempts'>>): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const received: Buffer[] = [];
    let answered = false;
    let writeError: NodeJS.ErrnoException | undefined;
    const socket: Socket = connect({ host: url.hostname, port: Number(url.port) });
    socket.setTimeout(o.timeoutMs, () => socket.destroy(new Error(`no answer from ${url.href} within ${o.timeoutMs} ms`)));
    const settle = (closed: boolean): void => {
      if (answered) return;
      const raw = Buffer.concat(received);
      const answer = answerOf(raw, closed);
      if (answer) { answered = true; socket.destroy(); resolve(answer); return; }
      if (!closed) return;
      answered = true;
      const code = writeError?.code ?? '';
      if (raw.length === 0) reject(new NoAnswer(`the connection closed before any answer${writeError ? ` (${code || writeError.message})` : ''}`, RESETS.has(code)));
      else reject(new NoAnswer(`the connection closed in the middle of the answer: ${JSON.stringify(raw.toString('latin1').slice(0, 200))}`, false));
    };
    socket.on('data', (chunk: Buffer) => { received.push(chunk); settle(false); });
    // A write error once the server has answered is the server closing after its answer.
    socket.on('error', (err: NodeJS.ErrnoException) => { writeError ??= err; });
    socket.on('close', () => settle(true));
    const head = [`${o.method} ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`, `content-length: ${body.length}`,
      ...Object.entries(o.headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
    const pump = (at: number): void => {
      if (answered || received.length > 0 || socket.destroyed || at >= body.length) return;
      socket.write(body.subarray(at, at + o.chunkBytes), (err) => { if (!err) setTimeout(() => pump(at + o.chunkBytes), 1); });
    };
    socket.write(head, (err) => { if (!err) setTimeout(() => pump(0), 1); });
  });
}

export async function uploadRaw(target: string, body: Buffer, opts: RawUploadOptions = {}): Promise<RawAnswer> {
  const o = { method: opts.method ?? 'POST', headers: opts.headers ?? {}, chunkBytes: opts.chunkBytes ?? 64 * 1024, timeoutMs: opts.timeoutMs ?? 60_000 };
  const attempts = opts.attempts ?? 3;
  const url = new URL(target);
  for (let i = 1; ; i++) {
    try {
      return await attempt(url, body, o);
    } catch (e) {
      if (!(e instanceof NoAnswer) || !e.retryable || i >= attempts) throw e;
    }
  }
}
