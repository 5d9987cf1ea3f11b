import type { AccountFingerprint } from '@mirrorwatch/engine';
import { pipelined, type Redis } from '@mirrorwatch/redis';
import type { ChainableCommander } from 'ioredis';
import { CHECKSUM_LENGTH, RecordCache, type StoredRecord } from './record.js';

/**
 * Reads an index's records by id through a cache of parsed records (see `RecordCache`): a record
 * already parsed is confirmed by its checksum (`GETRANGE`, 8 bytes) rather than fetched again; a
 * stale one costs a second round trip.
 */
export class RecordReader<E extends AccountFingerprint> {
  private readonly cache: RecordCache<E>;

  constructor(
    private readonly redis: Redis,
    private readonly recordKey: (id: string) => string,
    cacheSize: number,
  ) {
    this.cache = new RecordCache(cacheSize);
  }

  /**
   * The records of `ids` (null where none is stored). `also` queues more commands on the first
   * round trip; their replies come back.
   */
  async fetch(
    ids: readonly string[],
    also?: (pipeline: ChainableCommander) => void,
  ): Promise<{ records: Map<string, StoredRecord<E> | null>; alsoReplies: unknown[] }> {
    const unique = [...new Set(ids)];
    const cached = unique.map((id) => this.cache.lookup(id));
    const replies = await pipelined(this.redis, (pipeline) => {
      unique.forEach((id, n) => {
        if (cached[n] === undefined) pipeline.get(this.recordKey(id));
        else pipeline.getrange(this.recordKey(id), 0, CHECKSUM_LENGTH - 1);
      });
      also?.(pipeline);
    });
    const records = new Map<string, StoredRecord<E> | null>();
    const stale: string[] = [];
    unique.forEach((id, n) => {
      const reply = replies[n] as string | null;
      const copy = cached[n];
      if (copy === undefined) records.set(id, reply === null ? null : this.cache.parse(id, reply));
      else if (reply === null || reply === '') records.set(id, null);
      else if (reply === copy.checksum) records.set(id, copy.record);
      else {
        this.cache.drop(id);
        stale.push(id);
      }
    });
    if (stale.length > 0) {
      const texts = await pipelined(this.redis, (pipeline) => {
        for (const id of stale) pipeline.get(this.recordKey(id));
      });
      stale.forEach((id, n) => {
        const text = texts[n] as string | null;
        records.set(id, text === null ? null : this.cache.parse(id, text));
      });
    }
    return { records, alsoReplies: replies.slice(unique.length) };
  }
}
