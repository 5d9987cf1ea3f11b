import type { AccountEventMessage } from '@mirrorwatch/schemas';

/** What a signal reads: an account as it travels on Kafka (identifiers already keyed-hashed). */
export type AccountInput = AccountEventMessage['account'];

export const SIGNAL_NAMES = [
  'handle',
  'displayName',
  'bio',
  'links',
  'avatar',
  'email',
  'phone',
  'device',
  'ipPrefix',
  'followees',
] as const;
export type SignalName = (typeof SIGNAL_NAMES)[number];

/** The outcome of comparing one signal of two accounts. */
export interface Comparison {
  /** One of the signal's `levels`, strongest agreement first. */
  level: string;
  /** For a moderator: what agreed or differed, never a raw identifier. */
  detail: string;
  /**
   * The agreed value's blocking key when the level asserts equality of a value (the same avatar,
   * link or network). Its frequency in the population discounts the agreement: sharing the
   * default avatar or a carrier NAT says little.
   */
  sharedKey?: string;
}

/**
 * One kind of evidence, after python-threatexchange's SignalType: it owns what a fingerprint is
 * (normalise → fingerprint), how candidates are found (blocking keys) and how two fingerprints
 * compare (a level of agreement). Indexes own how fast candidates are found.
 *
 * Fingerprints are plain JSON values so they can be stored and shipped as they are.
 */
export interface SignalType<F> {
  readonly name: SignalName;
  /** Comparison levels, strongest agreement first; the last is usually plain disagreement. */
  readonly levels: readonly string[];
  /** Normalises and fingerprints; undefined when the account carries nothing usable. */
  fingerprint(account: AccountInput): F | undefined;
  /** Keys two accounts share when they may match on this signal (unprefixed; the registry prefixes). */
  blockingKeys(fingerprint: F): string[];
  /**
   * The blocking keys `compare` may name as `sharedKey` (unprefixed): the only keys whose
   * population share scoring looks up, so the only ones a term-frequency table needs to count.
   * Absent: the signal never names one.
   */
  sharedKeys?(fingerprint: F): string[];
  /** The fast comparison used in scoring. */
  compare(a: F, b: F): Comparison;
  /** A slow, obviously-correct comparison the fast one must agree with (tests). */
  referenceCompare(a: F, b: F): Comparison;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds signals of every fingerprint type
export type AnySignal = SignalType<any>;
