import { describe, expect, it } from 'vitest';
import { createCoalescer } from './coalesce.js';
import { controlledCalls } from './testing.js';

const controlledBatches = () => controlledCalls<string[], void>();

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('createCoalescer', () => {
  it('sends the senders of one tick together, and those arriving during a request in the next one', async () => {
    const batches = controlledBatches();
    const coalescer = createCoalescer({ sendBatch: batches.call, maxBatchBytes: 1000 });
    const settled: string[] = [];
    const track = (name: string, promise: Promise<void>) => promise.then(() => settled.push(name));
    const a = track('a', coalescer.send(['a1', 'a2'], 10));
    const b = track('b', coalescer.send(['b1'], 10));
    await tick();
    expect(batches.calls.map((call) => call.input)).toEqual([['a1', 'a2', 'b1']]);

    const c = track('c', coalescer.send(['c1'], 10));
    await tick();
    const d = track('d', coalescer.send(['d1'], 10));
    await tick();
    // Still one request in flight; c and d wait for it.
    expect(batches.calls).toHaveLength(1);
    expect(settled).toEqual([]);

    batches.calls[0]?.settle();
    await Promise.all([a, b]);
    await tick();
    expect(settled).toEqual(['a', 'b']);
    expect(batches.calls.map((call) => call.input)).toEqual([
      ['a1', 'a2', 'b1'],
      ['c1', 'd1'],
    ]);
    batches.calls[1]?.settle();
    await Promise.all([c, d]);
    expect(settled).toEqual(['a', 'b', 'c', 'd']);
    expect(batches.mostAtOnce()).toBe(1);
  });

  it('rejects exactly the senders of a failed batch; later senders still go through', async () => {
    const batches = controlledBatches();
    const coalescer = createCoalescer({ sendBatch: batches.call, maxBatchBytes: 1000 });
    const first = coalescer.send(['x'], 1);
    const second = coalescer.send(['y'], 1);
    await tick();
    const third = coalescer.send(['z'], 1);
    batches.calls[0]?.settle(new Error('broker unreachable'));
    await expect(first).rejects.toThrow('broker unreachable');
    await expect(second).rejects.toThrow('broker unreachable');
    await tick();
    expect(batches.calls[1]?.input).toEqual(['z']);
    batches.calls[1]?.settle();
    await expect(third).resolves.toBeUndefined();
  });

  it('closes a batch at maxBatchBytes without splitting a sender, and sends an oversized sender alone', async () => {
    const batches = controlledBatches();
    const coalescer = createCoalescer({ sendBatch: batches.call, maxBatchBytes: 100 });
    const sends = [
      coalescer.send(['a'], 60),
      coalescer.send(['b'], 30),
      coalescer.send(['c'], 20),
      coalescer.send(['big1', 'big2'], 500),
      coalescer.send(['d'], 10),
    ];
    for (let n = 0; n < 4; n += 1) {
      await tick();
      batches.calls[n]?.settle();
    }
    await Promise.all(sends);
    expect(batches.calls.map((call) => call.input)).toEqual([['a', 'b'], ['c'], ['big1', 'big2'], ['d']]);
  });

  it('with lingerMs, holds the first batch that long so later senders share it', async () => {
    const batches = controlledBatches();
    const coalescer = createCoalescer({ sendBatch: batches.call, maxBatchBytes: 1000, lingerMs: 30 });
    const first = coalescer.send(['a'], 1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const second = coalescer.send(['b'], 1);
    expect(batches.calls).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(batches.calls.map((call) => call.input)).toEqual([['a', 'b']]);
    batches.calls[0]?.settle();
    await Promise.all([first, second]);
  });

  it('answers an empty send at once without a request', async () => {
    const batches = controlledBatches();
    const coalescer = createCoalescer({ sendBatch: batches.call, maxBatchBytes: 100 });
    await coalescer.send([], 0);
    expect(batches.calls).toHaveLength(0);
  });
});
