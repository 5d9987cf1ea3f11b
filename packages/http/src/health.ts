import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** A named dependency check for `/readyz`; rejects (or throws) when the dependency is unusable. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export interface HealthOptions {
  checks: ReadinessCheck[];
}

/**
 * `/healthz`: the process is alive (no dependency is consulted, so a Kafka outage never gets
 * pods restarted). `/readyz`: every dependency answered; 503 with each failure otherwise.
 */
export const health = fp<HealthOptions>(
  async (app: FastifyInstance, { checks }) => {
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
    });

    app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));

    app.get('/readyz', { logLevel: 'warn' }, async (_request, reply) => {
      const results = await Promise.all(
        checks.map(async ({ name, check }) => {
          try {
            await check();
            return { name, ok: true as const };
          } catch (error) {
            return { name, ok: false as const, error: (error as Error).message };
          }
        }),
      );
      const ready = !closing && results.every((result) => result.ok);
      return reply
        .status(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'not ready', closing, checks: results });
    });
  },
  { name: 'mirrorwatch-health' },
);
