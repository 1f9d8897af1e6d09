// GET /metrics: the Prometheus text format (behind the bearer token when one is set).
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { ServingCost } from '../context.js';

export function metricsRoutes(app: FastifyInstance, registry: Registry, cost?: ServingCost): void {
  app.get('/metrics', async (_request, reply) => {
    // Collecting is synchronous work apart from awaiting the collectors, so its wall time is its cost.
    const t0 = performance.now();
    const text = await registry.metrics();
    if (cost) cost.metricsMs += performance.now() - t0;
    return reply.type(registry.contentType).send(text);
  });
}
