import { createHash } from 'node:crypto';

/** A deterministic 64-hex value standing in for a group's logo PDQ hash. */
function pdqOf(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

export interface Profile {
  id: string;
  handle: string;
  displayName?: string;
  bio?: string;
  links?: string[];
  avatarPdq?: string;
  phone?: string;
  deviceId?: string;
  followees?: string[];
  createdAt?: string;
}

const SYLLABLES = 'ba da fa ga ha ja ka la ma na ra sa ta wa za qi mu ro ne si'.split(' ');
const WORDS =
  'official releases statements news front share deletion voice call banner word path dawn sword lions channel media archive'.split(
    ' ',
  );

/** A pronounceable name derived from `seed`, so different tags give unrelated names. */
function nameOf(seed: string, syllables = 4): string {
  const bytes = createHash('sha256').update(seed).digest();
  return Array.from({ length: syllables }, (_, n) => SYLLABLES[(bytes[n] ?? 0) % SYLLABLES.length]).join('');
}

/** A proscribed group's account: distinctive name, logo, invite link, phone, device and circle. */
export function groupProfile(tag: string): Profile {
  const name = nameOf(tag);
  const bytes = createHash('sha256').update(`bio-${tag}`).digest();
  const bio = Array.from({ length: 12 }, (_, n) => WORDS[(bytes[n] ?? 0) % WORDS.length]).join(' ');
  return {
    id: `acct-${tag}`,
    handle: `${name}_${nameOf(`second-${tag}`, 2)}`,
    displayName: `${name[0]?.toUpperCase()}${name.slice(1)} Foundation`,
    bio: `${name} ${bio}`,
    links: [`https://t.me/+${nameOf(`invite-${tag}`, 6)}`],
    avatarPdq: pdqOf(`logo-${tag}`),
    phone: `+44 7700 9${String(parseInt(pdqOf(tag).slice(0, 6), 16) % 100000).padStart(5, '0')}`,
    deviceId: `device-${tag}`,
    followees: Array.from({ length: 40 }, (_, n) => `circle-${tag}-${n}`),
  };
}

/** A mirror: the handle changed the way evaders change it, most other signals carried over. */
export function mirrorOf(parent: Profile, id: string): Profile {
  return {
    ...parent,
    id,
    handle: `${parent.handle}_backup2`,
    displayName: `${parent.displayName ?? parent.handle} (backup)`,
  };
}

/** An unremarkable account sharing nothing with any group. */
export function blandProfile(tag: string): Profile {
  return {
    id: `bland-${tag}`,
    handle: `garden_notes_${tag}`,
    displayName: 'Garden notes',
    bio: 'Tomatoes, compost and the occasional cat picture',
  };
}
