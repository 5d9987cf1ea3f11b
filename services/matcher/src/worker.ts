import {
  type BannedFingerprint,
  createScorer,
  fingerprintEvent,
  type MatchResult,
  type Scorer,
  type ScoringModel,
  type SignalRegistry,
  scoreCandidates,
} from '@mirrorwatch/engine';
import type { BatchHandler, HandlerFailure, ReceivedMessage, TypedProducer } from '@mirrorwatch/kafka';
import type { MatchMessage, ReportInfo } from '@mirrorwatch/schemas';
import { type MatchTrigger, toMatchMessage, toReportMatchMessage } from './match-message.js';
import type { MatcherMetrics } from './metrics.js';
import type { MatcherStores, RecentAccount, ShadowDifference } from './stores.js';

export type AccountEvent = ReceivedMessage<'accountEvents'>;
export type DecisionEvent = ReceivedMessage<'decisions'>;

export interface WorkerOptions {
  stores: MatcherStores;
  registry: SignalRegistry;
  model: ScoringModel;
  /** Scores every pair beside `model` without alerting; where the two disagree is recorded. */
  shadowModel?: ScoringModel;
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

/**
 * What a chunk asks of the index, whichever message it came from:
 * - `ban`: the account joins the banned index under `entity` and the recent window is searched
 *   for backups made before the ban (an `account.banned` event, or a moderator's confirmation);
 * - `reinstate`: every key of the account leaves the banned index;
 * - `profile`: a new, changed or reported account joins the recent window and is matched.
 */
type Work = Keyed &
  (
    | { kind: 'ban'; entity: string; trigger: MatchTrigger }
    | { kind: 'reinstate' }
    | { kind: 'profile'; trigger: MatchTrigger; report?: ReportInfo }
  );

/** A profile with its blocking keys (index) and shared keys (term frequencies). */
interface Keyed {
  profile: RecentAccount;
  keys: string[];
  shared: string[];
}

/**
 * Profiles of one account (a new account and its changes, reports) share a run: they only add to
 * the recent window, where the last one wins, and to the term frequencies, which count each;
 * each is matched against the banned index, which profiles never write. The result is that of
 * handling them one run at a time. Bans and reinstatements write the index and the window for
 * their account, so they take a run of their own against its other items. Split at every repeat,
 * the e2e scenario's calls of 300 events made 2.5 runs each, and each run pays the call's round
 * trips and script calls per shard again.
 */
const profilesShare = (earlier: Work, later: Work) => earlier.kind === 'profile' && later.kind === 'profile';

export interface Worker {
  /** The account-events consumer's handler. */
  handleEvents: BatchHandler<'accountEvents'>;
  /** The decisions consumer's handler: a confirmed mirror is banned in turn. */
  handleDecisions: BatchHandler<'decisions'>;
}

/**
 * The streaming pipeline's work, in the same steps as offline replay. Each step writes before it
 * reads, for the whole chunk at once (a few pipelined round trips). That is what makes workers on
 * different partitions safe together: when a mirror and its parent's ban are handled at the same
 * moment, at least one of the two sees the other's write, so the pair is found by the matcher or
 * by the retro-hunt (or both: ids dedupe downstream). A chunk's matches are acknowledged by Kafka
 * before the handler returns, and offsets are committed only after that.
 */
export function createWorker(options: WorkerOptions): Worker {
  const { stores, registry, model, shadowModel, producer, metrics, candidateLimit, recentWindowMs } = options;
  const now = options.now ?? (() => new Date());
  const keyed = (profile: RecentAccount): Keyed => ({
    profile,
    keys: registry.blockingKeys(profile.signals),
    shared: registry.sharedKeys(profile.signals),
  });

  function fromEvent({ value: message }: AccountEvent): Work {
    const fingerprint = fingerprintEvent(message, registry);
    const profile: RecentAccount = {
      ...fingerprint,
      eventId: message.eventId,
      receivedAt: message.receivedAt,
    };
    const trigger = { eventId: message.eventId, receivedAt: message.receivedAt };
    if (message.type === 'account.reinstated') return { kind: 'reinstate', ...keyed(profile) };
    if (message.type === 'account.banned' && message.ban)
      return { kind: 'ban', ...keyed(profile), entity: message.ban.entity, trigger };
    return {
      kind: 'profile',
      ...keyed(profile),
      trigger,
      ...(message.report && { report: message.report }),
    };
  }

  async function processSegment(segment: Work[]): Promise<MatchMessage[]> {
    const bans: Extract<Work, { kind: 'ban' }>[] = [];
    const reinstated: Work[] = [];
    const profiles: Extract<Work, { kind: 'profile' }>[] = [];
    for (const work of segment) {
      if (work.kind === 'ban') bans.push(work);
      else if (work.kind === 'reinstate') reinstated.push(work);
      else profiles.push(work);
    }
    const bannedEntries: BannedFingerprint[] = bans.map(({ profile, entity }) => ({
      ...profile,
      entity,
      bannedAt: profile.observedAt,
    }));

    // A banned account's own profile changes are not candidates against its siblings.
    const alreadyBanned = await stores.banned.getMany(profiles.map(({ profile }) => profile.account));
    const active = profiles.filter((_, index) => alreadyBanned[index] === undefined);

    // Writes first (see above), each one pipelined for the whole segment.
    await Promise.all([
      stores.frequencies.observeMany([...bans, ...profiles].map((work) => work.shared)),
      stores.banned.upsertMany(
        bans.map(({ keys }, n) => ({ entry: bannedEntries[n] as BannedFingerprint, keys })),
      ),
      stores.recent.removeMany(bans.map(({ profile }) => profile.account)),
      stores.banned.removeMany(reinstated.map(({ profile }) => profile.account)),
      stores.recent.upsertMany(active.map(({ profile, keys }) => ({ entry: profile, keys }))),
    ]);

    // Then reads: candidates for new profiles, recent accounts for new bans, and how common
    // every value scoring may find shared is (term-frequency adjustment).
    const [bannedCandidates, recentCandidates, frequencies] = await Promise.all([
      stores.banned.candidatesMany(
        active.map((work) => work.keys),
        { limit: candidateLimit },
      ),
      stores.recent.candidatesMany(
        bans.map((work) => work.keys),
        { limit: candidateLimit },
      ),
      stores.frequencies.snapshot(new Set([...active, ...bans].flatMap((work) => work.shared))),
    ]);
    const scorer = createScorer(model, registry, frequencies);
    const shadow = shadowModel ? createScorer(shadowModel, registry, frequencies) : undefined;
    const differences: ShadowDifference[] = [];
    const matchedAt = now();
    const matches: MatchMessage[] = [];

    active.forEach(({ profile, trigger, report }, index) => {
      const banned = (bannedCandidates[index] ?? []).map((candidate) => candidate.entry);
      const results = scoreCandidates(profile, banned, scorer, model.reviewThreshold);
      for (const result of results)
        matches.push(toMatchMessage(profile, result, 'candidate', trigger, model.version, matchedAt));
      if (report) matches.push(toReportMatchMessage(profile, report, trigger, model, matchedAt));
      if (shadow) differences.push(...compareShadow(profile, banned, results, shadow));
    });
    bans.forEach(({ trigger }, index) => {
      const entry = bannedEntries[index] as BannedFingerprint;
      const recent = (recentCandidates[index] ?? [])
        .map((candidate) => candidate.entry)
        .filter(
          (found) => found.account !== entry.account && found.observedAt >= entry.bannedAt - recentWindowMs,
        );
      for (const account of recent) {
        const score = scorer.score(account, entry);
        const result: MatchResult = { banned: entry, score };
        if (score.probability >= model.reviewThreshold)
          matches.push(toMatchMessage(account, result, 'retro-hunt', trigger, model.version, matchedAt));
        if (shadow)
          differences.push(
            ...compareShadow(
              account,
              [entry],
              score.probability >= model.reviewThreshold ? [result] : [],
              shadow,
            ),
          );
      }
    });
    if (differences.length > 0) await stores.shadow.record(differences);
    return matches;
  }

  /** Pairs the live model and the shadow model judge differently (one alerts, the other not). */
  function compareShadow(
    candidate: RecentAccount,
    banned: readonly BannedFingerprint[],
    live: readonly MatchResult[],
    shadow: Scorer,
  ): ShadowDifference[] {
    const liveAlerts = new Map(live.map((result) => [result.banned.account, result.score.probability]));
    const differences: ShadowDifference[] = [];
    for (const entry of banned) {
      if (entry.account === candidate.account) continue;
      const shadowProbability = shadow.score(candidate, entry).probability;
      const shadowAlerts = shadowProbability >= shadow.model.reviewThreshold;
      const liveProbability = liveAlerts.get(entry.account);
      const outcome =
        liveProbability !== undefined
          ? shadowAlerts
            ? 'both'
            : 'live-only'
          : shadowAlerts
            ? 'shadow-only'
            : 'neither';
      metrics.shadowPairs.inc({ outcome });
      if (outcome === 'live-only' || outcome === 'shadow-only')
        differences.push({
          candidate: candidate.account,
          banned: entry.account,
          entity: entry.entity,
          outcome,
          shadowProbability,
          shadowVersion: shadow.model.version,
          liveVersion: model.version,
        });
    }
    return differences;
  }

  /** Runs work items in order, in runs that never race over one account (see `profilesShare`); publishes the matches. */
  async function run(work: Work[]): Promise<MatchMessage[]> {
    const matches: MatchMessage[] = [];
    for (const segment of raceFreeSegments(work, profilesShare))
      matches.push(...(await processSegment(segment)));
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
    return matches;
  }

  const handleEvents: BatchHandler<'accountEvents'> = async (events) => {
    const stopTimer = metrics.chunkSeconds.startTimer();
    const failures: HandlerFailure[] = [];
    const work: Work[] = [];
    events.forEach((event, index) => {
      try {
        work.push(fromEvent(event));
      } catch (error) {
        // A message that decodes but cannot be fingerprinted will never succeed: dead-letter it.
        failures.push({ index, code: 'processing_failed', reason: (error as Error).message });
      }
    });
    await run(work);
    for (const { value } of events) metrics.events.inc({ type: value.type });
    stopTimer();
    options.onProcessed?.(events);
    return failures;
  };

  /**
   * A confirmed mirror is banned in turn, under the entity of the alert, so mirrors of mirrors
   * are caught, and its ban retro-hunts the recent window like any other. Its fingerprint comes
   * from the recent-accounts window; one that has left the window cannot be indexed from here
   * (the platform's own `account.banned` event for it will index it).
   */
  const handleDecisions: BatchHandler<'decisions'> = async (decisions) => {
    // An alert is one (candidate, entity), so every banned account it names shares the entity.
    const confirmed = decisions.flatMap(({ value }) => {
      const entity = value.banned[0]?.entity;
      return value.decision === 'confirm' && entity ? [{ decision: value, entity }] : [];
    });
    const profiles = await stores.recent.getMany(
      confirmed.map(({ decision }) => `${decision.candidate.platform}:${decision.candidate.accountId}`),
    );
    const work: Work[] = [];
    confirmed.forEach(({ decision, entity }, n) => {
      const profile = profiles[n];
      metrics.confirmations.inc({ indexed: profile ? 'yes' : 'no-fingerprint' });
      if (!profile) return;
      const banned: RecentAccount = { ...profile, observedAt: Date.parse(decision.decidedAt) };
      const trigger = { eventId: `decision:${decision.alertId}`, receivedAt: decision.decidedAt };
      work.push({ kind: 'ban', ...keyed(banned), entity, trigger });
    });
    await run(work);
    return [];
  };

  return { handleEvents, handleDecisions };
}

/**
 * Splits work, in order, into runs handled together: a run's writes are pipelined, then its reads,
 * so an account may appear in a run only where the order of its items cannot matter. Items that
 * `mayShare` (`earlier` of the same account in the run, `later` the item at hand) stay in one
 * run; any other repeat of an account starts a new run, so the pipelined writes never race each
 * other over one account and each item sees the ones before it.
 */
export function raceFreeSegments<T extends { profile: { account: string } }>(
  items: T[],
  mayShare: (earlier: T, later: T) => boolean = () => false,
): T[][] {
  const segments: T[][] = [];
  let current: T[] = [];
  let latest = new Map<string, T>();
  for (const item of items) {
    const earlier = latest.get(item.profile.account);
    if (earlier && !mayShare(earlier, item)) {
      segments.push(current);
      current = [];
      latest = new Map();
    }
    latest.set(item.profile.account, item);
    current.push(item);
  }
  if (current.length > 0) segments.push(current);
  return segments;
}
