import { createLogger } from '@mirrorwatch/logger';
import { describe, expect, it } from 'vitest';
import type { BatchContext, HandlerFailure, ReceivedMessage } from './consumer.js';
import { mergeConcurrentChunks } from './merge-chunks.js';
import { controlledCalls } from './testing.js';

type Message = ReceivedMessage<'matches'>;

/** Stand-ins for decoded messages: the handler under test only looks at their offsets. */
const chunk = (partition: number, ...offsets: number[]): Message[] =>
  offsets.map((offset) => ({ partition, offset: String(offset) }) as Message);
const offsetsOf = (messages: Message[]) => messages.map(({ partition, offset }) => `${partition}/${offset}`);

const controlledHandler = () => controlledCalls<Message[], HandlerFailure[]>();

const context: BatchContext = {
  log: createLogger({ name: 'test', level: 'silent' }),
  heartbeat: async () => {},
};
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('mergeConcurrentChunks', () => {
  it('hands chunks of the same turn to one call, those arriving during it to the next, one call at a time', async () => {
    const handler = controlledHandler();
    const merged = mergeConcurrentChunks(handler.call, 100);
    const a = merged(chunk(0, 1, 2), context);
    // A partition handed over a few promise steps later still joins.
    await Promise.resolve();
    const b = merged(chunk(1, 7), context);
    await tick();
    expect(handler.calls.map(({ input }) => offsetsOf(input))).toEqual([['0/1', '0/2', '1/7']]);

    const c = merged(chunk(2, 4), context);
    const d = merged(chunk(0, 3), context);
    await tick();
    expect(handler.calls).toHaveLength(1);

    handler.calls[0]?.settle([]);
    await expect(Promise.all([a, b])).resolves.toEqual([[], []]);
    await tick();
    expect(handler.calls.map(({ input }) => offsetsOf(input))[1]).toEqual(['2/4', '0/3']);
    handler.calls[1]?.settle([]);
    await expect(Promise.all([c, d])).resolves.toEqual([[], []]);
    expect(handler.mostAtOnce()).toBe(1);
  });

  it('gives each caller the failures of its own messages, indexed into its own chunk', async () => {
    const handler = controlledHandler();
    const merged = mergeConcurrentChunks(handler.call, 100);
    const a = merged(chunk(0, 1, 2, 3), context);
    const b = merged(chunk(1, 1, 2), context);
    await tick();
    handler.calls[0]?.settle([
      { index: 1, code: 'processing_failed', reason: 'second of a' },
      { index: 3, code: 'processing_failed', reason: 'first of b' },
      { index: 4, code: 'processing_failed', reason: 'second of b' },
    ]);
    expect(await a).toEqual([{ index: 1, code: 'processing_failed', reason: 'second of a' }]);
    expect(await b).toEqual([
      { index: 0, code: 'processing_failed', reason: 'first of b' },
      { index: 1, code: 'processing_failed', reason: 'second of b' },
    ]);
  });

  it('rejects every caller of a call that throws; the next call goes ahead', async () => {
    const handler = controlledHandler();
    const merged = mergeConcurrentChunks(handler.call, 100);
    const a = merged(chunk(0, 1), context);
    const b = merged(chunk(1, 1), context);
    await tick();
    const c = merged(chunk(2, 1), context);
    handler.calls[0]?.settle(new Error('Redis is away'));
    await expect(a).rejects.toThrow('Redis is away');
    await expect(b).rejects.toThrow('Redis is away');
    await tick();
    handler.calls[1]?.settle([]);
    await expect(c).resolves.toEqual([]);
    expect(handler.calls.map(({ input }) => offsetsOf(input))).toEqual([['0/1', '1/1'], ['2/1']]);
  });

  it('takes whole chunks up to the size limit, and a chunk larger than the limit alone', async () => {
    const handler = controlledHandler();
    const merged = mergeConcurrentChunks(handler.call, 3);
    const calls = [
      merged(chunk(0, 1, 2), context),
      merged(chunk(1, 1), context),
      merged(chunk(2, 1, 2), context),
      merged(chunk(3, 1, 2, 3, 4), context),
      merged(chunk(4, 1), context),
    ];
    for (let call = 0; call < 4; call += 1) {
      await tick();
      handler.calls[call]?.settle([]);
    }
    await Promise.all(calls);
    expect(handler.calls.map(({ input }) => offsetsOf(input))).toEqual([
      ['0/1', '0/2', '1/1'],
      ['2/1', '2/2'],
      ['3/1', '3/2', '3/3', '3/4'],
      ['4/1'],
    ]);
  });
});
