import {
  commonEnv,
  DEV_IDENTIFIER_PEPPER,
  DEV_WEBHOOK_SECRET,
  loadConfig,
  port,
  refuseDevCredentials,
} from '@mirrorwatch/config';
import { PLATFORMS, type Platform } from '@mirrorwatch/schemas';
import { z } from 'zod';

/** `x=secret1,telegram=secret2`; in development every platform missing from the list gets `dev-secret`. */
const WebhookSecrets = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const secrets = new Map<Platform, string>();
    for (const pair of value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)) {
      const separator = pair.indexOf('=');
      const platform = pair.slice(0, separator);
      const secret = pair.slice(separator + 1);
      if (separator <= 0 || !secret) {
        ctx.addIssue({ code: 'custom', message: 'entries must look like platform=secret' });
      } else if (!(PLATFORMS as readonly string[]).includes(platform)) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown platform "${platform}" (known: ${PLATFORMS.join(', ')})`,
        });
      } else {
        secrets.set(platform as Platform, secret);
      }
    }
    return secrets;
  });

export const IngestEnv = z
  .object({
    ...commonEnv,
    PORT: port(8080),
    WEBHOOK_SECRETS: WebhookSecrets,
    /** Key of the HMAC applied to raw email, phone, device id and IP before anything is published. */
    IDENTIFIER_PEPPER: z.string().optional(),
    DEFAULT_PHONE_REGION: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 region such as US or GB')
      .default('US'),
    SIGNATURE_TOLERANCE_SECONDS: z.coerce.number().int().positive().default(300),
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(1024 * 1024),
    /** How long a delivered eventId is remembered, so re-deliveries count as duplicates. */
    IDEMPOTENCY_TTL_SECONDS: z.coerce
      .number()
      .int()
      .positive()
      .default(7 * 24 * 3600),
    /** Longest a request waits for Kafka's acknowledgement before answering 503. */
    PUBLISH_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
    /**
     * How long a publish waits for others to share its Kafka request when none is in flight:
     * webhooks arrive as many small requests, and each request costs the broker far more than
     * its few events do.
     */
    PUBLISH_LINGER_MS: z.coerce.number().int().min(0).max(100).default(10),
  })
  .superRefine((env, ctx) => {
    refuseDevCredentials(
      env.MIRRORWATCH_MODE,
      [
        {
          name: 'WEBHOOK_SECRETS',
          value: [...env.WEBHOOK_SECRETS.values()].join(','),
          devValue: DEV_WEBHOOK_SECRET,
        },
        { name: 'IDENTIFIER_PEPPER', value: env.IDENTIFIER_PEPPER, devValue: DEV_IDENTIFIER_PEPPER },
      ],
      ctx,
    );
    if (env.MIRRORWATCH_MODE === 'production') {
      if (env.WEBHOOK_SECRETS.size === 0) {
        ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRETS'], message: 'is required in production' });
      }
      if (!env.IDENTIFIER_PEPPER || env.IDENTIFIER_PEPPER.length < 32) {
        ctx.addIssue({
          code: 'custom',
          path: ['IDENTIFIER_PEPPER'],
          message: 'is required in production (at least 32 characters)',
        });
      }
    }
  })
  .transform((env) => {
    const development = env.MIRRORWATCH_MODE === 'development';
    const webhookSecrets = new Map(env.WEBHOOK_SECRETS);
    if (development) {
      for (const platform of PLATFORMS)
        if (!webhookSecrets.has(platform)) webhookSecrets.set(platform, DEV_WEBHOOK_SECRET);
    }
    return {
      ...env,
      webhookSecrets: webhookSecrets as ReadonlyMap<Platform, string>,
      identifierPepper: env.IDENTIFIER_PEPPER ?? DEV_IDENTIFIER_PEPPER,
    };
  });

export type IngestConfig = z.infer<typeof IngestEnv>;

export function loadIngestConfig(env: Record<string, string | undefined> = process.env): IngestConfig {
  return loadConfig(IngestEnv, env);
}
