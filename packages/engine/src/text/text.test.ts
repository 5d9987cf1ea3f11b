import { describe, expect, it } from 'vitest';
import { handleForms } from './handle.js';
import {
  charNgrams,
  exactJaccard,
  lshBands,
  lshCandidateProbability,
  MinHasher,
  OnePermutationHasher,
  wordShingles,
} from './minhash.js';
import { findSuspiciousCharacters, foldText, skeleton } from './normalize.js';
import { jaroWinkler, osaDistance } from './similarity.js';

const core = (raw: string) => handleForms(raw).core;

describe('foldText', () => {
  // Every step spelt out, as foldText runs it on anything but printable ASCII.
  const everyStep = (raw: string) =>
    raw
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}]/gu, '')
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .normalize('NFC');

  it('folds printable ASCII exactly as every step would, one character and any mix of them', () => {
    const printable = Array.from({ length: 0x7f - 0x20 }, (_, n) => String.fromCharCode(0x20 + n));
    for (const char of printable) expect(foldText(char)).toBe(everyStep(char));
    const all = printable.join('');
    expect(foldText(all)).toBe(everyStep(all));
    expect(foldText('Al-Furqan_Official 2024!')).toBe('al-furqan_official 2024!');
  });

  it.each([
    ['a control character', 'al\u0007furqan', 'alfurqan'],
    ['a tab', 'al\tfurqan', 'alfurqan'],
    ['a fullwidth letter', 'ａlfurqan', 'alfurqan'],
    ['a combining mark', 'alfurqa\u0301n', 'alfurqan'],
  ])('runs every step on text with %s', (_kind, raw, folded) => {
    expect(foldText(raw)).toBe(folded);
    expect(foldText(raw)).toBe(everyStep(raw));
  });
});

describe('confusable skeletons from Unicode data', () => {
  it.each([
    ['Cyrillic', 'раураl', 'paypal'],
    ['Cyrillic а', 'аl_furqan', 'al_furqan'],
    ['Greek omicron and nu', 'ѕаwt_αl_ναsr', 'sawt_al_vasr'],
  ])('%s lookalikes share a skeleton: %s', (_kind, spoof, plain) => {
    expect(skeleton(foldText(spoof))).toBe(skeleton(foldText(plain)));
  });

  it.each([
    ['fullwidth', 'ｉｓｌａｍｉｃ', 'islamic'],
    ['mathematical bold', '𝐚𝐥𝐟𝐮𝐫𝐪𝐚𝐧', 'alfurqan'],
    ['zero-width space', 'al\u200Bfurqan', 'alfurqan'],
    ['zero-width joiner and word joiner', 'al\u200Dfur\u2060qan', 'alfurqan'],
    ['bidi controls', '\u202Ealfurqan\u202C', 'alfurqan'],
    ['combining marks', 'álfúrqan', 'alfurqan'],
    ['Cyrillic homoglyphs', 'аlfurqаn', 'alfurqan'],
    ['leetspeak', '4l_furq4n', 'alfurqan'],
    ['zero for o', 'sawt_n0sr', 'sawt_nosr'],
    ['separators', 'al.furqan', 'alfurqan'],
    ['separator and digit suffix', 'al-furqan_2', 'alfurqan'],
    ['year suffix', 'alfurqan2024', 'alfurqan'],
    ['affix after', 'alfurqan_official', 'alfurqan'],
    ['affix before', 'real_alfurqan', 'alfurqan'],
    ['affix and digits', 'backup.alfurqan2', 'alfurqan'],
    ['glued affix', 'alfurqanbackup', 'alfurqan'],
    ['decorated display name', 'Al Furqan (backup) 🔥', 'alfurqan'],
  ])('%s reaches the same core: %s', (_kind, spoof, plain) => {
    expect(core(spoof)).toBe(core(plain));
  });

  it.each([
    ['alfurqan', 'alfurqat'],
    ['newsdesk', 'newsdeck'],
    ['mariam', 'miriam'],
    ['journalist_ali', 'alfurqan'],
    ['sara_k', 'sarah_k'],
    ['omar', 'amar'],
    ['nasr_media', 'nasr_medical'],
    ['jund_alfajr', 'fajr_daily'],
    ['blackbanner', 'blackbaner_news'],
    ['qasr_foundation', 'qasr_fountain'],
    ['ahmed90', 'ahmad90'],
    ['layla', 'leyla'],
    ['the_analyst', 'the_analysts_desk'],
    ['cats4life', 'dogs4life'],
    ['mohammed_k', 'muhammad_k'],
    ['hassan', 'hasan_ali'],
    ['sun_news', 'sin_news'],
    ['karim', 'kareem'],
    ['dunya_tv', 'duniya'],
    ['yusuf', 'yousef'],
  ])('keeps distinct names apart: %s vs %s', (a, b) => {
    expect(core(a)).not.toBe(core(b));
    expect(handleForms(a).key).not.toBe(handleForms(b).key);
  });

  it('reports invisible and lookalike characters for highlighting', () => {
    const findings = findSuspiciousCharacters('аl\u200Bfurqan');
    expect(findings).toEqual([
      { index: 0, codePoint: 0x430, kind: 'confusable' },
      { index: 2, codePoint: 0x200b, kind: 'invisible' },
    ]);
    expect(findSuspiciousCharacters('alfurqan')).toEqual([]);
  });
});

