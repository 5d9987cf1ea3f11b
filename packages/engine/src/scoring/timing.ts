import type { AccountFingerprint, BannedFingerprint } from '../fingerprint.js';
import type { Comparison } from '../signals/signal.js';

const HOUR = 3_600_000;
export const RECENT_WINDOW_MS = 72 * HOUR;

export const TIMING_LEVELS = [
  'before-ban',
  'within-1h',
  'within-1d',
  'within-7d',
  'later',
  'long-before',
] as const;

function duration(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 72 ? `${hours} h` : `${Math.round(hours / 24)} days`;
}

/**
 * When the candidate's profile appeared relative to the banned account's ban. Mirrors come within
 * hours; backups are made in the days before; a profile long predating the ban is weaker evidence.
 */
export function compareTiming(candidate: AccountFingerprint, banned: BannedFingerprint): Comparison {
  const delta = candidate.observedAt - banned.bannedAt;
  if (delta < 0) {
    const created = candidate.createdAt ?? candidate.observedAt;
    const lead = banned.bannedAt - created;
    return lead <= RECENT_WINDOW_MS
      ? { level: 'before-ban', detail: `created ${duration(lead)} before the ban` }
      : { level: 'long-before', detail: `existed ${duration(lead)} before the ban` };
  }
  const detail = `seen ${duration(delta)} after the ban`;
  if (delta <= HOUR) return { level: 'within-1h', detail };
  if (delta <= 24 * HOUR) return { level: 'within-1d', detail };
  if (delta <= 7 * 24 * HOUR) return { level: 'within-7d', detail };
  return { level: 'later', detail };
}

export const PLATFORM_LEVELS = ['same', 'cross'] as const;

/** Most mirrors return where they were banned; a sibling account on another platform is a weaker parent. */
export function comparePlatform(candidate: AccountFingerprint, banned: BannedFingerprint): Comparison {
  return candidate.platform === banned.platform
    ? { level: 'same', detail: `both on ${banned.platform}` }
    : { level: 'cross', detail: `${candidate.platform} account, banned on ${banned.platform}` };
}
