import type { Alert, MatchMessage } from '@mirrorwatch/schemas';
import { alertId } from './alert-id.js';

/** An alert as stored, without the status, which only decisions change. */
export type AlertBody = Omit<Alert, 'status'>;

export type MergeOutcome = 'created' | 'updated' | 'duplicate';

/**
 * Folds a match into its alert. The same (candidate, banned account) pair never adds a second
 * entry: a repeat keeps the better-scored version. The alert's score is its best match's.
 */
export function mergeMatch(
  existing: AlertBody | undefined,
  match: MatchMessage,
  now: Date,
): { body: AlertBody; outcome: MergeOutcome } {
  const entry = {
    platform: match.banned.platform,
    accountId: match.banned.accountId,
    handle: match.banned.handle,
    entity: match.banned.entity,
    score: match.score,
    // A report bans nothing: its `bannedAt` is only the report's receipt.
    ...(match.via !== 'report' && { bannedAt: match.banned.bannedAt }),
    modelVersion: match.modelVersion,
    via: match.via,
    evidence: match.evidence,
  };
  if (!existing) {
    return {
      outcome: 'created',
      body: {
        id: alertId(match.candidate.platform, match.candidate.accountId, match.banned.entity),
        createdAt: now.toISOString(),
        score: match.score,
        latencyMs: Math.max(0, Math.round(now.getTime() - Date.parse(match.trigger.receivedAt))),
        candidate: match.candidate,
        matches: [entry],
      },
    };
  }
  const position = existing.matches.findIndex(
    (known) => known.platform === entry.platform && known.accountId === entry.accountId,
  );
  if (position >= 0 && (existing.matches[position]?.score ?? 0) >= entry.score) {
    return { body: existing, outcome: 'duplicate' };
  }
  const matches =
    position >= 0
      ? existing.matches.map((known, n) => (n === position ? entry : known))
      : [...existing.matches, entry];
  matches.sort((a, b) => b.score - a.score);
  return {
    outcome: 'updated',
    body: { ...existing, matches, score: Math.max(...matches.map((known) => known.score)) },
  };
}
