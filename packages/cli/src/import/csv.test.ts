import { describe, expect, it } from 'vitest';
import { CsvParser, type CsvRecord, csvField, parseCsv } from './csv.js';

function parseAll(text: string, pieceSize = text.length || 1): CsvRecord[] {
  const parser = new CsvParser();
  const records: CsvRecord[] = [];
  for (let i = 0; i < text.length; i += pieceSize) records.push(...parser.push(text.slice(i, i + pieceSize)));
  records.push(...parser.end());
  return records;
}

describe('CSV parser (RFC 4180)', () => {
  it('splits records and fields, with or without a final line break, LF or CRLF', () => {
    const expected = [
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '', '3'] },
    ];
    expect(parseAll('a,b,c\n1,,3\n')).toEqual(expected);
    expect(parseAll('a,b,c\r\n1,,3\r\n')).toEqual(expected);
    expect(parseAll('a,b,c\r\n1,,3')).toEqual(expected);
    expect(parseAll('a,b,c\n1,,')).toEqual([expected[0], { line: 2, fields: ['1', '', ''] }]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks, numbering records by their first line', () => {
    const text = 'id,bio,x\r\n1,"says ""hi"", then\r\nleaves",z\r\n2,"",y\r\n';
    expect(parseAll(text)).toEqual([
      { line: 1, fields: ['id', 'bio', 'x'] },
      { line: 2, fields: ['1', 'says "hi", then\r\nleaves', 'z'] },
      { line: 4, fields: ['2', '', 'y'] },
    ]);
  });

  it('gives the same records however the text is cut into pieces', () => {
    const text = '\uFEFFh1,h2\r\n"a\r\nb","c""d"\r\n\r\ne,f\r\n"g",h';
    const whole = parseAll(text);
    expect(whole).toEqual([
      { line: 1, fields: ['h1', 'h2'] },
      { line: 2, fields: ['a\r\nb', 'c"d'] },
      { line: 5, fields: ['e', 'f'] },
      { line: 6, fields: ['g', 'h'] },
    ]);
    for (const size of [1, 2, 3, 5, 7]) expect(parseAll(text, size)).toEqual(whole);
  });

  it('skips blank lines but keeps a record of one quoted empty field', () => {
    expect(parseAll('a\n\n\nb\n""\n')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 4, fields: ['b'] },
      { line: 5, fields: [''] },
    ]);
  });

  it('reports a malformed record with its line and goes on with the next line', () => {
    const records = parseAll('a,b\n1,x"y\n2,"z"w\n3,ok\n');
    expect(records.map(({ line, error }) => ({ line, error }))).toEqual([
      { line: 1, error: undefined },
      { line: 2, error: expect.stringContaining('double quote inside an unquoted field') },
      { line: 3, error: expect.stringContaining('after a closing quote') },
      { line: 4, error: undefined },
    ]);
    expect(records[3]?.fields).toEqual(['3', 'ok']);
  });

  it('reports a quoted field left open at the end of the file', () => {
    const records = parseAll('a,b\n1,"never closed\n2,x\n');
    expect(records[1]).toMatchObject({ line: 2, error: expect.stringContaining('never closed') });
    expect(records).toHaveLength(2);
  });

  it('reads an async stream of pieces, and quotes only the fields that need it', async () => {
    async function* pieces() {
      yield 'a,"b';
      yield ',c"\n';
    }
    const records: CsvRecord[] = [];
    for await (const record of parseCsv(pieces())) records.push(record);
    expect(records).toEqual([{ line: 1, fields: ['a', 'b,c'] }]);
    expect(['plain', 'with,comma', 'say "x"', 'two\nlines'].map(csvField)).toEqual([
      'plain',
      '"with,comma"',
      '"say ""x"""',
      '"two\nlines"',
    ]);
    const roundTrip = parseAll(
      `${['plain', 'with,comma', 'say "x"', 'two\nlines'].map(csvField).join(',')}\n`,
    );
    expect(roundTrip[0]?.fields).toEqual(['plain', 'with,comma', 'say "x"', 'two\nlines']);
  });
});
