import { type AccountInput, type AnySignal, SIGNAL_NAMES, type SignalName } from './signal.js';

/** Each signal's fingerprint of one account; absent where the account carries nothing for it. */
export type SignalFingerprints = Partial<Record<SignalName, unknown>>;

export interface SignalRegistry {
  readonly signals: readonly AnySignal[];
  get(name: SignalName): AnySignal | undefined;
  fingerprint(account: AccountInput): SignalFingerprints;
  /** Every signal's blocking keys, prefixed with the signal name so namespaces never collide. */
  blockingKeys(fingerprints: SignalFingerprints): string[];
  /** Every signal's shared keys, prefixed like blocking keys: the keys term frequencies count. */
  sharedKeys(fingerprints: SignalFingerprints): string[];
}

export class RegistryError extends Error {
  readonly code = 'MW_SIGNAL_REGISTRY_INVALID';
}

/** Validates the set of signals once, at start-up: unique known names, well-formed levels. */
export function createRegistry(signals: readonly AnySignal[]): SignalRegistry {
  const byName = new Map<SignalName, AnySignal>();
  for (const signal of signals) {
    if (!(SIGNAL_NAMES as readonly string[]).includes(signal.name)) {
      throw new RegistryError(`unknown signal "${signal.name}" (known: ${SIGNAL_NAMES.join(', ')})`);
    }
    if (byName.has(signal.name)) throw new RegistryError(`signal "${signal.name}" is registered twice`);
    if (signal.levels.length < 2 || new Set(signal.levels).size !== signal.levels.length) {
      throw new RegistryError(`signal "${signal.name}" needs at least two distinct comparison levels`);
    }
    byName.set(signal.name, signal);
  }

  return {
    signals,
    get: (name) => byName.get(name),
    fingerprint(account) {
      const fingerprints: SignalFingerprints = {};
      for (const signal of signals) {
        const fingerprint = signal.fingerprint(account);
        if (fingerprint !== undefined) fingerprints[signal.name] = fingerprint;
      }
      return fingerprints;
    },
    blockingKeys(fingerprints) {
      const keys: string[] = [];
      for (const signal of signals) {
        const fingerprint = fingerprints[signal.name];
        if (fingerprint === undefined) continue;
        for (const key of signal.blockingKeys(fingerprint)) keys.push(`${signal.name}:${key}`);
      }
      return keys;
    },
    sharedKeys(fingerprints) {
      const keys: string[] = [];
      for (const signal of signals) {
        const fingerprint = fingerprints[signal.name];
        if (fingerprint === undefined || !signal.sharedKeys) continue;
        for (const key of signal.sharedKeys(fingerprint)) keys.push(`${signal.name}:${key}`);
      }
      return keys;
    },
  };
}
