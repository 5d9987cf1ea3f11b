/**
 * Splits a handle into what a moderator must notice: printable ASCII is plain; every other code
 * point is flagged, either as a lookalike (shown, highlighted, with its script) or as an
 * invisible one (zero-width, bidi controls, odd spaces, fillers), which is replaced by a visible
 * marker because the glyph itself would show nothing.
 */
export type HandleSegment =
  | { kind: 'plain'; text: string }
  | { kind: 'unusual'; text: string; codePoint: string; script: string }
  | { kind: 'invisible'; text: string; codePoint: string; name: string };

const NAMES: Record<number, string> = {
  160: 'no-break space',
  173: 'soft hyphen',
  847: 'combining grapheme joiner',
  1564: 'Arabic letter mark',
  4447: 'Hangul choseong filler',
  4448: 'Hangul jungseong filler',
  6158: 'Mongolian vowel separator',
  8203: 'zero width space',
  8204: 'zero width non-joiner',
  8205: 'zero width joiner',
  8206: 'left-to-right mark',
  8207: 'right-to-left mark',
  8234: 'left-to-right embedding',
  8235: 'right-to-left embedding',
  8236: 'pop directional formatting',
  8237: 'left-to-right override',
  8238: 'right-to-left override',
  8288: 'word joiner',
  8289: 'function application',
  8290: 'invisible times',
  8291: 'invisible separator',
  8292: 'invisible plus',
  8294: 'left-to-right isolate',
  8295: 'right-to-left isolate',
  8296: 'first strong isolate',
  8297: 'pop directional isolate',
  10240: 'braille pattern blank',
  12644: 'Hangul filler',
  65279: 'zero width no-break space',
  65440: 'halfwidth Hangul filler',
};

// Code points that render as nothing, as a space or only on top of their neighbour.
const INVISIBLE_CATEGORY = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zs}\p{Zl}\p{Zp}\p{M}]$/u;

const SCRIPTS = [
  'Latin',
  'Cyrillic',
  'Greek',
  'Armenian',
  'Cherokee',
  'Georgian',
  'Arabic',
  'Hebrew',
  'Devanagari',
  'Thai',
  'Han',
  'Hiragana',
  'Katakana',
  'Hangul',
].map((script) => ({ script, pattern: new RegExp(`^\\p{Script=${script}}$`, 'u') }));

export function codePointLabel(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

function invisibleName(char: string, codePoint: number): string | undefined {
  const known = NAMES[codePoint];
  if (known) return known;
  if ((codePoint >= 0xfe00 && codePoint <= 0xfe0f) || (codePoint >= 0xe0100 && codePoint <= 0xe01ef))
    return 'variation selector';
  if (codePoint >= 0xe0000 && codePoint <= 0xe007f) return 'tag character';
  if (!INVISIBLE_CATEGORY.test(char)) return undefined;
  if (/\p{M}/u.test(char)) return 'combining mark';
  if (/\p{Z}/u.test(char)) return 'space';
  if (/\p{Cc}/u.test(char)) return 'control character';
  if (/\p{Cf}/u.test(char)) return 'format character';
  return 'unassigned or private character';
}

function scriptOf(char: string): string {
  return SCRIPTS.find(({ pattern }) => pattern.test(char))?.script ?? 'symbol';
}

export function segmentHandle(handle: string): HandleSegment[] {
  const segments: HandleSegment[] = [];
  for (const char of handle) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (codePoint >= 0x20 && codePoint <= 0x7e) {
      const last = segments[segments.length - 1];
      if (last?.kind === 'plain') last.text += char;
      else segments.push({ kind: 'plain', text: char });
      continue;
    }
    const label = codePointLabel(codePoint);
    const name = invisibleName(char, codePoint);
    segments.push(
      name
        ? { kind: 'invisible', text: char, codePoint: label, name }
        : { kind: 'unusual', text: char, codePoint: label, script: scriptOf(char) },
    );
  }
  return segments;
}

/** How many code points outside printable ASCII, and how many of those are invisible. */
export function handleSummary(segments: readonly HandleSegment[]): { unusual: number; invisible: number } {
  let unusual = 0;
  let invisible = 0;
  for (const segment of segments) {
    if (segment.kind === 'unusual') unusual += 1;
    if (segment.kind === 'invisible') invisible += 1;
  }
  return { unusual, invisible };
}
