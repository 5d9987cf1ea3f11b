import { z } from 'zod';
import { Platform } from './platforms.js';

const IsoDateTime = z.iso.datetime({ offset: true });

/** One line of evidence: a signal's comparison level and its weight in calibrated log2-odds. */
export const Evidence = z.object({
  signal: z.string(),
  level: z.string().optional(),
  weight: z.number(),
  detail: z.string(),
});
export type Evidence = z.infer<typeof Evidence>;

/**
 * A scored (candidate, banned account) pair above the review threshold, published by the matcher
 * (a new or changed account met a banned one) or by the indexer (a new ban met a recent account).
 * Matches are facts, not decisions: the alerts service turns them into alerts for review.
 */
export const MatchMessage = z.object({
  schemaVersion: z.literal(1),
  /** Deterministic from the pair and the triggering event, so a replayed event repeats its id. */
  matchId: z.string().min(1),
  /** `report`: an outside report of the candidate; `banned` then names the reporter, not a ban. */
  via: z.enum(['candidate', 'retro-hunt', 'report']),
  /** The event that caused this match to be looked for; alert latency starts at its receipt. */
  trigger: z.object({ eventId: z.string(), receivedAt: IsoDateTime }),
  candidate: z.object({
    platform: Platform,
    accountId: z.string(),
    handle: z.string(),
    /** The candidate's event the score was computed from. */
    eventId: z.string(),
    receivedAt: IsoDateTime,
    createdAt: IsoDateTime.optional(),
  }),
  banned: z.object({
    platform: Platform,
    accountId: z.string(),
    handle: z.string(),
    entity: z.string(),
    bannedAt: IsoDateTime,
  }),
  /** Calibrated probability that the candidate is run by the banned account's operator. */
  score: z.number().min(0).max(1),
  modelVersion: z.string(),
  evidence: z.array(Evidence),
  matchedAt: IsoDateTime,
});
export type MatchMessage = z.infer<typeof MatchMessage>;
