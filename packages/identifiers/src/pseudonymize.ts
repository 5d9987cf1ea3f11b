import { createHmac } from 'node:crypto';
import type { CountryCode } from 'libphonenumber-js';
import { networkPrefix, normalizeDeviceId, normalizeEmail, normalizePhone } from './normalize.js';

export type IdentifierKind = 'email' | 'phone' | 'device' | 'ipPrefix';

export interface RawIdentifiers {
  email?: string | undefined;
  phone?: string | undefined;
  deviceId?: string | undefined;
  ip?: string | undefined;
}

export interface HashedIdentifiers {
  emailHash?: string;
  phoneHash?: string;
  deviceHash?: string;
  ipPrefixHash?: string;
}

export interface Pseudonymizer {
  /** Keyed hashes of what could be normalised; raw values are not kept anywhere. */
  hash(raw: RawIdentifiers): HashedIdentifiers;
}

export interface PseudonymizerOptions {
  /** Secret key of the HMAC. Without it nobody can test guesses against the hashes. */
  pepper: string;
  /** Region used to read phone numbers written without a country code. */
  defaultPhoneRegion?: CountryCode;
}

/** 128 bits: collision-free at any realistic scale, half the memory of a full digest in the index. */
const HASH_HEX_LENGTH = 32;

export function createPseudonymizer({
  pepper,
  defaultPhoneRegion = 'US',
}: PseudonymizerOptions): Pseudonymizer {
  if (pepper.length < 16) throw new Error('identifier pepper must be at least 16 characters');
  // Domain-separated so the same string as an email and as a device id hashes differently.
  const keyed = (kind: IdentifierKind, value: string) =>
    createHmac('sha256', pepper).update(`${kind}\u0000${value}`).digest('hex').slice(0, HASH_HEX_LENGTH);

  return {
    hash(raw) {
      const out: HashedIdentifiers = {};
      const email = raw.email === undefined ? undefined : normalizeEmail(raw.email);
      if (email) out.emailHash = keyed('email', email);
      const phone = raw.phone === undefined ? undefined : normalizePhone(raw.phone, defaultPhoneRegion);
      if (phone) out.phoneHash = keyed('phone', phone);
      const device = raw.deviceId === undefined ? undefined : normalizeDeviceId(raw.deviceId);
      if (device) out.deviceHash = keyed('device', device);
      const prefix = raw.ip === undefined ? undefined : networkPrefix(raw.ip);
      if (prefix) out.ipPrefixHash = keyed('ipPrefix', prefix);
      return out;
    },
  };
}
