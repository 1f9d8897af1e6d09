// Liveness, readiness and the descriptions: /healthz, /readyz, /openapi.json, /asyncapi.json (the MQTT contract).
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.js';
import { asyncApiDocument } from '../../integrations/contract.js';
import { openApiDocument } from '../openapi.js';

export function healthRoutes(app: FastifyInstance, ctx: ApiContext, version: string): void {
  const started = Date.now();
  app.get('/healthz', async () => ({ status: 'alive', uptimeSec: Math.round((Date.now() - started) / 1000) }));
  app.get('/readyz', async (_request, reply) => {
    const ready = ctx.ready();
    reply.code(ready ? 200 : 503);
    return { ready, components: ctx.health() };
  });
  app.get('/openapi.json', async () => openApiDocument(version));
  let asyncApi: Record<string, unknown> | undefined;
  app.get('/asyncapi.json', async () => (asyncApi ??= asyncApiDocument()));
}