describe('similarity', () => {
  it('scores transpositions as one edit and prefers shared prefixes', () => {
    expect(osaDistance('alfurqan', 'alfruqan')).toBe(1);
    expect(osaDistance('kitten', 'sitting')).toBe(3);
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
  });
});

describe('MinHash and LSH', () => {
  const hasher = new MinHasher(128, 42);
  let state = 11;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const randomSets = (overlap: number) => {
    const shared = Array.from({ length: Math.round(200 * overlap) }, (_, i) => `s${i}-${random()}`);
    const a = [...shared, ...Array.from({ length: 200 - shared.length }, () => `a${random()}`)];
    const b = [...shared, ...Array.from({ length: 200 - shared.length }, () => `b${random()}`)];
    return [a, b] as const;
  };

  it('estimates Jaccard within three standard errors (k = 128: σ ≤ 0.045)', () => {
    for (const overlap of [0.1, 0.3, 0.5, 0.8]) {
      const [a, b] = randomSets(overlap);
      const sa = hasher.signature(a) ?? [];
      const sb = hasher.signature(b) ?? [];
      const estimate = sa.filter((value, index) => value === sb[index]).length / 128;
      expect(Math.abs(estimate - exactJaccard(a, b))).toBeLessThan(3 * 0.045);
    }
  });

  it('estimates Jaccard with one permutation and densification as well, for large sets', () => {
    const oph = new OnePermutationHasher(64, 9);
    for (const overlap of [0.05, 0.3, 0.7]) {
      let error = 0;
      for (let trial = 0; trial < 20; trial += 1) {
        const [a, b] = randomSets(overlap);
        const sa = oph.signature(a) ?? [];
        const sb = oph.signature(b) ?? [];
        error += sa.filter((value, index) => value === sb[index]).length / 64 - exactJaccard(a, b);
      }
      // Averaged over trials, the estimate is unbiased (σ of one estimate ≈ 0.06 at k = 64).
      expect(Math.abs(error / 20)).toBeLessThan(0.04);
    }
    expect(oph.signature(['only'])?.length).toBe(64);
  });

  it('is deterministic across instances', () => {
    expect(new MinHasher(16, 42).signature(['x', 'y'])).toEqual(
      new MinHasher(16, 42).signature(['y', 'x', 'x']),
    );
    expect(new MinHasher(16, 42).signature([])).toBeUndefined();
  });

  it('makes pairs candidates at the rate LSH theory predicts', () => {
    const bands = 16;
    const rows = 3;
    const banded = new MinHasher(bands * rows, 7);
    for (const overlap of [0.3, 0.6]) {
      let candidates = 0;
      let jaccardSum = 0;
      const trials = 300;
      for (let trial = 0; trial < trials; trial += 1) {
        const [a, b] = randomSets(overlap);
        jaccardSum += exactJaccard(a, b);
        const ka = new Set(lshBands(banded.signature(a) ?? [], bands, rows));
        if (lshBands(banded.signature(b) ?? [], bands, rows).some((key) => ka.has(key))) candidates += 1;
      }
      const expected = lshCandidateProbability(jaccardSum / trials, bands, rows);
      expect(Math.abs(candidates / trials - expected)).toBeLessThan(0.1);
    }
  });

  it('builds n-grams with boundaries and order-tolerant word shingles', () => {
    expect(charNgrams('ab', 2)).toEqual(['^a', 'ab', 'b$']);
    expect(wordShingles('news from the front line')).toEqual([
      'news',
      'front',
      'line',
      'news front',
      'front line',
    ]);
  });
});
