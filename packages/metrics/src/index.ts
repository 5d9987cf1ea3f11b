import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export { Counter, Gauge, Histogram, Registry };

/**
 * A registry per service (not prom-client's global one), so several services can share a process
 * in tests without clashing, with process metrics and a `service` label on every series.
 */
export function createRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Latency buckets in seconds, from a few milliseconds to the "within minutes" public demand. */
export const LATENCY_BUCKETS_SECONDS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300,
];

/** `GET /metrics` in the Prometheus text format. */
export const metricsRoute = fp<{ registry: Registry }>(
  async (app: FastifyInstance, { registry }) => {
    app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => {
      const body = await registry.metrics();
      return reply.type(registry.contentType).send(body);
    });
  },
  { name: 'mirrorwatch-metrics' },
);
