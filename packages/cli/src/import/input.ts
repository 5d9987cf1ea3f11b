import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { parseCsv } from './csv.js';
import { COLUMNS } from './rows.js';

export type InputFormat = 'csv' | 'jsonl';

/** A problem with the file as a whole (unknown format, bad header): nothing can be imported. */
export class InputError extends Error {}

/** One data row of the input, numbered by its position among data rows and by its line in the file. */
export interface InputRow {
  /** 0-based position among data rows (the header is not a row). */
  index: number;
  /** 1-based physical line the row starts on. */
  line: number;
  /** Field name → value; `undefined` when the row could not be read at all (see `error`). */
  values?: Record<string, unknown>;
  error?: string;
}

/** What identifies an input file's content: a resume state belongs to exactly this. */
export interface FileIdentity {
  size: number;
  sha256: string;
}

export function detectFormat(path: string, format: string | undefined): InputFormat {
  if (format !== undefined) {
    if (format === 'csv' || format === 'jsonl') return format;
    throw new InputError(`--format must be csv or jsonl, not "${format}"`);
  }
  const extension = extname(path).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl';
  throw new InputError(`cannot tell the format of "${path}" from its extension: pass --format csv|jsonl`);
}

/** Streams a file as text, feeding its bytes to `onBytes` on the way (hashing). */
async function* readText(path: string, onBytes?: (bytes: Buffer) => void): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const bytes of createReadStream(path, { highWaterMark: 256 * 1024 })) {
    onBytes?.(bytes as Buffer);
    yield decoder.write(bytes as Buffer);
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

/**
 * The data rows of a CSV (with a header row naming the columns) or JSONL file, in file order.
 * `identity` is filled in once the generator has run to the end.
 */
export async function* readRows(
  path: string,
  format: InputFormat,
  identity?: { value?: FileIdentity },
): AsyncGenerator<InputRow> {
  const hash = createHash('sha256');
  let size = 0;
  const text = readText(path, (bytes) => {
    hash.update(bytes);
    size += bytes.length;
  });
  yield* format === 'csv' ? csvRows(text) : jsonlRows(text);
  if (identity) identity.value = { size, sha256: hash.digest('hex') };
}

async function* csvRows(text: AsyncIterable<string>): AsyncGenerator<InputRow> {
  let header: string[] | undefined;
  let index = 0;
  for await (const record of parseCsv(text)) {
    if (header === undefined) {
      if (record.error)
        throw new InputError(`line ${record.line}: the header row is malformed: ${record.error}`);
      header = checkHeader(record.fields.map((name) => name.trim()));
      continue;
    }
    const row: InputRow = { index, line: record.line };
    index += 1;
    if (record.error) row.error = record.error;
    else if (record.fields.length !== header.length)
      row.error = `has ${record.fields.length} fields where the header has ${header.length}`;
    else {
      const values: Record<string, unknown> = {};
      header.forEach((name, column) => {
        const value = record.fields[column] ?? '';
        // An empty cell is an absent field.
        if (value !== '') values[name] = value;
      });
      row.values = values;
    }
    yield row;
  }
  if (header === undefined) throw new InputError('the file is empty: a CSV needs a header row');
}

function checkHeader(names: string[]): string[] {
  const known = new Set<string>(COLUMNS);
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0)
    throw new InputError(
      `line 1: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => `"${name}"`).join(', ')} (known: ${COLUMNS.join(', ')})`,
    );
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  if (repeated.length > 0) throw new InputError(`line 1: column "${repeated[0]}" appears twice`);
  return names;
}

async function* jsonlRows(text: AsyncIterable<string>): AsyncGenerator<InputRow> {
  let pending = '';
  let line = 0;
  let index = 0;
  function* lines(final: boolean): Generator<InputRow> {
    let newline = pending.indexOf('\n');
    while (newline !== -1 || (final && pending !== '')) {
      const end = newline === -1 ? pending.length : newline;
      const content = pending.slice(0, end).replace(/\r$/, '');
      pending = newline === -1 ? '' : pending.slice(newline + 1);
      line += 1;
      if (content.trim() !== '') {
        yield jsonRow(index, line, line === 1 ? content.replace(/^\uFEFF/, '') : content);
        index += 1;
      }
      newline = pending.indexOf('\n');
    }
  }
  for await (const chunk of text) {
    pending += chunk;
    yield* lines(false);
  }
  yield* lines(true);
}

function jsonRow(index: number, line: number, content: string): InputRow {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return { index, line, error: 'is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { index, line, error: 'is not a JSON object' };
  return { index, line, values: value as Record<string, unknown> };
}
