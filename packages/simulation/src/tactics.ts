import type { Random } from './random.js';
import { HANDLE_AFFIXES, HOMOGLYPHS, LEET, NAME_DECORATIONS, REWORDINGS, ZERO_WIDTH } from './vocabulary.js';

/** Handle mutations mirrors use; each returns the new handle. */
export const HANDLE_TACTICS = {
  'digit-suffix': (handle: string, random: Random) =>
    `${handle}${random.pick(['', '_'])}${random.int(1, 2030)}`,
  separator: (handle: string, random: Random) => {
    const parts = handle.split('_');
    return parts.length > 1
      ? parts.join(random.pick(['.', '-', '', '__']))
      : `${handle.slice(0, 3)}_${handle.slice(3)}`;
  },
  affix: (handle: string, random: Random) => {
    const affix = random.pick(HANDLE_AFFIXES);
    return random.chance(0.5) ? `${handle}_${affix}` : `${affix}_${handle}`;
  },
  homoglyph: (handle: string, random: Random) =>
    replaceSome(handle, random, (char) => HOMOGLYPHS[char], 1, 3),
  'zero-width': (handle: string, random: Random) => {
    const at = random.int(1, Math.max(1, handle.length - 1));
    return `${handle.slice(0, at)}${random.pick(ZERO_WIDTH)}${handle.slice(at)}`;
  },
  'doubled-letter': (handle: string, random: Random) => {
    const at = random.int(0, handle.length - 1);
    const char = handle[at] ?? '';
    return /[a-z]/.test(char)
      ? `${handle.slice(0, at)}${char}${handle.slice(at)}`
      : `${handle}${handle.at(-1)}`;
  },
  transposition: (handle: string, random: Random) => {
    const at = random.int(1, Math.max(1, handle.length - 3));
    return `${handle.slice(0, at)}${handle[at + 1] ?? ''}${handle[at] ?? ''}${handle.slice(at + 2)}`;
  },
  'word-reorder': (handle: string) => {
    const parts = handle.split('_');
    return parts.length > 1 ? [...parts.slice(1), parts[0]].join('_') : handle;
  },
  leet: (handle: string, random: Random) =>
    replaceSome(handle, random, (char) => (LEET[char] ? [LEET[char]] : undefined), 1, 3),
} as const satisfies Record<string, (handle: string, random: Random) => string>;

export type HandleTactic = keyof typeof HANDLE_TACTICS;

function replaceSome(
  text: string,
  random: Random,
  options: (char: string) => readonly string[] | undefined,
  min: number,
  max: number,
): string {
  const chars = [...text];
  const positions = chars.map((char, index) => (options(char) ? index : -1)).filter((index) => index >= 0);
  for (const index of random.sample(positions, random.int(min, max))) {
    const choices = options(chars[index] ?? '');
    if (choices) chars[index] = random.pick(choices);
  }
  return chars.join('');
}

export function decorateName(name: string, random: Random): string {
  return `${name}${random.pick(NAME_DECORATIONS)}`;
}

/** Sentences shuffled, some words swapped for synonyms, one sentence sometimes dropped. */
export function rewordBio(
  bio: string,
  random: Random,
  { reorder, reword }: { reorder: boolean; reword: boolean },
): string {
  let sentences = bio.split(/(?<=\.)\s+/);
  if (reorder) sentences = random.sample(sentences, sentences.length);
  let text = sentences.join(' ');
  if (reword) {
    text = text
      .split(' ')
      .map((word) => (REWORDINGS[word] && random.chance(0.7) ? REWORDINGS[word] : word))
      .join(' ');
  }
  return text;
}

/** A PDQ hash with `flips` distinct bits inverted: what re-encoding, resizing or light edits do. */
export function flipBits(hash: string, flips: number, random: Random): string {
  const bits = hash
    .split('')
    .flatMap((digit) => Number.parseInt(digit, 16).toString(2).padStart(4, '0').split(''));
  for (const position of random.sample(
    bits.map((_, index) => index),
    flips,
  )) {
    bits[position] = bits[position] === '1' ? '0' : '1';
  }
  let out = '';
  for (let i = 0; i < 256; i += 4) out += Number.parseInt(bits.slice(i, i + 4).join(''), 2).toString(16);
  return out;
}

/** The same invite under another host or with tracking parameters. */
export function respellLink(link: string, random: Random): string {
  let out = link;
  if (out.includes('t.me/+')) {
    const code = out.split('t.me/+')[1] ?? '';
    out = random.pick([
      `https://telegram.me/+${code}`,
      `telegram.dog/joinchat/${code}`,
      `https://t.me/joinchat/${code}`,
      out,
    ]);
  } else if (out.includes('wa.me/')) {
    out = `https://api.whatsapp.com/send?phone=${out.split('wa.me/')[1] ?? ''}`;
  }
  return random.chance(0.4) ? `${out}${out.includes('?') ? '&' : '?'}utm_source=share&s=20` : out;
}

/** Cosmetic variants of the same email or phone. */
export function respellEmail(email: string, random: Random): string {
  const [local = '', domain = ''] = email.split('@');
  if (domain === 'gmail.com' && random.chance(0.5)) {
    const at = random.int(1, Math.max(1, local.length - 1));
    return `${local.slice(0, at)}.${local.slice(at)}@${domain}`;
  }
  return random.chance(0.5)
    ? `${local}+${random.pick(['backup', 'new', 'tg'])}@${domain}`
    : email.toUpperCase();
}

export function respellPhone(e164: string, random: Random): string {
  const digits = e164.slice(1);
  if (e164.startsWith('+1') && random.chance(0.5))
    return `(${digits.slice(1, 4)}) ${digits.slice(4, 7)}-${digits.slice(7)}`;
  return `+${digits.slice(0, 2)} ${digits.slice(2, 5)} ${digits.slice(5, 8)} ${digits.slice(8)}`;
}
