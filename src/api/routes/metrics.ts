// GET /metrics: the Prometheus text format (behind the bearer token when one is set).
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { ServingCost } from '../context.js';

export function metricsRoutes(app: FastifyInstance, registry: Registry, cost?: ServingCost): void {
  app.get('/metrics', async (_request, reply) => {
    // Collecting is synchronous work apart from awaiting the collectors (no I/O wait in between).
    const t0 = cost?.now() ?? 0;
    const text = await registry.metrics();
    cost?.add('metricsMs', t0);
    return reply.type(registry.contentType).send(text);
  });
}
