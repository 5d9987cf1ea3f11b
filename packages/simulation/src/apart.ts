import type { Account, Event } from '@mirrorwatch/schemas';
import type { AccountLabel, Scenario } from './model.js';

/** XORed into every avatar hash: Hamming distances among the copy's own hashes stay the same. */
const AVATAR_MASK = '5a3c96e1'.repeat(8);

/** ROT13 of ASCII letters: text keeps its shape (a mirror's handle still resembles its parent's). */
const rotateLetters = (text: string) =>
  text.replace(/[a-z]/gi, (letter) => {
    const base = letter <= 'Z' ? 65 : 97;
    return String.fromCharCode(((letter.charCodeAt(0) - base + 13) % 26) + base);
  });

/** The mailbox rotated, the domain kept: providers' own rules (Gmail ignores dots) still apply. */
const rotateMailbox = (email: string) => {
  const at = email.lastIndexOf('@');
  return at < 0 ? rotateLetters(email) : rotateLetters(email.slice(0, at)) + email.slice(at);
};

const maskAvatar = (hash: string) =>
  Array.from(hash, (digit, n) =>
    (Number.parseInt(digit, 16) ^ Number.parseInt(AVATAR_MASK[n] ?? '0', 16)).toString(16),
  ).join('');

/** The path of a link rotated, its scheme and host kept, so that it still reads as that kind of link. */
const rotateLink = (link: string) =>
  link.replace(/^([a-z]+:\/\/[^/]+\/?)(.*)$/i, (_, head, rest) => head + rotateLetters(rest));

/**
 * IPv4 addresses move to a first octet of 224–255, which the generator never uses (it draws 11–223
 * and the CGNAT range), so no /24 is shared with a generated scenario (two of the copy's own meet
 * only if their other octets agree too). IPv6 addresses, which the generator never makes, are kept.
 */
const moveNetwork = (ip: string) => {
  const octets = ip.split('.');
  return octets.length === 4 ? [224 + (Number(octets[0]) % 32), ...octets.slice(1)].join('.') : ip;
};

/**
 * Every number becomes a German one (+49, which the generator never uses) followed by its own
 * country code and digits, its spacing kept. A number written without a country code is read as
 * American, as ingest's default region does, so a respelt number still matches its original.
 */
const movePhone = (phone: string) => (phone.startsWith('+') ? `+49${phone.slice(1)}` : `+491 ${phone}`);

function apartAccount(account: Account, prefix: string): Account {
  return {
    ...account,
    id: `${prefix}${account.id}`,
    handle: rotateLetters(account.handle),
    ...(account.displayName !== undefined && { displayName: rotateLetters(account.displayName) }),
    ...(account.bio !== undefined && { bio: rotateLetters(account.bio) }),
    ...(account.links && { links: account.links.map(rotateLink) }),
    ...(account.avatarPdq !== undefined && { avatarPdq: maskAvatar(account.avatarPdq) }),
    ...(account.email !== undefined && { email: rotateMailbox(account.email) }),
    ...(account.phone !== undefined && { phone: movePhone(account.phone) }),
    ...(account.deviceId !== undefined && { deviceId: `${prefix}${account.deviceId}` }),
    ...(account.ip !== undefined && { ip: moveNetwork(account.ip) }),
    ...(account.followees && { followees: account.followees.map((id) => `${prefix}${id}`) }),
  };
}

const apartKey = (key: string, prefix: string) => {
  const colon = key.indexOf(':');
  return `${key.slice(0, colon + 1)}${prefix}${key.slice(colon + 1)}`;
};

/**
 * A copy of a scenario kept apart from every generated one: ids, entities, devices and followees
 * get `prefix`; phone numbers and IPv4 networks move to ranges the generator never uses; avatar
 * hashes are XORed with one mask; letters in text, mailboxes and link paths are rotated (ROT13). The same
 * change applies to every account, so what relates the copy's accounts to each other (a mirror's
 * resemblance to its parent, a shared phone) survives and the copy runs the same code as the
 * original. For traffic beside a measured scenario that must not be matched with it (the e2e
 * bench's warm-up). An `avatarImage` is left as it is.
 */
export function keptApart(scenario: Scenario, prefix: string): Scenario {
  const events = scenario.events.map(({ platform, event }) => {
    const apart: Event = {
      ...event,
      eventId: `${prefix}${event.eventId}`,
      account: apartAccount(event.account, prefix),
    };
    if (event.ban) apart.ban = { ...event.ban, entity: `${prefix}${event.ban.entity}` };
    return { platform, event: apart };
  });
  const labels = scenario.labels.map(
    (label): AccountLabel => ({
      ...label,
      account: apartKey(label.account, prefix),
      ...(label.entity !== undefined && { entity: `${prefix}${label.entity}` }),
      ...(label.parent !== undefined && { parent: apartKey(label.parent, prefix) }),
    }),
  );
  return { ...scenario, events, labels };
}
