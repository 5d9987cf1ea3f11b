import {
  Counter,
  createRegistry,
  Gauge,
  Histogram,
  LATENCY_BUCKETS_SECONDS,
  type Registry,
} from '@mirrorwatch/metrics';

export interface MatcherMetrics {
  registry: Registry;
  /** Account events handled, by type. */
  events: Counter<'type'>;
  /** Matches published, by how they were found (candidate or retro-hunt). */
  matches: Counter<'via'>;
  deadLetters: Counter<'code'>;
  consumerLag: Gauge<'partition'>;
  /** Time to handle one chunk, from fingerprinting to the matches' acknowledgement. */
  chunkSeconds: Histogram;
  /** Ingest receipt of the triggering event → match published. */
  triggerToMatchSeconds: Histogram;
  /** Moderator confirmations, by whether the fingerprint was still there to index. */
  confirmations: Counter<'indexed'>;
  /** Pairs scored by the shadow model, by agreement with the live model. */
  shadowPairs: Counter<'outcome'>;
}

export function createMatcherMetrics(): MatcherMetrics {
  const registry = createRegistry('matcher');
  const registers = [registry];
  return {
    registry,
    events: new Counter({
      name: 'mirrorwatch_matcher_events_total',
      help: 'Account events handled, by type',
      labelNames: ['type'],
      registers,
    }),
    matches: new Counter({
      name: 'mirrorwatch_matcher_matches_total',
      help: 'Matches published, by how they were found',
      labelNames: ['via'],
      registers,
    }),
    deadLetters: new Counter({
      name: 'mirrorwatch_matcher_dead_letters_total',
      help: 'Account events sent to the dead-letter topic, by reason code',
      labelNames: ['code'],
      registers,
    }),
    consumerLag: new Gauge({
      name: 'mirrorwatch_matcher_consumer_lag',
      help: 'Messages between the last fetched offset and the end of the partition',
      labelNames: ['partition'],
      registers,
    }),
    chunkSeconds: new Histogram({
      name: 'mirrorwatch_matcher_chunk_seconds',
      help: 'Time to handle one chunk of account events, matches acknowledged',
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    }),
    triggerToMatchSeconds: new Histogram({
      name: 'mirrorwatch_matcher_trigger_to_match_seconds',
      help: 'Ingest receipt of the triggering event to the match being published',
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    }),
    confirmations: new Counter({
      name: 'mirrorwatch_matcher_confirmations_total',
      help: 'Confirmed mirrors received from moderators, by whether their fingerprint could be indexed as banned',
      labelNames: ['indexed'],
      registers,
    }),
    shadowPairs: new Counter({
      name: 'mirrorwatch_matcher_shadow_pairs_total',
      help: 'Pairs scored by the shadow model, by agreement with the live model (both, neither, live-only, shadow-only)',
      labelNames: ['outcome'],
      registers,
    }),
  };
}
