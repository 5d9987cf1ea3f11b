import {
  Counter,
  createRegistry,
  Histogram,
  LATENCY_BUCKETS_SECONDS,
  type Registry,
} from '@mirrorwatch/metrics';

export interface IngestMetrics {
  registry: Registry;
  /**
   * Items by platform, kind (a platform `event` or a `report`) and outcome: accepted (published)
   * or duplicate (already accepted).
   */
  events: Counter<'platform' | 'kind' | 'outcome'>;
  /** Requests by HTTP status; 4xx are rejections, 503 is Kafka or Redis away. */
  requests: Counter<'status'>;
  /** Webhook receipt → Kafka acknowledgement. */
  publishSeconds: Histogram;
  avatarHashSeconds: Histogram;
}

export function createIngestMetrics(): IngestMetrics {
  const registry = createRegistry('ingest');
  return {
    registry,
    events: new Counter({
      name: 'mirrorwatch_ingest_events_total',
      help: 'Webhook events and reports by platform, kind (event, report) and outcome (accepted, duplicate)',
      labelNames: ['platform', 'kind', 'outcome'],
      registers: [registry],
    }),
    requests: new Counter({
      name: 'mirrorwatch_ingest_requests_total',
      help: 'Webhook and report requests by HTTP status',
      labelNames: ['status'],
      registers: [registry],
    }),
    publishSeconds: new Histogram({
      name: 'mirrorwatch_ingest_publish_seconds',
      help: 'Webhook receipt to Kafka acknowledgement',
      buckets: LATENCY_BUCKETS_SECONDS,
      registers: [registry],
    }),
    avatarHashSeconds: new Histogram({
      name: 'mirrorwatch_ingest_avatar_hash_seconds',
      help: 'Decoding an avatar image and computing its PDQ hash',
      buckets: LATENCY_BUCKETS_SECONDS,
      registers: [registry],
    }),
  };
}
