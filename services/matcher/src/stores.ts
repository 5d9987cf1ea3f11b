import type {
  AccountFingerprint,
  BannedFingerprint,
  Candidate,
  CandidateQueryOptions,
  TermFrequencies,
} from '@mirrorwatch/engine';

/** A recent account as the window keeps it: enough to score it and to name it in an alert. */
export interface RecentAccount extends AccountFingerprint {
  eventId: string;
  /** Ingest receipt (ISO 8601) of the event this profile came from. */
  receivedAt: string;
}

/** The batch operations the worker needs from an index; each is a few pipelined round trips. */
export interface BatchIndex<E extends AccountFingerprint> {
  upsertMany(items: readonly { entry: E; keys: readonly string[] }[]): Promise<void>;
  removeMany(accounts: readonly string[]): Promise<boolean[]>;
  getMany(accounts: readonly string[]): Promise<(E | undefined)[]>;
  candidatesMany(
    queries: readonly (readonly string[])[],
    options?: CandidateQueryOptions,
  ): Promise<Candidate<E>[][]>;
}

export interface FrequencyStore {
  observeMany(keySets: readonly (readonly string[])[]): Promise<void>;
  snapshot(keys: Iterable<string>): Promise<TermFrequencies>;
}

/** A pair the live and the shadow model judge differently: one would alert, the other not. */
export interface ShadowDifference {
  candidate: string;
  banned: string;
  entity: string;
  outcome: 'live-only' | 'shadow-only';
  shadowProbability: number;
  shadowVersion: string;
  liveVersion: string;
}

/** Where shadow-model differences are kept for `mirrorwatch shadow-report`. */
export interface ShadowLog {
  record(differences: readonly ShadowDifference[]): Promise<void>;
}

export interface MatcherStores {
  banned: BatchIndex<BannedFingerprint>;
  recent: BatchIndex<RecentAccount>;
  frequencies: FrequencyStore;
  shadow: ShadowLog;
}
