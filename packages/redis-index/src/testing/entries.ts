import type { BannedFingerprint } from '@mirrorwatch/engine';

export function bannedEntry(account: string, entity = 'entity'): BannedFingerprint {
  const [platform = 'x', accountId = account] = account.split(':');
  return {
    account,
    platform: platform as BannedFingerprint['platform'],
    accountId,
    handle: accountId,
    observedAt: 1_700_000_000_000,
    bannedAt: 1_700_000_000_000,
    entity,
    signals: { handle: { key: accountId } },
  };
}

/** Deterministic PRNG so failures reproduce. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Entries with a few keys each from a small vocabulary, so queries find several with ties. */
export function randomItems(seed: number, count: number, vocabulary: number) {
  const random = mulberry32(seed);
  const pick = () => `handle:k${Math.floor(random() * vocabulary)}`;
  const items = Array.from({ length: count }, (_, n) => ({
    entry: bannedEntry(`x:${n}`, `entity-${n % 7}`),
    keys: Array.from({ length: 1 + Math.floor(random() * 4) }, pick),
  }));
  const queries = Array.from({ length: 100 }, () =>
    Array.from({ length: 1 + Math.floor(random() * 5) }, pick),
  );
  return { items, queries };
}

/** Blocking keys of awkward text (multi-byte characters, spaces, digits, newlines): packed arguments must keep each whole. */
export const ANY_TEXT_KEYS = ['handle:c:قناة', 'handle:c:✨ü', 'links:a b 12 3', 'bio:1\n2 x', 'handle:7 7'];
/** Prefixes and fragments of `ANY_TEXT_KEYS`: none of them is a key of its own. */
export const ANY_TEXT_FRAGMENTS = ['handle:c:ق', 'links:a', 'bio:1', '2 x'];
