import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectFormat, type FileIdentity, type InputRow, readRows } from './input.js';

async function rowsOf(path: string, format: 'csv' | 'jsonl') {
  const rows: InputRow[] = [];
  const identity: { value?: FileIdentity } = {};
  for await (const row of readRows(path, format, identity)) rows.push(row);
  return { rows, identity: identity.value };
}

describe('import input', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-input-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads CSV rows by header name with their line numbers, empty cells absent, and the file identity', async () => {
    const path = join(dir, 'a.csv');
    const text = 'id,handle,bio\r\n1,one,"two\r\nlines"\r\n2,two,\r\n3,three\r\n';
    await writeFile(path, text);
    const { rows, identity } = await rowsOf(path, 'csv');
    expect(rows).toEqual([
      { index: 0, line: 2, values: { id: '1', handle: 'one', bio: 'two\r\nlines' } },
      { index: 1, line: 4, values: { id: '2', handle: 'two' } },
      { index: 2, line: 5, error: 'has 2 fields where the header has 3' },
    ]);
    expect(identity).toEqual({
      size: Buffer.byteLength(text),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('refuses a CSV header with an unknown or repeated column', async () => {
    const path = join(dir, 'b.csv');
    await writeFile(path, 'id,handel\n1,x\n');
    await expect(rowsOf(path, 'csv')).rejects.toThrow(/unknown column "handel"/);
    await writeFile(path, 'id,id\n1,x\n');
    await expect(rowsOf(path, 'csv')).rejects.toThrow(/"id" appears twice/);
  });

  it('reads JSONL objects by line, skipping blank lines and reporting what is not an object', async () => {
    const path = join(dir, 'c.jsonl');
    await writeFile(path, '{"id":"1"}\n\n{"id":\n[1,2]\r\n{"id":"5"}');
    const { rows } = await rowsOf(path, 'jsonl');
    expect(rows).toEqual([
      { index: 0, line: 1, values: { id: '1' } },
      { index: 1, line: 3, error: 'is not valid JSON' },
      { index: 2, line: 4, error: 'is not a JSON object' },
      { index: 3, line: 5, values: { id: '5' } },
    ]);
  });

  it('chooses the format from --format or the extension', () => {
    expect(detectFormat('a.CSV', undefined)).toBe('csv');
    expect(detectFormat('a.ndjson', undefined)).toBe('jsonl');
    expect(detectFormat('a.txt', 'jsonl')).toBe('jsonl');
    expect(() => detectFormat('a.txt', undefined)).toThrow(/--format/);
    expect(() => detectFormat('a.csv', 'xml')).toThrow(/csv or jsonl/);
  });
});
