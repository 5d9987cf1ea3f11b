import type { BannedFingerprint } from '@mirrorwatch/engine';
import { describe, expect, it } from 'vitest';
import { indexKeys } from './keys.js';
import { CorruptRecordError, parseRecord, RecordCache, serialiseRecord } from './record.js';
import { bannedEntry } from './testing/entries.js';

describe('index records', () => {
  it('round-trip the entry and its keys', () => {
    const entry: BannedFingerprint = {
      ...bannedEntry('instagram:77', 'qasr'),
      createdAt: 1_699_999_000_000,
      signals: { handle: { key: 'qasr', grams: [1, 2, 3] }, links: { invites: ['tg:q'], urls: [] } },
    };
    const text = serialiseRecord({ entry, keys: ['handle:qasr', 'links:tg:q'] });
    expect(parseRecord(text)).toEqual({ entry, keys: ['handle:qasr', 'links:tg:q'] });
    expect(text.startsWith('{"k":["handle:qasr","links:tg:q"],"e":{')).toBe(true);
  });

  it('refuse what is not a record', () => {
    for (const text of ['{}', '{"k":"a","e":{}}', '{"k":[1],"e":{}}', '{"k":[],"e":null}', '[]']) {
      expect(() => parseRecord(text)).toThrow(CorruptRecordError);
    }
  });
});

describe('index keys', () => {
  it('live under idx:<namespace>:', () => {
    const keys = indexKeys('banned');
    expect([
      keys.seq,
      keys.count,
      keys.bucket('avatar:ab:cd'),
      keys.record('42'),
      keys.account('x:1'),
    ]).toEqual([
      'idx:banned:seq',
      'idx:banned:count',
      // The bucket's hash tag is its shard (FNV-1a of the blocking key mod 64): one Cluster slot per shard.
      'idx:banned:k:{banned:62}:avatar:ab:cd',
      'idx:banned:d:42',
      'idx:banned:a:x:1',
    ]);
  });

  it('refuse namespaces that could overlap another', () => {
    expect(() => indexKeys('')).toThrow(TypeError);
    expect(() => indexKeys('a:k')).toThrow(TypeError);
  });
});

describe('RecordCache', () => {
  const text = (handle: string) =>
    serialiseRecord({
      keys: ['k'],
      entry: { account: 'x:1', platform: 'x', accountId: '1', handle, observedAt: 1, signals: {} },
    });

  it('hands back the same parsed record while the text is unchanged, a fresh one when it changes', () => {
    const cache = new RecordCache(10);
    const first = cache.parse('1', text('a'));
    expect(cache.parse('1', text('a'))).toBe(first);
    const changed = cache.parse('1', text('b'));
    expect(changed).not.toBe(first);
    expect(changed.entry.handle).toBe('b');
  });

  it('keeps at most its capacity, dropping the least recently used', () => {
    const cache = new RecordCache(2);
    const one = cache.parse('1', text('a'));
    const two = cache.parse('2', text('b'));
    expect(cache.parse('1', text('a'))).toBe(one); // 1 is now the most recent
    cache.parse('3', text('c')); // evicts 2
    expect(cache.parse('1', text('a'))).toBe(one);
    expect(cache.parse('2', text('b'))).not.toBe(two);
  });
});
