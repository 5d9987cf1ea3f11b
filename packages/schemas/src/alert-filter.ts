import type { Alert, AlertStatus } from './alert.js';
import type { Platform } from './platforms.js';

/**
 * The queue filter of `GET /v1/alerts`. The service applies it to stored alerts and the console
 * to alerts arriving over the stream, so both show the same queue. Types only are imported: the
 * console bundles this module without zod.
 */
export interface AlertFilter {
  status?: AlertStatus;
  platform?: Platform;
  entity?: string;
  minScore?: number;
}

export function alertMatchesFilter(alert: Alert, filter: AlertFilter): boolean {
  if (filter.status && alert.status !== filter.status) return false;
  if (filter.platform && alert.candidate.platform !== filter.platform) return false;
  if (filter.entity && !alert.matches.some((match) => match.entity === filter.entity)) return false;
  if (filter.minScore !== undefined && alert.score < filter.minScore) return false;
  return true;
}
