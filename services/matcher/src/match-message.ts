import { createHash } from 'node:crypto';
import type { BannedFingerprint, MatchResult, ScoringModel } from '@mirrorwatch/engine';
import type { MatchMessage, ReportInfo } from '@mirrorwatch/schemas';
import type { RecentAccount } from './stores.js';

export interface MatchTrigger {
  eventId: string;
  receivedAt: string;
}

/**
 * Depends only on the pair and the event that caused the search, so an event processed twice (a
 * crash before the commit) repeats the same id and the alerts service sees a duplicate.
 */
function matchIdOf(candidate: string, other: string, trigger: MatchTrigger): string {
  return createHash('sha256').update(`${candidate}|${other}|${trigger.eventId}`).digest('hex').slice(0, 32);
}

function candidateOf(candidate: RecentAccount): MatchMessage['candidate'] {
  return {
    platform: candidate.platform,
    accountId: candidate.accountId,
    handle: candidate.handle,
    eventId: candidate.eventId,
    receivedAt: candidate.receivedAt,
    ...(candidate.createdAt !== undefined && { createdAt: new Date(candidate.createdAt).toISOString() }),
  };
}

/** The match record for one scored pair. */
export function toMatchMessage(
  candidate: RecentAccount,
  result: MatchResult,
  via: MatchMessage['via'],
  trigger: MatchTrigger,
  modelVersion: string,
  matchedAt: Date,
): MatchMessage {
  const banned: BannedFingerprint = result.banned;
  return {
    schemaVersion: 1,
    matchId: matchIdOf(candidate.account, banned.account, trigger),
    via,
    trigger,
    candidate: candidateOf(candidate),
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

/**
 * A report from outside the platform, as a match for review: `banned` names the reporter (there
 * is no banned account), the score sits at the review threshold (a report alone is a lead, not
 * evidence of a link), and the single evidence line says who reported it and why. Any real
 * match of the same account arrives beside it with its own evidence.
 */
export function toReportMatchMessage(
  candidate: RecentAccount,
  report: ReportInfo,
  trigger: MatchTrigger,
  model: ScoringModel,
  matchedAt: Date,
): MatchMessage {
  const reporter = `report:${report.source}`;
  return {
    schemaVersion: 1,
    matchId: matchIdOf(candidate.account, reporter, trigger),
    via: 'report',
    trigger,
    candidate: candidateOf(candidate),
    banned: {
      platform: candidate.platform,
      accountId: reporter,
      handle: report.source,
      entity: report.entity,
      bannedAt: trigger.receivedAt,
    },
    score: model.reviewThreshold,
    modelVersion: model.version,
    evidence: [
      {
        signal: 'report',
        level: 'reported',
        weight: 0,
        detail: `reported by ${report.source}: ${report.reason}`,
      },
    ],
    matchedAt: matchedAt.toISOString(),
  };
}
