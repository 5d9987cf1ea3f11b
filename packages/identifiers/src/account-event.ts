import type { Account, AccountEventMessage, Event, Platform, Report } from '@mirrorwatch/schemas';
import type { Pseudonymizer } from './pseudonymize.js';

/**
 * The contract Event as it may travel: raw identifiers replaced by keyed hashes, the image dropped
 * (ingest turns it into a PDQ hash before calling this). Used by ingest and by offline replay, so
 * both see exactly the same message.
 */
export function toAccountEventMessage(
  event: Event,
  platform: Platform,
  receivedAt: Date,
  pseudonymizer: Pseudonymizer,
): AccountEventMessage {
  return {
    schemaVersion: 1,
    eventId: event.eventId,
    platform,
    type: event.type,
    occurredAt: event.occurredAt,
    receivedAt: receivedAt.toISOString(),
    account: toMessageAccount(event.account, pseudonymizer),
    ...(event.ban !== undefined && { ban: event.ban }),
  };
}

/**
 * The event id a report travels under. Reports and platform events are claimed in the same
 * per-platform idempotency space, so a report's id is prefixed and can never collide with an
 * eventId a platform chose.
 */
export function reportEventId(reportId: string): string {
  return `report:${reportId}`;
}

/**
 * A report from outside the platform as it travels: an `account.reported` event carrying who
 * reported it, for which entity and why, with the account hashed exactly as for platform events.
 * A report is a lead for review; it never carries `ban`.
 */
export function toReportedAccountMessage(
  report: Report,
  platform: Platform,
  receivedAt: Date,
  pseudonymizer: Pseudonymizer,
): AccountEventMessage {
  return {
    schemaVersion: 1,
    eventId: reportEventId(report.reportId),
    platform,
    type: 'account.reported',
    occurredAt: report.occurredAt,
    receivedAt: receivedAt.toISOString(),
    account: toMessageAccount(report.account, pseudonymizer),
    report: { source: report.source, entity: report.entity, reason: report.reason },
  };
}

/**
 * Fields are copied one by one on purpose, so a field added to the contract is not published
 * until someone decides whether it is personal data.
 */
function toMessageAccount(account: Account, pseudonymizer: Pseudonymizer): AccountEventMessage['account'] {
  return {
    id: account.id,
    handle: account.handle,
    ...(account.displayName !== undefined && { displayName: account.displayName }),
    ...(account.bio !== undefined && { bio: account.bio }),
    ...(account.links !== undefined && { links: account.links }),
    ...(account.avatarPdq !== undefined && { avatarPdq: account.avatarPdq.toLowerCase() }),
    ...(account.followees !== undefined && { followees: account.followees }),
    ...(account.createdAt !== undefined && { createdAt: account.createdAt }),
    ...pseudonymizer.hash(account),
  };
}
