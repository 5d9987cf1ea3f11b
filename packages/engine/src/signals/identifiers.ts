import type { AccountInput, SignalName, SignalType } from './signal.js';

type HashField = 'emailHash' | 'phoneHash' | 'deviceHash' | 'ipPrefixHash';

/**
 * Email, phone, device and network arrive already normalised and keyed-hashed by ingest, so
 * the fingerprint is the hash and agreement is equality. Details never show a hash: a moderator
 * sees "same phone (hashed)".
 */
function hashedIdentifierSignal(name: SignalName, field: HashField, noun: string): SignalType<string> {
  const compare = (a: string, b: string) =>
    a === b
      ? { level: 'same', detail: `same ${noun} (hashed)`, sharedKey: a }
      : { level: 'different', detail: `different ${noun}` };
  return {
    name,
    levels: ['same', 'different'],
    fingerprint: (account: AccountInput) => account[field],
    blockingKeys: (hash) => [hash],
    sharedKeys: (hash) => [hash],
    compare,
    referenceCompare: compare,
  };
}

export const emailSignal = hashedIdentifierSignal('email', 'emailHash', 'email');
export const phoneSignal = hashedIdentifierSignal('phone', 'phoneHash', 'phone');
export const deviceSignal = hashedIdentifierSignal('device', 'deviceHash', 'device');
export const ipPrefixSignal = hashedIdentifierSignal('ipPrefix', 'ipPrefixHash', 'network (/24 or /48)');
