import { canonicalLink } from './canonical-link.js';
import type { Comparison, SignalType } from './signal.js';

/** Canonical link keys, invites first (they are the stronger evidence). */
export interface LinksFingerprint {
  invites: string[];
  urls: string[];
}

const MAX_LINKS = 20;

function sharedOf(a: string[], b: string[]): string | undefined {
  if (a.length === 0 || b.length === 0) return undefined;
  const other = new Set(b);
  return a.find((key) => other.has(key));
}

function compareLinks(a: LinksFingerprint, b: LinksFingerprint): Comparison {
  const invite = sharedOf(a.invites, b.invites);
  if (invite) return { level: 'invite', detail: `same invite or channel (${invite})`, sharedKey: invite };
  const url = sharedOf(a.urls, b.urls);
  if (url) return { level: 'url', detail: `same link (${url.slice(4)})`, sharedKey: url };
  return { level: 'none', detail: 'no link in common' };
}

export const linksSignal: SignalType<LinksFingerprint> = {
  name: 'links',
  levels: ['invite', 'url', 'none'],
  fingerprint(account) {
    if (!account.links || account.links.length === 0) return undefined;
    const invites = new Set<string>();
    const urls = new Set<string>();
    for (const raw of account.links.slice(0, MAX_LINKS)) {
      const link = canonicalLink(raw);
      if (link) (link.kind === 'invite' ? invites : urls).add(link.key);
    }
    if (invites.size === 0 && urls.size === 0) return undefined;
    return { invites: [...invites].sort(), urls: [...urls].sort() };
  },
  blockingKeys: (fingerprint) => [...fingerprint.invites, ...fingerprint.urls],
  sharedKeys: (fingerprint) => [...fingerprint.invites, ...fingerprint.urls],
  compare: compareLinks,
  referenceCompare(a, b) {
    // Exhaustive pairwise check, invites before urls.
    for (const x of a.invites) for (const y of b.invites) if (x === y) return compareLinks(a, b);
    for (const x of a.urls) for (const y of b.urls) if (x === y) return compareLinks(a, b);
    return { level: 'none', detail: 'no link in common' };
  },
};
