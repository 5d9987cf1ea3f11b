import { describe, expect, it } from 'vitest';
import { createSharedCommit } from './shared-commit.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('createSharedCommit', () => {
  it('makes one commit for the callers of one turn, after that turn', async () => {
    const commitShared = createSharedCommit();
    const resolved: string[] = [];
    const committed: string[][] = [];
    const commit = async () => {
      committed.push([...resolved]);
    };
    resolved.push('0/5');
    const first = commitShared(commit);
    await Promise.resolve();
    // Resolved a few promise steps later, in the same turn: still in the same commit.
    resolved.push('1/9');
    const second = commitShared(commit);
    await Promise.all([first, second]);
    expect(committed).toEqual([['0/5', '1/9']]);
  });

  it('gives a caller arriving during a commit a later one, and each caller its own commit’s outcome', async () => {
    const commitShared = createSharedCommit();
    let finishFirst: (() => void) | undefined;
    let calls = 0;
    const first = commitShared(async () => {
      calls += 1;
      await new Promise<void>((resolve) => {
        finishFirst = resolve;
      });
    });
    await tick();
    expect(calls).toBe(1);
    const second = expect(
      commitShared(async () => {
        calls += 1;
        throw new Error('rebalance in progress');
      }),
    ).rejects.toThrow('rebalance in progress');
    await tick();
    expect(calls).toBe(2);
    await second;
    finishFirst?.();
    await expect(first).resolves.toBeUndefined();
  });
});
