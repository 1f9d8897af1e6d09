// The one Fastify app that mounts the API's routers (chat, diagnosis, health),
// with bearer-token auth, body limits and errors in OpenAI's shape.
import { createHash, timingSafeEqual } from 'node:crypto';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { getLogger } from '../system/logger.js';
import type { ApiContext } from './context.js';
import { ApiError } from './errors.js';
import { toApiError } from './error-mapping.js';
import { drainLimitsFor, drainRequest } from './drain-body.js';
import { chatRoutes } from './routes/chat.js';
import { diagnosisRoutes } from './routes/diagnosis.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { STATUS_ASSETS, statusPageRoutes } from './routes/status-page.js';

/** Paths anyone may read: liveness probes, the API's description, and the status page's shell (it asks for the token; its data routes need it). */
const OPEN_PATHS = new Set(['/healthz', '/readyz', '/openapi.json', '/asyncapi.json', ...Object.keys(STATUS_ASSETS)]);

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

export interface ApiAppOptions {
  /** Bearer token callers must send; undefined = no auth (loopback only, enforced by the config). */
  token?: string;
  version: string;
}

export async function buildApiApp(ctx: ApiContext, opts: ApiAppOptions): Promise<FastifyInstance> {
  const log = getLogger('api');
  const app = Fastify({ logger: false, bodyLimit: ctx.bodyLimitBytes, forceCloseConnections: true });
  await app.register(multipart, { limits: { fileSize: ctx.bodyLimitBytes, files: 8, fields: 4, parts: 12 } });

  const expected = opts.token ? digest(opts.token) : undefined;
  app.addHook('onRequest', async (request) => {
    if (!expected) return;
    const path = request.url.split('?')[0]!;
    if (OPEN_PATHS.has(path)) return;
    const header = request.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m) throw new ApiError(401, 'missing bearer token: send "Authorization: Bearer <token>" with the token from api.tokenFile', 'authentication_error', null, 'missing_api_key');
    if (!timingSafeEqual(digest(m[1]!.trim()), expected)) throw new ApiError(401, 'incorrect bearer token (compare with api.tokenFile)', 'authentication_error', null, 'invalid_api_key');
  });

  // A refused body (413) is read to its end before the answer goes out, so the
  // client sees the 413 and not a reset; see drain-body.ts.
  const drainLimits = drainLimitsFor(ctx.bodyLimitBytes);
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode === 413) {
      const drained = await drainRequest(request.raw, drainLimits);
      if (!drained) log.debug(`${request.method} ${request.url}: refused body not read to its end (over ${drainLimits.maxBytes} bytes or ${drainLimits.timeoutMs} ms); the connection will be reset`);
    }
    return payload;
  });

  app.setErrorHandler((err, request, reply) => {
    const e = toApiError(err);
    // 503 is the API stepping aside (the pipeline is busy, nothing live yet): worth a line, not a stack.
    if (e.status === 503) log.warn(`${request.method} ${request.url} → 503: ${e.message}`);
    else if (e.status >= 500) log.error(`${request.method} ${request.url}: ${(err as Error).stack ?? String(err)}`);
    else log.debug(`${request.method} ${request.url} → ${e.status}: ${e.message}`);
    void reply.code(e.status).headers(e.headers).send(e.body());
  });
  app.setNotFoundHandler((request, reply) => {
    const e = new ApiError(404, `no route ${request.method} ${request.url.split('?')[0]}; see /openapi.json`, 'not_found_error', null, 'not_found');
    void reply.code(404).send(e.body());
  });

  chatRoutes(app, ctx);
  diagnosisRoutes(app, ctx);
  healthRoutes(app, ctx, opts.version);
  if (ctx.metrics) metricsRoutes(app, ctx.metrics, ctx.servingCost);
  statusPageRoutes(app, ctx);
  return app;
}
