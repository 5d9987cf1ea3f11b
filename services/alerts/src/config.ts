import { commonEnv, loadConfig, port } from '@mirrorwatch/config';
import { z } from 'zod';

export const AlertsEnv = z.object({
  ...commonEnv,
  PORT: port(8082),
});

export type AlertsConfig = z.infer<typeof AlertsEnv>;

export function loadAlertsConfig(env: Record<string, string | undefined> = process.env): AlertsConfig {
  return loadConfig(AlertsEnv, env);
}
