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
