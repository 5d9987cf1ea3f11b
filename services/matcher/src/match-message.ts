import { createHash } from 'node:crypto';
import type { BannedFingerprint, MatchResult } from '@mirrorwatch/engine';
import type { MatchMessage } from '@mirrorwatch/schemas';
import type { RecentAccount } from './stores.js';

export interface MatchTrigger {
  eventId: string;
  receivedAt: string;
}

/**
 * The match record for one scored pair. Its id depends only on the pair and the event that
 * caused the search, so an event processed twice (a crash before the commit) repeats the same
 * id and the alerts service sees a duplicate, not a new fact.
 */
export function toMatchMessage(
  candidate: RecentAccount,
  result: MatchResult,
  via: MatchMessage['via'],
  trigger: MatchTrigger,
  modelVersion: string,
  matchedAt: Date,
): MatchMessage {
  const banned: BannedFingerprint = result.banned;
  const matchId = createHash('sha256')
    .update(`${candidate.account}|${banned.account}|${trigger.eventId}`)
    .digest('hex')
    .slice(0, 32);
  return {
    schemaVersion: 1,
    matchId,
    via,
    trigger,
    candidate: {
      platform: candidate.platform,
      accountId: candidate.accountId,
      handle: candidate.handle,
      eventId: candidate.eventId,
      receivedAt: candidate.receivedAt,
    },
    banned: {
      platform: banned.platform,
      accountId: banned.accountId,
      handle: banned.handle,
      entity: banned.entity,
      bannedAt: new Date(banned.bannedAt).toISOString(),
    },
    score: result.score.probability,
    modelVersion,
    evidence: result.score.evidence.map(({ signal, level, weight, detail }) => ({
      signal,
      level,
      weight: Math.round(weight * 1000) / 1000,
      detail,
    })),
    matchedAt: matchedAt.toISOString(),
  };
}
