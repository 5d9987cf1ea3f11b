/** One dispatched server-sent event. */
export interface SseEvent {
  /** `message` when the server named none. */
  event: string;
  data: string;
  id?: string;
}

/**
 * Incremental parser for the `text/event-stream` format (WHATWG HTML, "server-sent events").
 * EventSource cannot send an Authorization header, so the console reads the stream with fetch and
 * feeds the decoded text here chunk by chunk; chunks may split lines and events anywhere.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;
  /** The server's `retry:` hint in milliseconds, if it sent one. */
  retryMs: number | undefined;

  constructor(private readonly onEvent: (event: SseEvent) => void) {}

  push(chunk: string): void {
    this.buffer += chunk;
    // Lines end with CRLF, LF or CR. A CR at the very end may be the first half of a CRLF.
    const pattern = /\r\n|\r|\n/g;
    let start = 0;
    for (let found = pattern.exec(this.buffer); found; found = pattern.exec(this.buffer)) {
      if (found[0] === '\r' && found.index === this.buffer.length - 1) break;
      this.line(this.buffer.slice(start, found.index));
      start = found.index + found[0].length;
    }
    this.buffer = this.buffer.slice(start);
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) return; // a comment: the server's heartbeat
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
  }

  private dispatch(): void {
    const { data, event, id } = this;
    this.data = [];
    this.event = '';
    if (data.length === 0) return;
    this.onEvent({ event: event || 'message', data: data.join('\n'), ...(id !== undefined && { id }) });
  }
}
