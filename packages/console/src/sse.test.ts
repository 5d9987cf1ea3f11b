import { describe, expect, it } from 'vitest';
import { type SseEvent, SseParser } from './sse';

function parse(chunks: string[]): { events: SseEvent[]; parser: SseParser } {
  const events: SseEvent[] = [];
  const parser = new SseParser((event) => events.push(event));
  for (const chunk of chunks) parser.push(chunk);
  return { events, parser };
}

describe('server-sent events parser', () => {
  it('reads the alerts stream as the service writes it, comments skipped', () => {
    const { events } = parse([
      ': connected\n\n',
      'event: alert\nid: al_1\ndata: {"id":"al_1"}\n\n',
      ': heartbeat\n\n',
    ]);
    expect(events).toEqual([{ event: 'alert', id: 'al_1', data: '{"id":"al_1"}' }]);
  });

  it('joins events split anywhere across chunks, including between CR and LF', () => {
    const text = 'event: alert\r\ndata: {"a":\r\ndata: 1}\r\n\r\nevent: alert\rdata: x\r\r\n';
    const oneByOne = parse([...text]).events;
    const whole = parse([text]).events;
    expect(oneByOne).toEqual(whole);
    expect(whole).toEqual([
      { event: 'alert', data: '{"a":\n1}' },
      { event: 'alert', data: 'x' },
    ]);
  });

  it('does not dispatch an unfinished event, nor one without data; defaults the type to message', () => {
    const { events, parser } = parse(['event: alert\n\n', 'data: pending\n']);
    expect(events).toEqual([]);
    parser.push('\n');
    expect(events).toEqual([{ event: 'message', data: 'pending' }]);
  });

  it('keeps only one leading space of a value and reads retry hints', () => {
    const { events, parser } = parse(['retry: 2500\ndata:  two spaces\ndata:none\n\n']);
    expect(events[0]?.data).toBe(' two spaces\nnone');
    expect(parser.retryMs).toBe(2500);
  });
});
