import { foldText, skeleton } from './normalize.js';

/**
 * Canonical forms of a handle or display name. Mirrors change handles in ways a reader does not
 * notice (homoglyphs, zero-width characters, leetspeak, separators) and in ways a reader accepts
 * as "the same account" (a digit suffix, "official", "backup"); each form undoes one more layer.
 */
export interface HandleForms {
  /** NFKC, case-folded, invisibles and diacritics removed: what the baseline compares. */
  normalized: string;
  /** Skeleton of the normalized form with separators removed and leetspeak folded. */
  key: string;
  /** The key without mirror affixes (official, backup, real…) and without a trailing number. */
  core: string;
  /** The core with doubled letters collapsed (`alfurrqan` → `alfurqan`). */
  collapsed: string;
  strippedAffixes: string[];
  digitSuffix?: string;
}

/** Words mirror accounts add around the original name. */
const AFFIXES = [
  'official',
  'offical',
  'backup',
  'real',
  'the',
  'new',
  'original',
  'archive',
  'reserve',
  'mirror',
  'main',
  'v2',
  'v3',
  '2.0',
  'tv',
  'channel',
];
const AFFIX_SET = new Set(AFFIXES);
/** Longest first, so `official` is stripped before a shorter affix could match inside it. */
const GLUED_AFFIXES = [...AFFIXES]
  .filter((affix) => /^[a-z]+$/.test(affix))
  .sort((a, b) => b.length - a.length);

/** Digits and symbols read as letters once the skeleton has mapped what it maps (0→o, 1→l). */
const LEET: Record<string, string> = {
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '9': 'g',
  $: 's',
  '@': 'a',
  '!': 'i',
  '+': 't',
};

const SEPARATORS = /[\s\p{P}\p{S}\p{Z}]+/u;

function foldLeet(text: string): string {
  let out = '';
  for (const char of text) out += LEET[char] ?? char;
  return out;
}

function canonical(text: string): string {
  // Leet first: the skeleton would otherwise turn `$` or `@` into something unreadable.
  const leet = foldLeet(text.replace(/[\s._\-–—·•|/\\]+/gu, ''));
  return foldText(skeleton(leet)).replace(/[^\p{L}\p{N}]/gu, '');
}

function stripGlued(text: string, stripped: string[]): string {
  let current = text;
  let changed = true;
  while (changed) {
    changed = false;
    for (const affix of GLUED_AFFIXES) {
      if (current.length - affix.length < 4) continue;
      if (current.startsWith(affix)) {
        current = current.slice(affix.length);
        stripped.push(affix);
        changed = true;
      } else if (current.endsWith(affix)) {
        current = current.slice(0, -affix.length);
        stripped.push(affix);
        changed = true;
      }
    }
  }
  return current;
}

export function handleForms(raw: string): HandleForms {
  const normalized = foldText(raw);
  const strippedAffixes: string[] = [];
  const tokens = normalized
    .replace(/\p{Extended_Pictographic}/gu, ' ')
    .split(SEPARATORS)
    .filter(Boolean);
  const kept = tokens.filter((token) => {
    const affix = AFFIX_SET.has(token) || /^\(?backup\)?$/.test(token);
    if (affix && tokens.length > 1) strippedAffixes.push(token);
    return !affix || tokens.length === 1;
  });
  const whole = tokens.join('');
  let joined = kept.join('');
  let digitSuffix: string | undefined;
  const suffix = /^(.*\D)(\d{1,6})$/u.exec(joined);
  if (suffix?.[1] && suffix[2] && /\p{L}/u.test(suffix[1])) {
    joined = suffix[1];
    digitSuffix = suffix[2];
  }
  const key = canonical(whole);
  // Without an affix or a number to drop, the core starts from the key itself.
  const core = stripGlued(joined === whole ? key : canonical(joined), strippedAffixes) || key;
  return {
    normalized,
    key,
    core,
    collapsed: core.replace(/(\p{L})\1+/gu, '$1'),
    strippedAffixes,
    ...(digitSuffix !== undefined && { digitSuffix }),
  };
}
