/// <reference path="./cluster-key-slot.d.ts" />
import calculateSlot from 'cluster-key-slot';
import { describe, expect, it } from 'vitest';
import { RedisPipelineError, splitByOwner } from './pipelined.js';

// Three masters with the slot ranges `redis-cli --cluster create` gives them.
const owner = (slot: number) => (slot <= 5460 ? 'a' : slot <= 10922 ? 'b' : 'c');

describe('splitByOwner', () => {
  it('groups commands by the master owning their slot, keeping queue order within a part', () => {
    const keys = Array.from({ length: 40 }, (_, n) => [`mw:idx:banned:d:${n}`]);
    const parts = splitByOwner(keys, owner);
    expect(parts.flat().sort((a, b) => a - b)).toEqual(keys.map((_, n) => n));
    expect(parts).toHaveLength(3);
    for (const part of parts) {
      expect(part).toEqual([...part].sort((a, b) => a - b));
      expect(new Set(part.map((n) => owner(calculateSlot(keys[n]![0]!)))).size).toBe(1);
    }
  });

  it('computes slots on the keys as given (prefixed), honouring hash tags', () => {
    // The same unprefixed key lands elsewhere once prefixed; a hash tag in the prefix wins.
    expect(calculateSlot('mw:k')).not.toBe(calculateSlot('k'));
    expect(calculateSlot('mw:idx:x:k:{x:3}:a')).toBe(calculateSlot('x:3'));
    expect(calculateSlot('{tenant}:idx:x:k:{x:3}:a')).toBe(calculateSlot('tenant'));
    const parts = splitByOwner(
      [['p:idx:x:k:{x:3}:a', 'p:idx:x:k:{x:3}:b'], ['q:{x:3}'], ['p:{x:4}']],
      (slot) => String(slot),
    );
    expect(parts).toEqual([[0, 1], [2]]);
  });

  it('puts commands without keys into the first part, or a part of their own', () => {
    expect(splitByOwner([[], ['{a}1'], [], ['{b}1']], (slot) => String(slot))).toEqual([[0, 1, 2], [3]]);
    expect(splitByOwner([[], []], owner)).toEqual([[0, 1]]);
    expect(splitByOwner([], owner)).toEqual([]);
  });

  it('refuses a command whose keys span slots, naming its position', () => {
    expect(() => splitByOwner([['a'], ['{t}1', '{u}2']], owner)).toThrow(RedisPipelineError);
    expect(() => splitByOwner([['a'], ['{t}1', '{u}2']], owner)).toThrow(
      /command 1 .* several Redis Cluster slots/,
    );
  });
});
