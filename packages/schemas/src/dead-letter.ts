import { z } from 'zod';

/** A message a consumer could not handle, with why; the original bytes are kept for replay. */
export const DeadLetterMessage = z.object({
  schemaVersion: z.literal(1),
  source: z.object({
    topic: z.string(),
    partition: z.number().int().nonnegative(),
    offset: z.string(),
    key: z.string().nullable(),
  }),
  consumerGroup: z.string(),
  /** Stable machine-readable reason, e.g. `invalid_json`, `schema_mismatch`, `processing_failed`. */
  code: z.string(),
  reason: z.string(),
  /** The original value, base64, so nothing is lost even when it is not valid UTF-8. */
  valueBase64: z.string().nullable(),
  failedAt: z.iso.datetime({ offset: true }),
});
export type DeadLetterMessage = z.infer<typeof DeadLetterMessage>;
