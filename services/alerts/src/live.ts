import type { Logger } from '@mirrorwatch/logger';
import { pipelined, type Redis } from '@mirrorwatch/redis';
import type { Alert } from '@mirrorwatch/schemas';

/**
 * Every replica's SSE clients must see every alert, whichever replica made it. Alerts are
 * fanned out over Redis pub/sub (in Redis Cluster, PUBLISH reaches every node, so the
 * subscriber, a duplicate of the client connected to any one node, hears alerts published
 * through any other); a client that was away catches up through `GET /v1/alerts`.
 */
export interface LiveAlerts {
  publish(alerts: readonly Alert[]): Promise<void>;
  subscribe(listener: (alert: Alert) => void): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createLiveAlerts(redis: Redis, channel: string, logger: Logger): LiveAlerts {
  const subscriber = redis.duplicate();
  const listeners = new Set<(alert: Alert) => void>();
  subscriber.on('message', (_channel: string, text: string) => {
    let alert: Alert;
    try {
      alert = JSON.parse(text) as Alert;
    } catch (error) {
      logger.warn({ err: error }, 'unreadable live alert');
      return;
    }
    for (const listener of listeners) listener(alert);
  });
  return {
    async publish(alerts) {
      if (alerts.length === 0) return;
      await pipelined(redis, (pipeline) => {
        for (const alert of alerts) pipeline.publish(channel, JSON.stringify(alert));
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async start() {
      if (subscriber.status === 'wait') await subscriber.connect();
      await subscriber.subscribe(channel);
    },
    async stop() {
      listeners.clear();
      subscriber.disconnect();
    },
  };
}
