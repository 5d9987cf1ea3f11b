import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  commonEnv,
  DEV_ADMIN_TOKEN,
  DEV_WEBHOOK_SECRET,
  loadConfig,
  port,
  refuseDevCredentials,
} from '@mirrorwatch/config';
import { z } from 'zod';
import { type ApiToken, parseTokens } from './auth.js';

/** The console package's build output, found through the package wherever npm installed it. */
function consoleDist(): string | undefined {
  try {
    const manifest = createRequire(import.meta.url).resolve('@mirrorwatch/console/package.json');
    return join(dirname(manifest), 'dist');
  } catch {
    return undefined; // an image without the console: /console/ answers 503
  }
}

const urlList = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const urls = value
      .split(',')
      .map((url) => url.trim())
      .filter(Boolean);
    for (const url of urls) {
      if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
        ctx.addIssue({ code: 'custom', message: `"${url}" is not an http(s) URL` });
    }
    return urls;
  });

export const AlertsEnv = z
  .object({
    ...commonEnv,
    PORT: port(8082),
    ALERTS_GROUP_ID: z.string().default('mirrorwatch-alerts'),
    /** Matches handled between offset commits. */
    ALERTS_CHUNK_SIZE: z.coerce.number().int().min(1).max(5000).default(200),
    /** Matches partitions taken at once, their chunks handled together (see MATCHER_PARTITIONS_CONCURRENTLY). */
    ALERTS_PARTITIONS_CONCURRENTLY: z.coerce.number().int().min(1).max(64).default(16),
    /** `name:role:secret,…` with role viewer, moderator or admin. */
    ALERTS_TOKENS: z.string().default(''),
    /** Where every new or changed alert is POSTed, signed with ALERT_WEBHOOK_SECRET. */
    ALERT_WEBHOOK_URLS: urlList,
    ALERT_WEBHOOK_SECRET: z.string().min(16).optional(),
    ALERT_WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
    ALERT_WEBHOOK_BACKOFF_MS: z.coerce.number().int().positive().default(200),
    ALERT_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
    /** The moderator console's static build, served at /console/. */
    CONSOLE_DIR: z
      .string()
      .min(1)
      .optional()
      .transform((dir) => dir ?? consoleDist()),
  })
  .superRefine((env, ctx) => {
    refuseDevCredentials(
      env.MIRRORWATCH_MODE,
      [
        { name: 'ALERTS_TOKENS', value: env.ALERTS_TOKENS, devValue: DEV_ADMIN_TOKEN },
        { name: 'ALERT_WEBHOOK_SECRET', value: env.ALERT_WEBHOOK_SECRET, devValue: DEV_WEBHOOK_SECRET },
      ],
      ctx,
    );
    if (env.ALERT_WEBHOOK_URLS.length > 0 && !env.ALERT_WEBHOOK_SECRET)
      ctx.addIssue({
        code: 'custom',
        path: ['ALERT_WEBHOOK_SECRET'],
        message: 'is required when ALERT_WEBHOOK_URLS is set',
      });
    try {
      parseTokens(env.ALERTS_TOKENS);
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['ALERTS_TOKENS'], message: (error as Error).message });
    }
  })
  .transform((env) => {
    const tokens: ApiToken[] = parseTokens(env.ALERTS_TOKENS);
    if (env.MIRRORWATCH_MODE === 'development')
      tokens.push({ name: 'dev', role: 'admin', secret: DEV_ADMIN_TOKEN });
    return { ...env, tokens };
  });

export type AlertsConfig = z.infer<typeof AlertsEnv>;

export function loadAlertsConfig(env: Record<string, string | undefined> = process.env): AlertsConfig {
  return loadConfig(AlertsEnv, env);
}
