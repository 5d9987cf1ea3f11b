import type { AccountEventMessage, Platform } from '@mirrorwatch/schemas';
import type { SignalFingerprints, SignalRegistry } from './signals/registry.js';

/** An account as the engine remembers it: who it is, when it was seen, and its signal fingerprints. */
export interface AccountFingerprint {
  /** `platform:accountId`, the account's identity across Mirrorwatch. */
  account: string;
  platform: Platform;
  accountId: string;
  /** The handle as the platform showed it, for moderators. */
  handle: string;
  /** When this profile was observed (the event's occurredAt), ms since epoch. */
  observedAt: number;
  createdAt?: number;
  signals: SignalFingerprints;
}

/** A banned account in the index, under the entity it was banned for. */
export interface BannedFingerprint extends AccountFingerprint {
  entity: string;
  bannedAt: number;
}

export function accountKey(platform: string, accountId: string): string {
  return `${platform}:${accountId}`;
}

export function fingerprintEvent(message: AccountEventMessage, registry: SignalRegistry): AccountFingerprint {
  const { account } = message;
  return {
    account: accountKey(message.platform, account.id),
    platform: message.platform,
    accountId: account.id,
    handle: account.handle,
    observedAt: Date.parse(message.occurredAt),
    ...(account.createdAt !== undefined && { createdAt: Date.parse(account.createdAt) }),
    signals: registry.fingerprint(account),
  };
}
