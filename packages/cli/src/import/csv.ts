/**
 * An incremental RFC 4180 CSV parser: comma-separated fields, records ended by CRLF or LF,
 * fields optionally in double quotes, where `""` is one quote and commas and line breaks are
 * data. Records are numbered by the physical line they start on (the header is line 1), so a
 * problem can be pointed at in the file as an editor shows it.
 *
 * A malformed record (a quote inside an unquoted field, characters after a closing quote) is
 * returned with an `error` and parsing resumes at the next line: one bad row never hides the
 * good ones beside it. Blank lines are skipped.
 */

export interface CsvRecord {
  /** Physical line (1-based) the record starts on. */
  line: number;
  fields: string[];
  /** Set when the record is malformed; `fields` is then incomplete. */
  error?: string;
}

type State = 'fieldStart' | 'unquoted' | 'quoted' | 'quoteInQuoted' | 'crAfterQuote' | 'skipLine';

export class CsvParser {
  private state: State = 'fieldStart';
  private field = '';
  private fields: string[] = [];
  private line = 1;
  private recordLine = 1;
  private error: string | undefined;
  private out: CsvRecord[] = [];
  private started = false;

  /** Feeds the next piece of text; returns the records it completed. */
  push(chunk: string): CsvRecord[] {
    let text = chunk;
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // byte-order mark
    }
    for (let i = 0; i < text.length; i += 1) {
      const ch = text[i] as string;
      switch (this.state) {
        case 'fieldStart':
          if (ch === '"') this.state = 'quoted';
          else if (ch === ',') this.endField();
          else if (ch === '\n') this.endRecord(false);
          else {
            this.field += ch;
            this.state = 'unquoted';
          }
          break;
        case 'unquoted':
          if (ch === ',') {
            this.endField();
            this.state = 'fieldStart';
          } else if (ch === '\n') this.endRecord(false);
          else if (ch === '"') this.fail('a double quote inside an unquoted field (quote the whole field)');
          else this.field += ch;
          break;
        case 'quoted':
          if (ch === '"') this.state = 'quoteInQuoted';
          else {
            this.field += ch;
            if (ch === '\n') this.line += 1;
          }
          break;
        case 'quoteInQuoted':
          if (ch === '"') {
            this.field += '"';
            this.state = 'quoted';
          } else if (ch === ',') {
            this.endField();
            this.state = 'fieldStart';
          } else if (ch === '\n') this.endRecord(true);
          else if (ch === '\r') this.state = 'crAfterQuote';
          else this.fail('characters after a closing quote');
          break;
        case 'crAfterQuote':
          if (ch === '\n') this.endRecord(true);
          else this.fail('characters after a closing quote');
          break;
        case 'skipLine':
          if (ch === '\n') this.endRecord(false);
          break;
      }
    }
    return this.take();
  }

  /** The input has ended: returns the last record, or an error if a quoted field is still open. */
  end(): CsvRecord[] {
    if (this.state === 'quoted') {
      this.fields.push(this.field);
      this.out.push({
        line: this.recordLine,
        fields: this.fields,
        error: 'a quoted field is never closed (the rest of the file was read into it)',
      });
    } else if (this.state === 'skipLine' || this.state === 'crAfterQuote') {
      this.endRecord(this.state === 'crAfterQuote');
    } else if (this.state !== 'fieldStart' || this.fields.length > 0) {
      this.endRecord(this.state === 'quoteInQuoted');
    }
    this.state = 'fieldStart';
    return this.take();
  }

  private take(): CsvRecord[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
  }

  /** Ends the record at a line break; `quoted` tells whether its last field was quoted. */
  private endRecord(quoted: boolean): void {
    if (this.state === 'skipLine' || this.error !== undefined) {
      this.out.push({ line: this.recordLine, fields: this.fields, error: this.error ?? 'malformed record' });
    } else {
      // CRLF: the CR belongs to the line break, not to an unquoted last field.
      if (!quoted && this.field.endsWith('\r')) this.field = this.field.slice(0, -1);
      this.endField();
      const blank = this.fields.length === 1 && this.fields[0] === '' && !quoted;
      if (!blank) this.out.push({ line: this.recordLine, fields: this.fields });
    }
    this.fields = [];
    this.field = '';
    this.error = undefined;
    this.state = 'fieldStart';
    this.line += 1;
    this.recordLine = this.line;
  }

  private fail(message: string): void {
    this.error = message;
    this.state = 'skipLine';
  }
}

/** Parses text arriving in pieces (a file stream) into records. */
export async function* parseCsv(chunks: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  const parser = new CsvParser();
  for await (const chunk of chunks) yield* parser.push(chunk);
  yield* parser.end();
}

/** One CSV field, quoted when it has to be (for writing test files and examples). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
