import {
  Counter,
  createRegistry,
  Gauge,
  Histogram,
  LATENCY_BUCKETS_SECONDS,
  type Registry,
} from '@mirrorwatch/metrics';

export interface AlertsMetrics {
  registry: Registry;
  matches: Counter<'outcome'>;
  decisions: Counter<'decision'>;
  webhookDeliveries: Counter<'result'>;
  deadLetters: Counter<'code'>;
  consumerLag: Gauge<'partition'>;
  streamClients: Gauge;
  /** Ingest receipt of the triggering event → alert created. */
  alertLatencySeconds: Histogram;
}

export function createAlertsMetrics(): AlertsMetrics {
  const registry = createRegistry('alerts');
  const registers = [registry];
  return {
    registry,
    matches: new Counter({
      name: 'mirrorwatch_alerts_matches_total',
      help: 'Matches consumed, by outcome: created an alert, updated one, duplicate, or suppressed (a dismissed pair)',
      labelNames: ['outcome'],
      registers,
    }),
    decisions: new Counter({
      name: 'mirrorwatch_alerts_decisions_total',
      help: 'Moderator decisions recorded',
      labelNames: ['decision'],
      registers,
    }),
    webhookDeliveries: new Counter({
      name: 'mirrorwatch_alerts_webhook_deliveries_total',
      help: 'Outbound webhook attempts by result (delivered, retried, failed)',
      labelNames: ['result'],
      registers,
    }),
    deadLetters: new Counter({
      name: 'mirrorwatch_alerts_dead_letters_total',
      help: 'Messages sent to the dead-letter topic, by reason code',
      labelNames: ['code'],
      registers,
    }),
    consumerLag: new Gauge({
      name: 'mirrorwatch_alerts_consumer_lag',
      help: 'Matches between the last fetched offset and the end of the partition',
      labelNames: ['partition'],
      registers,
    }),
    streamClients: new Gauge({
      name: 'mirrorwatch_alerts_stream_clients',
      help: 'Open server-sent event streams',
      registers,
    }),
    alertLatencySeconds: new Histogram({
      name: 'mirrorwatch_alerts_latency_seconds',
      help: 'Ingest receipt of the triggering event to alert creation',
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    }),
  };
}
