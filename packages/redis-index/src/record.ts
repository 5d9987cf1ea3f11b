import type { AccountFingerprint } from '@mirrorwatch/engine';

/** One entry as stored under `idx:<ns>:d:<id>`: the entry and the blocking keys it is filed under. */
export interface StoredRecord<E extends AccountFingerprint> {
  entry: E;
  keys: readonly string[];
}

export class CorruptRecordError extends Error {
  override readonly name = 'CorruptRecordError';
}

// Short field names: the record is the bulk of the index's memory.
export function serialiseRecord<E extends AccountFingerprint>(record: StoredRecord<E>): string {
  return JSON.stringify({ k: record.keys, e: record.entry });
}

/** Trusts the entry's shape (this package wrote it) but fails loudly on anything not a record. */
export function parseRecord<E extends AccountFingerprint>(text: string): StoredRecord<E> {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed === 'object' && parsed !== null && 'k' in parsed && 'e' in parsed) {
    const { k, e } = parsed;
    if (
      Array.isArray(k) &&
      k.every((key) => typeof key === 'string') &&
      typeof e === 'object' &&
      e !== null
    ) {
      return { keys: k, entry: e as E };
    }
  }
  throw new CorruptRecordError('stored index record is not {k: string[], e: object}');
}

/**
 * Parsed records by id, reused while the stored text is unchanged. Candidate retrieval fetches
 * the same popular records (a banned account every mirror resembles) over and over; parsing
 * kilobytes of JSON each time was the largest share of the matcher's CPU and garbage. The text
 * is still fetched every time, so a rewritten record is never served stale. Entries are shared:
 * callers must not mutate what they get.
 */
export class RecordCache<E extends AccountFingerprint> {
  private readonly entries = new Map<string, { text: string; record: StoredRecord<E> }>();

  constructor(private readonly capacity: number) {}

  parse(id: string, text: string): StoredRecord<E> {
    const cached = this.entries.get(id);
    if (cached && cached.text === text) {
      // Refresh its place: Map keeps insertion order, so the first key is the least recent.
      this.entries.delete(id);
      this.entries.set(id, cached);
      return cached.record;
    }
    const record = parseRecord<E>(text);
    this.entries.delete(id);
    this.entries.set(id, { text, record });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return record;
  }
}
