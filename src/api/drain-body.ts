// Reads and throws away the rest of a request body the API refused (413) before
// the answer goes out. Answering while the client is still uploading and then
// closing makes the kernel reset the connection when more body bytes arrive, and
// a client blocked in its write sees EPIPE/ECONNRESET instead of the 413 that says
// what to do. Reading the rest first lets any client read the answer. The drain is
// bounded in bytes and time, so a client that keeps sending gets the reset after all.
import type { IncomingMessage } from 'node:http';

export interface DrainLimits {
  maxBytes: number;
  timeoutMs: number;
}

/** The drain budget for a body limit: four times the limit, at least 16 MiB, at most 256 MiB; 15 s. */
export function drainLimitsFor(bodyLimitBytes: number): DrainLimits {
  const maxBytes = Math.min(256 * 2 ** 20, Math.max(16 * 2 ** 20, 4 * bodyLimitBytes));
  return { maxBytes, timeoutMs: 15_000 };
}

/**
 * Resolves true when the request's body has been read to its end (or already
 * was), false when the budget ran out first (the caller's close then resets).
 */
export function drainRequest(raw: IncomingMessage, limits: DrainLimits): Promise<boolean> {
  if (raw.complete || raw.readableEnded || raw.destroyed) return Promise.resolve(raw.complete || raw.readableEnded);
  return new Promise((resolve) => {
    let seen = 0;
    const done = (ok: boolean) => {
      clearTimeout(timer);
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('error', onEnd);
      raw.off('close', onClose);
      if (!ok) raw.pause();
      resolve(ok);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limits.maxBytes) done(false);
    };
    const onEnd = () => done(raw.complete);
    const onClose = () => done(raw.complete);
    const timer = setTimeout(() => done(false), limits.timeoutMs);
    raw.on('data', onData);
    raw.once('end', onEnd);
    raw.once('error', onEnd);
    raw.once('close', onClose);
    raw.resume();
  });
}
