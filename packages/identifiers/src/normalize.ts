import { isIP } from 'node:net';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Canonical forms of raw identifiers, so cosmetic variation ("J.Doe+backup@GMail.com",
 * "+44 20 7946 0958" vs "020 7946 0958") hashes to the same value. Each returns undefined when
 * the value cannot be normalised; the caller then drops it rather than hashing garbage.
 */

const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

export function normalizeEmail(raw: string): string | undefined {
  const value = raw.trim().toLowerCase();
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return undefined;
  let local = value.slice(0, at);
  let domain = value.slice(at + 1);
  // Sub-addressing is cosmetic everywhere that matters; Gmail also ignores dots.
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  if (GMAIL_DOMAINS.has(domain)) {
    local = local.replaceAll('.', '');
    domain = 'gmail.com';
  }
  return local ? `${local}@${domain}` : undefined;
}

export function normalizePhone(raw: string, defaultRegion: CountryCode): string | undefined {
  const parsed = parsePhoneNumberFromString(raw, defaultRegion);
  return parsed?.isPossible() ? parsed.number : undefined;
}

export function normalizeDeviceId(raw: string): string | undefined {
  const value = raw.trim().toLowerCase();
  return value || undefined;
}

/** The network an address belongs to: /24 for IPv4, /48 for IPv6. Shared NATs make full addresses noisy. */
export function networkPrefix(raw: string): string | undefined {
  const value = raw.trim();
  const family = isIP(value);
  if (family === 4) {
    const octets = value.split('.');
    return `${octets.slice(0, 3).join('.')}.0/24`;
  }
  if (family === 6) {
    const groups = expandIpv6(value);
    return groups ? `${groups.slice(0, 3).join(':')}::/48` : undefined;
  }
  return undefined;
}

/** Eight 4-digit lower-case groups, or undefined for forms we do not expect (embedded IPv4). */
function expandIpv6(value: string): string[] | undefined {
  const lower = value.toLowerCase().split('%')[0] ?? '';
  if (lower.includes('.')) return undefined;
  const [head = '', tail] = lower.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return undefined;
  return [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups].map((group) =>
    group.padStart(4, '0'),
  );
}
