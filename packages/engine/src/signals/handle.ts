import { type HandleForms, handleForms } from '../text/handle.js';
import { charNgrams, lshBands, MinHasher } from '../text/minhash.js';
import { jaroWinkler, osaSimilarity } from '../text/similarity.js';
import type { Comparison, SignalName, SignalType } from './signal.js';

export type NameFingerprint = Pick<HandleForms, 'normalized' | 'key' | 'core' | 'collapsed'>;

/** 16 bands of 3 rows: pairs of cores with n-gram Jaccard 0.5 meet 88% of the time, 0.1 under 2%. */
const BANDS = 16;
const ROWS = 3;
const hasher = new MinHasher(BANDS * ROWS, 0x4a11d1e);

function compareNames(a: NameFingerprint, b: NameFingerprint): Comparison {
  const sharedKey = `c:${b.core}`;
  if (a.normalized === b.normalized)
    return { level: 'exact', detail: `same name "${b.normalized}"`, sharedKey };
  if (a.key === b.key)
    return { level: 'skeleton', detail: `same once lookalike characters are folded ("${b.key}")`, sharedKey };
  if (a.core === b.core || a.collapsed === b.collapsed) {
    return { level: 'core', detail: `same core "${b.core}" under affixes or numbers`, sharedKey };
  }
  const similarity = Math.max(jaroWinkler(a.core, b.core), osaSimilarity(a.core, b.core));
  const detail = `"${a.core}" vs "${b.core}", similarity ${similarity.toFixed(2)}`;
  if (similarity >= 0.9) return { level: 'similar', detail };
  if (similarity >= 0.8) return { level: 'weak', detail };
  return { level: 'none', detail };
}

function nameSignal(
  name: Extract<SignalName, 'handle' | 'displayName'>,
  read: (account: { handle: string; displayName?: string }) => string | undefined,
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
      const signature = hasher.signature([
        ...charNgrams(fingerprint.core, 2),
        ...charNgrams(fingerprint.core, 3),
      ]);
      if (signature) for (const band of lshBands(signature, BANDS, ROWS)) keys.push(`b${band}`);
      return keys;
    },
    compare: compareNames,
    referenceCompare: compareNames,
  };
}

export const handleSignal = nameSignal('handle', (account) => account.handle);
export const displayNameSignal = nameSignal('displayName', (account) => account.displayName);
