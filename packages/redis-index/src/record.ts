import type { AccountFingerprint } from '@mirrorwatch/engine';
import { fnv1a } from './shard.js';

/** One entry as stored under `idx:<ns>:d:<id>`: the entry and the blocking keys it is filed under. */
export interface StoredRecord<E extends AccountFingerprint> {
  entry: E;
  keys: readonly string[];
}

export class CorruptRecordError extends Error {
  override readonly name = 'CorruptRecordError';
}

/** Hex digits of the checksum that starts every stored record. */
export const CHECKSUM_LENGTH = 8;

/** FNV-1a of `text`, as 8 hex digits. */
function checksumOf(text: string): string {
  return fnv1a(text).toString(16).padStart(CHECKSUM_LENGTH, '0');
}

/**
 * `<checksum><json>`: compact JSON with short field names (the record is the bulk of the index's
 * memory), after a checksum of that JSON. The checksum lets a reader that holds a parsed copy
 * confirm it with `GETRANGE 0 7` instead of fetching kilobytes (see `RecordCache`).
 */
export function serialiseRecord<E extends AccountFingerprint>(record: StoredRecord<E>): string {
  const json = JSON.stringify({ k: record.keys, e: record.entry });
  return checksumOf(json) + json;
}

/** The checksum a stored text starts with ('' for a record written before records had one). */
export function checksumPrefix(text: string): string {
  return text.startsWith('{') ? '' : text.slice(0, CHECKSUM_LENGTH);
}

/** Trusts the entry's shape (this package wrote it) but fails loudly on anything not a record. */
export function parseRecord<E extends AccountFingerprint>(text: string): StoredRecord<E> {
  const checksum = checksumPrefix(text);
  const json = text.slice(checksum.length);
  if (checksum !== '' && checksum !== checksumOf(json))
    throw new CorruptRecordError('stored index record does not match its checksum');
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new CorruptRecordError('stored index record is not JSON');
  }
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
 * Parsed records by id with the checksum of the text they came from. Candidate retrieval reads
 * the same popular records (a banned account every mirror resembles) over and over; fetching and
 * parsing kilobytes of JSON each time was the largest share of the matcher's CPU, garbage and
 * Redis output. A reader holding a record asks Redis only for the stored checksum and reuses the
 * record while it matches, so a rewritten record (or one written after the data was replaced
 * under the same id) is never served stale. Entries are shared: callers must not mutate them.
 */
export class RecordCache<E extends AccountFingerprint> {
  private readonly entries = new Map<string, { checksum: string; record: StoredRecord<E> }>();

  constructor(private readonly capacity: number) {}

  /**
   * The cached record of `id` and the checksum of its text, marked as just used. Callers hold on
   * to what they got: later `parse` calls may evict it before Redis has confirmed the checksum.
   */
  lookup(id: string): { checksum: string; record: StoredRecord<E> } | undefined {
    const cached = this.entries.get(id);
    if (!cached) return undefined;
    // Refresh its place: Map keeps insertion order, so the first key is the least recent.
    this.entries.delete(id);
    this.entries.set(id, cached);
    return cached;
  }

  /** Forgets the record of `id` (its stored text changed). */
  drop(id: string): void {
    this.entries.delete(id);
  }

  /** Parses a fetched text and keeps the result (records without a checksum are not kept). */
  parse(id: string, text: string): StoredRecord<E> {
    const record = parseRecord<E>(text);
    const checksum = checksumPrefix(text);
    this.entries.delete(id);
    if (checksum === '') return record;
    this.entries.set(id, { checksum, record });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return record;
  }
}
