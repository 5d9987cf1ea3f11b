import type { BatchHandler, TypedProducer } from '@mirrorwatch/kafka';
import type { Alert } from '@mirrorwatch/schemas';
import { alertId } from './alert-id.js';
import type { LiveAlerts } from './live.js';
import { type AlertBody, mergeMatch } from './merge.js';
import type { AlertsMetrics } from './metrics.js';
import type { AlertStore } from './store.js';

export interface MatchHandlerOptions {
  store: AlertStore;
  producer: TypedProducer;
  live: LiveAlerts;
  metrics: AlertsMetrics;
  now?: () => Date;
}

/**
 * Matches → alerts, a chunk at a time: load the alerts concerned, fold the matches in, store what
 * changed, then publish it (Kafka first, so the offsets are committed only after the alerts
 * topic has it). Matches are keyed by candidate, so one alert's matches reach one consumer.
 */
export function createMatchHandler({
  store,
  producer,
  live,
  metrics,
  now = () => new Date(),
}: MatchHandlerOptions): BatchHandler<'matches'> {
  return async (messages) => {
    // Pairs a moderator dismissed never alert again, whatever new event brings them back.
    const suppressed = await store.suppressedFor(
      messages.map(({ value }) => `${value.candidate.platform}:${value.candidate.accountId}`),
    );
    const isSuppressed = ({ candidate, banned }: (typeof messages)[number]['value']) =>
      suppressed
        .get(`${candidate.platform}:${candidate.accountId}`)
        ?.has(`${banned.platform}:${banned.accountId}`) ?? false;
    const ids = [
      ...new Set(
        messages.map(({ value }) =>
          alertId(value.candidate.platform, value.candidate.accountId, value.banned.entity),
        ),
      ),
    ];
    const loaded = await store.loadMany(ids);
    const current = new Map<string, { body: AlertBody; status: Alert['status'] }>();
    ids.forEach((id, n) => {
      const stored = loaded[n];
      if (stored) {
        const { status, ...body } = stored.alert;
        current.set(id, { body, status });
      }
    });
    const changed = new Map<string, { body: AlertBody; created: boolean }>();
    const at = now();
    for (const { value: match } of messages) {
      if (isSuppressed(match)) {
        metrics.matches.inc({ outcome: 'suppressed' });
        continue;
      }
      const id = alertId(match.candidate.platform, match.candidate.accountId, match.banned.entity);
      const known = current.get(id);
      const { body, outcome } = mergeMatch(known?.body, match, at);
      metrics.matches.inc({ outcome });
      if (outcome === 'duplicate') continue;
      if (outcome === 'created') metrics.alertLatencySeconds.observe(body.latencyMs / 1000);
      current.set(id, { body, status: known?.status ?? 'open' });
      changed.set(id, { body, created: (changed.get(id)?.created ?? false) || outcome === 'created' });
    }
    await store.saveMany([...changed.values()]);
    const alerts: Alert[] = [...changed.keys()].map((id) => {
      const { body, status } = current.get(id) as { body: AlertBody; status: Alert['status'] };
      return { ...body, status };
    });
    await producer.send(
      'alerts',
      alerts.map((alert) => ({ key: alert.id, value: alert })),
    );
    await live.publish(alerts);
    return undefined;
  };
}
