import type { FastifyPluginAsync } from 'fastify';
import type { LiveAlerts } from '../live.js';
import type { AlertsMetrics } from '../metrics.js';

export interface StreamRouteOptions {
  live: LiveAlerts;
  metrics: AlertsMetrics;
  heartbeatMs?: number;
}

/**
 * `GET /v1/alerts/stream`: server-sent events, one Alert per `alert` event, with a comment line
 * every 15 s so proxies keep the connection open. Registered inside the authenticated scope.
 */
export const streamRoute: FastifyPluginAsync<StreamRouteOptions> = async (
  app,
  { live, metrics, heartbeatMs = 15_000 },
) => {
  app.get('/v1/alerts/stream', async (request, reply) => {
    const { raw } = reply;
    // Subscribed before the client hears it is connected; a failure here is an ordinary error answer.
    const unsubscribe = await live.subscribe((alert) => {
      raw.write(`event: alert\nid: ${alert.id}\ndata: ${JSON.stringify(alert)}\n\n`);
    });
    reply.hijack();
    if (request.raw.destroyed) {
      // The client left while the subscription was being made.
      unsubscribe();
      return;
    }
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write(': connected\n\n');
    metrics.streamClients.inc();
    const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), heartbeatMs);
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
      metrics.streamClients.dec();
    };
    request.raw.once('close', close);
  });
};
