// The environment variables each service reads, taken from the services' own zod schemas
// (services/*/src/config.ts, built on packages/config), so the manifests cannot drift from the code.
import { AlertsEnv } from '@mirrorwatch/alerts/config';
import { IngestEnv } from '@mirrorwatch/ingest/config';
import { MatcherEnv } from '@mirrorwatch/matcher/config';

/** Keys of a zod object schema, looking through refinements and transforms (zod 4 pipes). */
export function envNames(schema: unknown): string[] {
  const node = schema as { shape?: Record<string, unknown>; in?: unknown };
  if (node.shape && typeof node.shape === 'object') return Object.keys(node.shape);
  if (node.in !== undefined) return envNames(node.in);
  throw new Error('not a zod object schema (nor a pipe from one)');
}

export type ServiceEnv = Readonly<Record<string, ReadonlySet<string>>>;

/** Container name → the variables that service reads. */
export function serviceEnv(): ServiceEnv {
  return {
    ingest: new Set(envNames(IngestEnv)),
    matcher: new Set(envNames(MatcherEnv)),
    alerts: new Set(envNames(AlertsEnv)),
  };
}
