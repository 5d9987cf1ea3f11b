import { commonEnv, loadConfig, port } from '@mirrorwatch/config';
import { z } from 'zod';

export const MatcherEnv = z.object({
  ...commonEnv,
  /** Health and metrics only; the matcher takes its work from Kafka. */
  PORT: port(8081),
  MATCHER_GROUP_ID: z.string().default('mirrorwatch-matcher'),
  /** Events handed to the pipeline at once; offsets are committed after each chunk. */
  MATCHER_CHUNK_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
});

export type MatcherConfig = z.infer<typeof MatcherEnv>;

export function loadMatcherConfig(env: Record<string, string | undefined> = process.env): MatcherConfig {
  return loadConfig(MatcherEnv, env);
}
