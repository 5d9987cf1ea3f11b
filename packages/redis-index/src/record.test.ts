import type { BannedFingerprint } from '@mirrorwatch/engine';
import { describe, expect, it } from 'vitest';
import { indexKeys } from './keys.js';
import {
  CHECKSUM_LENGTH,
  CorruptRecordError,
  checksumPrefix,
  parseRecord,
  RecordCache,
  serialiseRecord,
} from './record.js';
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
    expect(text).toMatch(/^[0-9a-f]{8}\{"k":\["handle:qasr","links:tg:q"\],"e":\{/);
  });

  it('still read records stored before they carried a checksum', () => {
    const entry = bannedEntry('instagram:78', 'qasr');
    const legacy = JSON.stringify({ k: ['handle:qasr'], e: entry });
    expect(checksumPrefix(legacy)).toBe('');
    expect(parseRecord(legacy)).toEqual({ entry, keys: ['handle:qasr'] });
  });

  it('refuse a record whose text does not match its checksum', () => {
    const text = serialiseRecord({ entry: bannedEntry('instagram:79', 'qasr'), keys: ['handle:qasr'] });
    const tampered = text.replace('qasr', 'qasx');
    expect(() => parseRecord(tampered)).toThrow(CorruptRecordError);
  });

  it('refuse what is not a record', () => {
    for (const text of [
      '{}',
      '{"k":"a","e":{}}',
      '{"k":[1],"e":{}}',
      '{"k":[],"e":null}',
      '[]',
      '0123abcd{"k"',
    ]) {
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
  const checksumOf = (stored: string) => stored.slice(0, CHECKSUM_LENGTH);

  it('hands back the parsed record with the checksum of its text, and forgets it when told', () => {
    const cache = new RecordCache(10);
    const first = cache.parse('1', text('a'));
    expect(cache.lookup('1')).toEqual({ checksum: checksumOf(text('a')), record: first });
    expect(cache.lookup('1')?.record).toBe(first);
    // The id now holds another record (rewritten, or the data was replaced): the copy is dropped.
    cache.drop('1');
    expect(cache.lookup('1')).toBeUndefined();
    expect(cache.parse('1', text('b')).entry.handle).toBe('b');
  });

  it('keeps at most its capacity, dropping the least recently used', () => {
    const cache = new RecordCache(2);
    const one = cache.parse('1', text('a'));
    cache.parse('2', text('b'));
    expect(cache.lookup('1')?.record).toBe(one); // 1 is now the most recent
    cache.parse('3', text('c')); // evicts 2
    expect(cache.lookup('1')).toBeDefined();
    expect(cache.lookup('2')).toBeUndefined();
    expect(cache.lookup('3')).toBeDefined();
  });

  it('does not keep records stored without a checksum', () => {
    const cache = new RecordCache(2);
    cache.parse('1', JSON.stringify({ k: ['k'], e: { account: 'x:1' } }));
    expect(cache.lookup('1')).toBeUndefined();
  });
});
