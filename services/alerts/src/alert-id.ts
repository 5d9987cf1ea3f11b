import { createHash } from 'node:crypto';

/**
 * One alert per (candidate account, entity): a moderator judges "is this account part of that
 * group", whichever of the group's banned accounts it resembles. Deterministic, so replicas and
 * replays agree on it.
 */
export function alertId(candidatePlatform: string, candidateAccountId: string, entity: string): string {
  const digest = createHash('sha256')
    .update(`${candidatePlatform}:${candidateAccountId}|${entity}`)
    .digest('hex');
  return `al_${digest.slice(0, 24)}`;
}
