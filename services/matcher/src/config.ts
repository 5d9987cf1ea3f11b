import { commonEnv, loadConfig, port } from '@mirrorwatch/config';
import { DEFAULT_CANDIDATE_LIMIT, DEFAULT_MAX_BUCKET_SIZE } from '@mirrorwatch/engine';
import { z } from 'zod';

export const MatcherEnv = z.object({
  ...commonEnv,
  /** Health and metrics only; the matcher takes its work from Kafka. */
  PORT: port(8081),
  MATCHER_GROUP_ID: z.string().default('mirrorwatch-matcher'),
  /** Events handled at once; offsets are committed after each chunk's matches are acknowledged. */
  MATCHER_CHUNK_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  /**
   * Partitions one worker takes at once; their chunks are handled together, so the cost of a
   * handler call (round trips, a script call per index shard) is paid once for all of them. At
   * least the account-events partition count, so that every partition's messages join the call.
   */
  MATCHER_PARTITIONS_CONCURRENTLY: z.coerce.number().int().min(1).max(64).default(16),
  /** Banned candidates scored per account, the rest being the ones sharing fewest blocking keys. */
  MATCHER_CANDIDATE_LIMIT: z.coerce.number().int().min(1).max(1000).default(DEFAULT_CANDIDATE_LIMIT),
  /** A blocking key held by more accounts than this is too common to retrieve by. */
  INDEX_MAX_BUCKET_SIZE: z.coerce.number().int().min(1).max(100_000).default(DEFAULT_MAX_BUCKET_SIZE),
  /** How long new and changed accounts stay in the recent-accounts window for retro-hunting. */
  RECENT_WINDOW_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(72),
  /** A scoring model JSON written by `mirrorwatch train`; the shipped default model when unset. */
  MODEL_PATH: z.string().min(1).optional(),
  /** A second model that scores every pair beside the live one without alerting (see `mirrorwatch shadow-report`). */
  SHADOW_MODEL_PATH: z.string().min(1).optional(),
});

export type MatcherConfig = z.infer<typeof MatcherEnv>;

export function loadMatcherConfig(env: Record<string, string | undefined> = process.env): MatcherConfig {
  return loadConfig(MatcherEnv, env);
}
