import { CONFUSABLES } from './generated/confusables.js';

/** Something in a raw string a moderator should see highlighted. */
export interface TextFinding {
  /** Index of the code point in the raw string (in code points, not UTF-16 units). */
  index: number;
  codePoint: number;
  kind: 'invisible' | 'confusable';
}

const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}]/u;
const INVISIBLE_GLOBAL = /[\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}]/gu;
const MARKS = /\p{M}/gu;
/** Printable ASCII: stable under NFKC, NFD and NFC, and holding no invisible or combining mark. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

let table: Map<number, string> | undefined;

/** The confusables map, built on first use (≈ 6,300 entries). */
function confusables(): Map<number, string> {
  if (!table) {
    table = new Map();
    for (const line of CONFUSABLES.split('\n')) {
      const tab = line.indexOf('\t');
      const from = line.codePointAt(0);
      if (tab > 0 && from !== undefined) table.set(from, line.slice(tab + 1));
    }
  }
  return table;
}

/**
 * UTS #39 skeleton: NFD, each character replaced by its prototype from Unicode's confusables
 * table, NFD again. Two strings that look alike to a reader share a skeleton (Cyrillic "раураl"
 * and Latin "paypal"). Case is not folded here; callers fold before and after.
 */
export function skeleton(text: string): string {
  const map = confusables();
  let out = '';
  for (const char of text.normalize('NFD')) {
    out += map.get(char.codePointAt(0) ?? 0) ?? char;
  }
  return out.normalize('NFD');
}

/**
 * NFKC (fullwidth and mathematical letters become plain ones), case fold, invisible and
 * default-ignorable code points removed (zero-width joiners, bidi controls, variation selectors,
 * tags), and combining marks dropped so diacritics do not separate lookalikes.
 */
export function foldText(raw: string): string {
  // Most handles and bios: every other step leaves them as they are, and each costs a call into ICU.
  if (PRINTABLE_ASCII.test(raw)) return raw.toLowerCase();
  return raw
    .normalize('NFKC')
    .toLowerCase()
    .replace(INVISIBLE_GLOBAL, '')
    .normalize('NFD')
    .replace(MARKS, '')
    .normalize('NFC');
}

/** Invisible characters, and characters outside ASCII that Unicode lists as confusable. */
export function findSuspiciousCharacters(raw: string): TextFinding[] {
  const map = confusables();
  const findings: TextFinding[] = [];
  let index = 0;
  for (const char of raw) {
    const code = char.codePointAt(0) ?? 0;
    if (INVISIBLE.test(char)) findings.push({ index, codePoint: code, kind: 'invisible' });
    else if (code >= 0x80 && (map.has(code) || char.normalize('NFKC') !== char)) {
      findings.push({ index, codePoint: code, kind: 'confusable' });
    }
    index += 1;
  }
  return findings;
}
