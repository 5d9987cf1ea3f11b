import {
  type BannedFingerprint,
  createScorer,
  fingerprintEvent,
  type MatchResult,
  type ScoringModel,
  type SignalRegistry,
  scoreCandidates,
} from '@mirrorwatch/engine';
import type { BatchHandler, HandlerFailure, ReceivedMessage, TypedProducer } from '@mirrorwatch/kafka';
import type { AccountEventMessage, MatchMessage } from '@mirrorwatch/schemas';
import { toMatchMessage } from './match-message.js';
import type { MatcherMetrics } from './metrics.js';
import type { MatcherStores, RecentAccount } from './stores.js';

export type AccountEvent = ReceivedMessage<'accountEvents'>;

export interface WorkerOptions {
  stores: MatcherStores;
  registry: SignalRegistry;
  model: ScoringModel;
  /** Connected; carries the matches. */
  producer: TypedProducer;
  metrics: MatcherMetrics;
  /** Banned candidates scored per account. */
  candidateLimit: number;
  /** How far before a ban the retro-hunt looks for backup accounts. */
  recentWindowMs: number;
  now?: () => Date;
  /** Told about every chunk once its matches are acknowledged (tests, tracing). */
  onProcessed?: (events: AccountEvent[]) => void;
}

/** One decoded event, fingerprinted. */
interface Prepared {
  message: AccountEventMessage;
  profile: RecentAccount;
  keys: string[];
}

/**
 * The streaming pipeline's work on a chunk of account events, in the same steps as offline replay:
 * - `account.banned`: the indexer's part. The fingerprint joins the banned index under its entity
 *   and the ban searches the recent-accounts window for backups made before it (retro-hunt).
 * - `account.reinstated`: every key of the account leaves the banned index.
 * - `account.created` / `account.updated`: the profile joins the recent-accounts window and is
 *   matched against the banned index; an update is matched again.
 *
 * Each step writes before it reads, for the whole chunk at once (a few pipelined round trips).
 * That is what makes workers on different partitions safe together: when a mirror and its
 * parent's ban are handled at the same moment, at least one of the two sees the other's write,
 * so the pair is found by the matcher or by the retro-hunt (or both: ids dedupe downstream).
 * The chunk's matches are acknowledged by Kafka before the handler returns, and offsets are
 * committed only after that.
 */
