import { hammingDistance, isPdqHex } from '../pdq/hamming.js';
import { segmentKeys } from '../pdq/mih.js';
import type { Comparison, SignalType } from './signal.js';

/** The avatar's PDQ hash (64 lower-case hex). */
export type AvatarFingerprint = string;

/** PDQ's own match threshold. */
export const PDQ_MATCH_THRESHOLD = 31;

function levelOf(distance: number, b: AvatarFingerprint): Comparison {
  // The banned avatar's exact hash is the shared value: the default avatar is common, a logo is not.
  const sharedKey = `h:${b}`;
  const detail = `PDQ distance ${distance} of 256`;
  if (distance <= 10) return { level: 'near-identical', detail, sharedKey };
  if (distance <= 20) return { level: 'near', detail, sharedKey };
  if (distance <= PDQ_MATCH_THRESHOLD) return { level: 'similar', detail, sharedKey };
  return { level: 'different', detail };
}

export const avatarSignal: SignalType<AvatarFingerprint> = {
  name: 'avatar',
  levels: ['near-identical', 'near', 'similar', 'different'],
  fingerprint: (account) =>
    account.avatarPdq && isPdqHex(account.avatarPdq) ? account.avatarPdq.toLowerCase() : undefined,
  // Multi-index hashing: every hash within distance 15 shares one of these 16 keys.
  blockingKeys: (hash) => [`h:${hash}`, ...segmentKeys(hash).map((key) => `s${key}`)],
  sharedKeys: (hash) => [`h:${hash}`],
  compare: (a, b) => levelOf(hammingDistance(a, b), b),
  referenceCompare(a, b) {
    // Bit by bit over the hex digits: slow and obviously right.
    let distance = 0;
    for (let i = 0; i < 64; i += 1) {
      let x = Number.parseInt(a[i] ?? '0', 16) ^ Number.parseInt(b[i] ?? '0', 16);
      while (x) {
        distance += x & 1;
        x >>= 1;
      }
    }
    return levelOf(distance, b);
  },
};
