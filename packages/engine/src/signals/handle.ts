import { type HandleForms, handleForms } from '../text/handle.js';
import { charNgrams, lshBands, MinHasher } from '../text/minhash.js';
import { jaroWinkler, osaSimilarity } from '../text/similarity.js';
import type { Comparison, SignalName, SignalType } from './signal.js';

export type NameFingerprint = Pick<HandleForms, 'normalized' | 'key' | 'core' | 'collapsed'>;

/** 16 bands of 3 rows over character trigrams: cores with Jaccard 0.5 meet 88% of the time, 0.1 under 2%. */
const BANDS = 16;
const ROWS = 3;
const hasher = new MinHasher(BANDS * ROWS, 0x4a11d1e);

function compareNames(a: NameFingerprint, b: NameFingerprint): Comparison {
  if (a.normalized === b.normalized) {
    return { level: 'exact', detail: `same name "${b.normalized}"`, sharedKey: `c:${b.core}` };
  }
  if (a.key === b.key) {
    return {
      level: 'skeleton',
      detail: `same once lookalike characters are folded ("${b.key}")`,
      sharedKey: `c:${b.core}`,
    };
  }
  if (a.core === b.core || a.collapsed === b.collapsed) {
    return {
      level: 'core',
      detail: `same core "${b.core}" under affixes or numbers`,
      sharedKey: `c:${b.core}`,
    };
  }
  let similarity = jaroWinkler(a.core, b.core);
  if (similarity < 0.75) return { level: 'none', detail: 'different names' };
  // Edit distance rescues near misses Jaro–Winkler undervalues (edits near the start).
  const longer = Math.max(a.core.length, b.core.length);
  if (similarity < 0.9 && Math.abs(a.core.length - b.core.length) <= 0.2 * longer) {
    similarity = Math.max(similarity, osaSimilarity(a.core, b.core));
  }
  const detail = `"${a.core}" vs "${b.core}", similarity ${Math.round(similarity * 100) / 100}`;
  if (similarity >= 0.9) return { level: 'similar', detail };
  if (similarity >= 0.8) return { level: 'weak', detail };
  return { level: 'none', detail };
}

function nameSignal(
  name: Extract<SignalName, 'handle' | 'displayName'>,
  read: (account: { handle: string; displayName?: string }) => string | undefined,
  { fuzzyBlocking }: { fuzzyBlocking: boolean },
): SignalType<NameFingerprint> {
  return {
    name,
    levels: ['exact', 'skeleton', 'core', 'similar', 'weak', 'none'],
    fingerprint(account) {
      const raw = read(account);
      if (!raw) return undefined;
      const { normalized, key, core, collapsed } = handleForms(raw);
      return core ? { normalized, key, core, collapsed } : undefined;
    },
    blockingKeys(fingerprint) {
      const keys = [`c:${fingerprint.core}`];
      if (fingerprint.collapsed !== fingerprint.core) keys.push(`d:${fingerprint.collapsed}`);
      if (!fuzzyBlocking) return keys;
      const signature = hasher.signature(charNgrams(fingerprint.core, 3));
      if (signature) for (const band of lshBands(signature, BANDS, ROWS)) keys.push(`b${band}`);
      return keys;
    },
    sharedKeys: (fingerprint) => [`c:${fingerprint.core}`],
    compare: compareNames,
    referenceCompare: compareNames,
  };
}

export const handleSignal = nameSignal('handle', (account) => account.handle, { fuzzyBlocking: true });
/**
 * Display names are compared as fuzzily as handles, but found only by their exact core: mirrors
 * decorate a display name (emoji, "2.0", "(backup)") far more than they misspell it, and the
 * handle's fuzzy keys already find the misspellers.
 */
export const displayNameSignal = nameSignal('displayName', (account) => account.displayName, {
  fuzzyBlocking: false,
});