export function createWorker(options: WorkerOptions): BatchHandler<'accountEvents'> {
  const { stores, registry, model, producer, metrics, candidateLimit, recentWindowMs } = options;
  const now = options.now ?? (() => new Date());

  function prepare(message: AccountEventMessage): Prepared {
    const fingerprint = fingerprintEvent(message, registry);
    const profile: RecentAccount = {
      ...fingerprint,
      eventId: message.eventId,
      receivedAt: message.receivedAt,
    };
    return { message, profile, keys: registry.blockingKeys(fingerprint.signals) };
  }

  async function processSegment(segment: Prepared[]): Promise<MatchMessage[]> {
    const bans: { item: Prepared; entry: BannedFingerprint }[] = [];
    const reinstated: Prepared[] = [];
    const profiles: Prepared[] = [];
    for (const item of segment) {
      const { message, profile } = item;
      if (message.type === 'account.reinstated') reinstated.push(item);
      else if (message.type === 'account.banned' && message.ban)
        bans.push({ item, entry: { ...profile, entity: message.ban.entity, bannedAt: profile.observedAt } });
      else profiles.push(item);
    }

    // A banned account's own profile changes are not candidates against its siblings.
    const alreadyBanned = await stores.banned.getMany(profiles.map(({ profile }) => profile.account));
    const active = profiles.filter((_, index) => alreadyBanned[index] === undefined);

    // Writes first (see above), each one pipelined for the whole segment.
    await Promise.all([
      stores.frequencies.observeMany([
        ...bans.map(({ item }) => item.keys),
        ...profiles.map((item) => item.keys),
      ]),
      stores.banned.upsertMany(bans.map(({ item, entry }) => ({ entry, keys: item.keys }))),
      stores.recent.removeMany(bans.map(({ entry }) => entry.account)),
      stores.banned.removeMany(reinstated.map(({ profile }) => profile.account)),
      stores.recent.upsertMany(active.map(({ profile, keys }) => ({ entry: profile, keys }))),
    ]);

    // Then reads: candidates for new profiles, recent accounts for new bans, and how common
    // every value involved is (term-frequency adjustment).
    const [bannedCandidates, recentCandidates, frequencies] = await Promise.all([
      stores.banned.candidatesMany(
        active.map((item) => item.keys),
        { limit: candidateLimit },
      ),
      stores.recent.candidatesMany(
        bans.map(({ item }) => item.keys),
        { limit: candidateLimit },
      ),
      stores.frequencies.snapshot(
        new Set([...active, ...bans.map(({ item }) => item)].flatMap((item) => item.keys)),
      ),
    ]);
    const scorer = createScorer(model, registry, frequencies);
    const matchedAt = now();
    const matches: MatchMessage[] = [];

    active.forEach(({ profile, message }, index) => {
      const banned = (bannedCandidates[index] ?? []).map((candidate) => candidate.entry);
      const trigger = { eventId: message.eventId, receivedAt: message.receivedAt };
      for (const result of scoreCandidates(profile, banned, scorer, model.reviewThreshold))
        matches.push(toMatchMessage(profile, result, 'candidate', trigger, model.version, matchedAt));
    });
    bans.forEach(({ item, entry }, index) => {
      const trigger = { eventId: item.message.eventId, receivedAt: item.message.receivedAt };
      for (const { entry: recent } of recentCandidates[index] ?? []) {
        if (recent.account === entry.account || recent.observedAt < entry.bannedAt - recentWindowMs) continue;
        const score = scorer.score(recent, entry);
        if (score.probability < model.reviewThreshold) continue;
        const result: MatchResult = { banned: entry, score };
        matches.push(toMatchMessage(recent, result, 'retro-hunt', trigger, model.version, matchedAt));
      }
    });
    metrics.events.inc({ type: 'account.banned' }, bans.length);
    metrics.events.inc({ type: 'account.reinstated' }, reinstated.length);
    for (const { message } of profiles) metrics.events.inc({ type: message.type });
    return matches;
  }

  return async (events) => {
    const stopTimer = metrics.chunkSeconds.startTimer();
    const failures: HandlerFailure[] = [];
    const prepared: Prepared[] = [];
    events.forEach((event, index) => {
      try {
        prepared.push(prepare(event.value));
      } catch (error) {
        // A message that decodes but cannot be fingerprinted will never succeed: dead-letter it.
        failures.push({ index, code: 'processing_failed', reason: (error as Error).message });
      }
    });
    const matches: MatchMessage[] = [];
    for (const segment of distinctAccountSegments(prepared)) matches.push(...(await processSegment(segment)));
    await producer.send(
      'matches',
      matches.map((match) => ({
        key: `${match.candidate.platform}:${match.candidate.accountId}`,
        value: match,
      })),
    );
    const nowMs = now().getTime();
    for (const match of matches) {
      metrics.matches.inc({ via: match.via });
      metrics.triggerToMatchSeconds.observe(Math.max(0, nowMs - Date.parse(match.trigger.receivedAt)) / 1000);
    }
    stopTimer();
    options.onProcessed?.(events);
    return failures;
  };
}

/**
 * Splits a chunk, in order, into runs in which no account appears twice, so the pipelined
 * writes of a run never race each other over one account and each event sees the ones before it.
 */
export function distinctAccountSegments<T extends { profile: { account: string } }>(items: T[]): T[][] {
  const segments: T[][] = [];
  let current: T[] = [];
  let seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.profile.account)) {
      segments.push(current);
      current = [];
      seen = new Set();
    }
    seen.add(item.profile.account);
    current.push(item);
  }
  if (current.length > 0) segments.push(current);
  return segments;
}
