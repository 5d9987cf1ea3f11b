import type { Logger } from '@mirrorwatch/logger';
import { pipelined, type Redis } from '@mirrorwatch/redis';
import type { Alert } from '@mirrorwatch/schemas';

/**
 * Every replica's SSE clients must see every alert, whichever replica made it. Alerts are
 * fanned out over Redis pub/sub (in Redis Cluster, PUBLISH reaches every node, so the
 * subscriber, a duplicate of the client connected to any one node, hears alerts published
 * through any other); a client that was away catches up through `GET /v1/alerts`.
 *
 * A replica listens on the channel only while it has SSE clients: otherwise every alert of
 * every replica would come back to it to be read and dropped.
 */
export interface LiveAlerts {
  publish(alerts: readonly Alert[]): Promise<void>;
  /** Resolves once alerts published from now on reach `listener`; gives the function that detaches it. */
  subscribe(listener: (alert: Alert) => void): Promise<() => void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createLiveAlerts(redis: Redis, channel: string, logger: Logger): LiveAlerts {
  const subscriber = redis.duplicate();
  const listeners = new Set<(alert: Alert) => void>();
  let subscribed = false;
  // SUBSCRIBE and UNSUBSCRIBE run one at a time, each bringing the channel in line with whether
  // anyone listens at that moment, so a client arriving as the last one leaves is never dropped.
  let changes = Promise.resolve();
  const reconcile = () => {
    const change = changes.then(async () => {
      const wanted = listeners.size > 0;
      if (wanted === subscribed) return;
      if (wanted) await subscriber.subscribe(channel);
      else await subscriber.unsubscribe(channel);
      subscribed = wanted;
    });
    changes = change.catch(() => undefined);
    return change;
  };
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
    async subscribe(listener) {
      listeners.add(listener);
      try {
        await reconcile();
      } catch (error) {
        listeners.delete(listener);
        throw error;
      }
      return () => {
        if (!listeners.delete(listener)) return;
        reconcile().catch((error: unknown) =>
          logger.warn({ err: error }, 'leaving the live alerts channel failed'),
        );
      };
    },
    async start() {
      if (subscriber.status === 'wait') await subscriber.connect();
    },
    async stop() {
      listeners.clear();
      subscriber.disconnect();
    },
  };
}
