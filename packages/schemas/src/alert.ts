import { z } from 'zod';
import { Evidence } from './match.js';
import { Platform } from './platforms.js';

const IsoDateTime = z.iso.datetime({ offset: true });

export const ALERT_STATUSES = ['open', 'confirmed', 'dismissed'] as const;
export const AlertStatus = z.enum(ALERT_STATUSES);
export type AlertStatus = z.infer<typeof AlertStatus>;

/**
 * The public Alert (DESIGN.md, "External contract (v1)"): a candidate mirror account and the
 * banned accounts it resembles, with the evidence for each. Served by the alert API, streamed
 * over SSE, published on `mirrorwatch.alerts.v1` and to outbound webhooks, always this shape.
 */
export const Alert = z.object({
  id: z.string(),
  status: AlertStatus,
  createdAt: IsoDateTime,
  /** The best match's score. */
  score: z.number().min(0).max(1),
  /** Ingest receipt of the triggering event → alert created, in milliseconds. */
  latencyMs: z.number().int().nonnegative(),
  candidate: z.object({
    platform: Platform,
    accountId: z.string(),
    handle: z.string(),
    eventId: z.string(),
    receivedAt: IsoDateTime,
    /** When the platform says the account was made, where it said. */
    createdAt: IsoDateTime.optional(),
  }),
  matches: z.array(
    z.object({
      platform: Platform,
      accountId: z.string(),
      handle: z.string(),
      entity: z.string(),
      score: z.number().min(0).max(1),
      /** When the matched account was banned (absent for a report, which bans nothing). */
      bannedAt: IsoDateTime.optional(),
      /** The scoring model that produced `score` and `evidence`. */
      modelVersion: z.string().optional(),
      /** How the pair was found: the candidate's own event, a ban's retro-hunt, or a report. */
      via: z.enum(['candidate', 'retro-hunt', 'report']).optional(),
      evidence: z.array(Evidence),
    }),
  ),
});
export type Alert = z.infer<typeof Alert>;
