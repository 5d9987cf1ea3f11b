/**
 * Where one index lives in Redis. Every key is a single-key unit (no hash tags, no multi-key
 * commands), so under Redis Cluster each lands on its own slot and nothing needs co-location.
 */
export interface IndexKeys {
  /** INCR counter handing out integer document ids; never expires, so ids are never reused. */
  readonly seq: string;
  /** Number of entries (see `RedisCandidateIndex.size`). */
  readonly count: string;
  /** SET of the ids of entries under one blocking key. */
  bucket(blockingKey: string): string;
  /** The stored entry and its blocking keys. */
  record(id: string): string;
  /** account → id. */
  account(account: string): string;
}

/** A namespace holds no ':' so that one namespace's keys can never be another's. */
export function assertNamespace(namespace: string): void {
  if (namespace === '' || namespace.includes(':')) {
    throw new TypeError(`Redis index namespace must be non-empty and hold no ':', got '${namespace}'`);
  }
}

export function indexKeys(namespace: string): IndexKeys {
  assertNamespace(namespace);
  const base = `idx:${namespace}:`;
  return {
    seq: `${base}seq`,
    count: `${base}count`,
    bucket: (blockingKey) => `${base}k:${blockingKey}`,
    record: (id) => `${base}d:${id}`,
    account: (account) => `${base}a:${account}`,
  };
}
