import {
  type AccountFingerprint,
  type BannedFingerprint,
  CountingFrequencies,
  comparePair,
  fingerprintEvent,
  MemoryIndex,
  RECENT_WINDOW_MS,
  type Scorer,
  type SignalRegistry,
} from '@mirrorwatch/engine';
import { type Pseudonymizer, toAccountEventMessage } from '@mirrorwatch/identifiers';
import type { Event, Platform } from '@mirrorwatch/schemas';

export interface ReplayEvent {
  platform: Platform;
  event: Event;
}

/** One candidate pair the pipeline would have scored. */
export interface ObservedPair {
  candidate: string;
  banned: string;
  bannedEntity: string;
  /** Comparison levels, for training. */
  levels: Record<string, string>;
  /** Extra per-pair figures from `annotate` (baselines read them). */
  annotations: Record<string, number>;
  /** Filled when a scorer was given. */
  probability?: number;
  logit?: number;
  /** Why the pair was looked at: the candidate arrived, or a ban arrived and searched recent accounts. */
  via: 'candidate' | 'retro-hunt';
}

export interface ReplayOptions {
  registry: SignalRegistry;
  pseudonymizer: Pseudonymizer;
  scorer?: (frequencies: CountingFrequencies) => Scorer;
  /** Figures to keep with each pair, e.g. what a baseline would have scored it. */
  annotate?: (candidate: AccountFingerprint, banned: BannedFingerprint) => Record<string, number>;
  maxBucketSize?: number;
  candidateLimit?: number;
  /** Called every `progressEvery` events with how many were replayed. */
  onProgress?: (done: number, total: number) => void;
  progressEvery?: number;
}

export interface ReplayResult {
  pairs: ObservedPair[];
  /** Each account's fingerprint as last seen, for baselines. */
  fingerprints: Map<string, AccountFingerprint>;
  banned: Map<string, BannedFingerprint>;
  events: number;
}

/**
 * Replays events in order through the same steps as the streaming pipeline, in memory: the
 * indexer (bans, reinstatements, retro-hunt over the recent-accounts window) and the matcher
 * (new and changed accounts against the banned index). Every scored pair is returned.
 */
export function replay(events: readonly ReplayEvent[], options: ReplayOptions): ReplayResult {
  const { registry, pseudonymizer, candidateLimit = 50, progressEvery = 5000 } = options;
  const frequencies = new CountingFrequencies();
  const scorer = options.scorer?.(frequencies);
  const bannedIndex = new MemoryIndex<BannedFingerprint>({ maxBucketSize: options.maxBucketSize });
  const recentIndex = new MemoryIndex<AccountFingerprint>({ maxBucketSize: options.maxBucketSize });
  const fingerprints = new Map<string, AccountFingerprint>();
  const banned = new Map<string, BannedFingerprint>();
  const pairs: ObservedPair[] = [];

  const record = (candidate: AccountFingerprint, entry: BannedFingerprint, via: ObservedPair['via']) => {
    const levels: Record<string, string> = {};
    for (const comparison of comparePair(candidate, entry, registry))
      levels[comparison.comparison] = comparison.level;
    const pair: ObservedPair = {
      candidate: candidate.account,
      banned: entry.account,
      bannedEntity: entry.entity,
      levels,
      annotations: options.annotate?.(candidate, entry) ?? {},
      via,
    };
    if (scorer) {
      const score = scorer.score(candidate, entry);
      pair.probability = score.probability;
      pair.logit = score.logit;
    }
    pairs.push(pair);
  };

  events.forEach(({ platform, event }, position) => {
    if (options.onProgress && position % progressEvery === 0) options.onProgress(position, events.length);
    // The same message ingest would publish, received at the moment it occurred.
    const message = toAccountEventMessage(event, platform, new Date(event.occurredAt), pseudonymizer);
    const fingerprint = fingerprintEvent(message, registry);
    const keys = registry.blockingKeys(fingerprint.signals);
    if (event.type === 'account.reinstated') {
      // An appeal won: the account leaves the banned index entirely.
      bannedIndex.removeSync(fingerprint.account);
      banned.delete(fingerprint.account);
      return;
    }
    frequencies.observe(registry.sharedKeys(fingerprint.signals));
    fingerprints.set(fingerprint.account, fingerprint);

    if (event.type === 'account.banned' && event.ban) {
      const entry: BannedFingerprint = {
        ...fingerprint,
        entity: event.ban.entity,
        bannedAt: fingerprint.observedAt,
      };
      bannedIndex.upsertSync(entry, keys);
      recentIndex.removeSync(entry.account);
      banned.set(entry.account, entry);
      // Backups made before the ban are already in the recent-accounts window.
      for (const { entry: recent } of recentIndex.candidatesSync(keys, { limit: candidateLimit })) {
        if (recent.observedAt >= entry.bannedAt - RECENT_WINDOW_MS) record(recent, entry, 'retro-hunt');
      }
      return;
    }
    if (banned.has(fingerprint.account)) return;
    recentIndex.upsertSync(fingerprint, keys);
    for (const { entry } of bannedIndex.candidatesSync(keys, { limit: candidateLimit })) {
      if (entry.account !== fingerprint.account) record(fingerprint, entry, 'candidate');
    }
  });
  options.onProgress?.(events.length, events.length);
  return { pairs, fingerprints, banned, events: events.length };
}
