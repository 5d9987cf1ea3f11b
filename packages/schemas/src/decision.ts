import { z } from 'zod';
import { Platform } from './platforms.js';

export const DECISIONS = ['confirm', 'dismiss'] as const;
export const Decision = z.enum(DECISIONS);
export type Decision = z.infer<typeof Decision>;

/**
 * A moderator's judgement of an alert, for the platform's own enforcement and for Mirrorwatch's
 * feedback loop. A confirmation is a human finding that the candidate mirrors the entity; the
 * platform decides what to do with it.
 */
export const DecisionMessage = z.object({
  schemaVersion: z.literal(1),
  alertId: z.string(),
  decision: Decision,
  note: z.string().max(2000).optional(),
  /** Name of the token that decided (never the token). */
  decidedBy: z.string(),
  decidedAt: z.iso.datetime({ offset: true }),
  candidate: z.object({ platform: Platform, accountId: z.string() }),
  /** The banned accounts the alert matched, as `platform:accountId`, and their entity. */
  banned: z.array(z.object({ account: z.string(), entity: z.string() })),
});
export type DecisionMessage = z.infer<typeof DecisionMessage>;
