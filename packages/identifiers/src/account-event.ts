import type { AccountEventMessage, Event, Platform } from '@mirrorwatch/schemas';
import type { Pseudonymizer } from './pseudonymize.js';

/**
 * The contract Event as it may travel: raw identifiers replaced by keyed hashes, the image dropped
 * (ingest turns it into a PDQ hash before calling this). Used by ingest and by offline replay, so
 * both see exactly the same message. Fields are
 * copied one by one on purpose, so a field added to the contract is not published until someone
 * decides whether it is personal data.
 */
export function toAccountEventMessage(
  event: Event,
  platform: Platform,
  receivedAt: Date,
  pseudonymizer: Pseudonymizer,
): AccountEventMessage {
  const { account } = event;
  const hashed = pseudonymizer.hash(account);
  return {
    schemaVersion: 1,
    eventId: event.eventId,
    platform,
    type: event.type,
    occurredAt: event.occurredAt,
    receivedAt: receivedAt.toISOString(),
    account: {
      id: account.id,
      handle: account.handle,
      ...(account.displayName !== undefined && { displayName: account.displayName }),
      ...(account.bio !== undefined && { bio: account.bio }),
      ...(account.links !== undefined && { links: account.links }),
      ...(account.avatarPdq !== undefined && { avatarPdq: account.avatarPdq.toLowerCase() }),
      ...(account.followees !== undefined && { followees: account.followees }),
      ...(account.createdAt !== undefined && { createdAt: account.createdAt }),
      ...hashed,
    },
    ...(event.ban !== undefined && { ban: event.ban }),
  };
}
