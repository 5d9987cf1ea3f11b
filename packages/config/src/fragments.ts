import { parseRedisUrl, REDIS_URL_FORMS } from '@mirrorwatch/redis/url';
import { z } from 'zod';

/**
 * Variables every service reads. Services spread these into their own schema so each one
 * documents exactly what it needs.
 */

export const DEV_WEBHOOK_SECRET = 'dev-secret';
export const DEV_ADMIN_TOKEN = 'dev-token';
export const DEV_IDENTIFIER_PEPPER = 'dev-pepper-not-for-production-use-000000';

/** `development` enables the dev secrets; anything else is production and refuses them. */
export const Mode = z.enum(['development', 'production']).default('production');
export type Mode = z.infer<typeof Mode>;

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

export const commonEnv = {
  MIRRORWATCH_MODE: Mode,
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KAFKA_BROKERS: z
    .string()
    .min(1, 'is required (comma-separated host:port list)')
    .transform((value) =>
      value
        .split(',')
        .map((broker) => broker.trim())
        .filter(Boolean),
    ),
  KAFKA_CLIENT_ID: z.string().default('mirrorwatch'),
  /** One server (`redis://`, `rediss://`) or a Redis Cluster (`redis+cluster://host:port,host:port`). */
  REDIS_URL: z.string({ error: `is required: ${REDIS_URL_FORMS}` }).superRefine((value, ctx) => {
    try {
      parseRedisUrl(value);
    } catch (error) {
      // The parser's message says which forms are accepted and never echoes a password.
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  }),
  /** Every Redis key is written under this prefix, so several deployments or tests can share a server. */
  REDIS_KEY_PREFIX: z.string().default('mw:'),
  /** How long a service may take to drain and close after SIGTERM before it exits anyway. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Partitions per topic, used when a service creates a missing topic; existing topics keep theirs. */
  ACCOUNT_EVENTS_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(6),
  MATCHES_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(6),
  ALERTS_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(3),
  DECISIONS_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(3),
  DEAD_LETTERS_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(1),
} as const;

export { port };

/**
 * Production must never run with the well-known development credentials.
 * Call from a schema's superRefine with the values to check.
 */
export function refuseDevCredentials(
  mode: Mode,
  values: Array<{ name: string; value: string | undefined; devValue: string }>,
  ctx: z.RefinementCtx,
): void {
  if (mode !== 'production') return;
  for (const { name, value, devValue } of values) {
    if (value?.includes(devValue)) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: 'contains a development credential, which production refuses',
      });
    }
  }
}
