/**
 * Canonical forms of profile links, so the same destination written differently is one value:
 * t.me / telegram.me / telegram.dog, wa.me / api.whatsapp.com/send, chat.whatsapp.com invites,
 * with or without scheme, www., tracking parameters or trailing slashes.
 */

export interface CanonicalLink {
  /** Comparable form, e.g. `tg-invite:AbCd…`, `tg:channelname`, `wa-group:Code`, `url:example.org/path`. */
  key: string;
  /** Invites and channels identify a group directly; ordinary URLs say less. */
  kind: 'invite' | 'url';
}

const TELEGRAM_HOSTS = new Set(['t.me', 'telegram.me', 'telegram.dog']);
const TRACKING_PARAMS = /^(utm_.*|fbclid|gclid|igshid|igsh|si|s|ref|ref_src|ref_url|mc_.*|_ga|feature)$/i;

export function canonicalLink(raw: string): CanonicalLink | undefined {
  const trimmed = raw.trim();
  if (!trimmed) return undefined;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const host = url.hostname.toLowerCase().replace(/^(www|m|mobile)\./, '');
  const segments = url.pathname.split('/').filter(Boolean);
  const [first = '', second = ''] = segments;

  if (TELEGRAM_HOSTS.has(host)) {
    // Invite codes are case-sensitive; public usernames are not.
    if (first.startsWith('+') && first.length > 1)
      return { key: `tg-invite:${first.slice(1)}`, kind: 'invite' };
    if (first === 'joinchat' && second) return { key: `tg-invite:${second}`, kind: 'invite' };
    const name = first === 's' ? second : first;
    if (name) return { key: `tg:${name.toLowerCase()}`, kind: 'invite' };
    return undefined;
  }
  if (host === 'chat.whatsapp.com' && first) {
    return { key: `wa-group:${first}`, kind: 'invite' };
  }
  if (host === 'wa.me' && /^\+?\d{6,15}$/.test(first)) {
    return { key: `wa-phone:${first.replace('+', '')}`, kind: 'invite' };
  }
  if (host === 'api.whatsapp.com' && first === 'send') {
    const phone = url.searchParams.get('phone')?.replace(/\D/g, '');
    if (phone && phone.length >= 6) return { key: `wa-phone:${phone}`, kind: 'invite' };
  }

  const kept = [...url.searchParams.entries()]
    .filter(([name]) => !TRACKING_PARAMS.test(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = kept.length > 0 ? `?${new URLSearchParams(kept).toString()}` : '';
  const path = segments.join('/');
  return { key: `url:${host}${path ? `/${path}` : ''}${query}`, kind: 'url' };
}
