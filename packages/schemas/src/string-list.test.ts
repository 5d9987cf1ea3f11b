import { describe, expect, it } from 'vitest';
import { stringList } from './event.js';

describe('stringList', () => {
  const list = stringList({ minLength: 1, maxLength: 3, maxItems: 4 });
  const problems = (value: unknown) => {
    const result = list.safeParse(value);
    return result.success ? [] : result.error.issues.map(({ path, message }) => ({ path, message }));
  };

  it('accepts strings within bounds and returns the same list', () => {
    expect(list.parse(['a', 'abc', 'ab'])).toEqual(['a', 'abc', 'ab']);
    expect(stringList().parse(['', 'any length at all'])).toEqual(['', 'any length at all']);
  });

  it('reports each bad item at its own index', () => {
    expect(problems(['ok', '', 'toolong', 5])).toEqual([
      { path: [1], message: 'must be a string of 1 to 3 characters' },
      { path: [2], message: 'must be a string of 1 to 3 characters' },
      { path: [3], message: 'must be a string of 1 to 3 characters' },
    ]);
  });

  it('refuses a list that is too long, or not a list', () => {
    expect(problems(['a', 'b', 'c', 'd', 'e'])).toEqual([{ path: [], message: 'must hold at most 4 items' }]);
    expect(problems('a,b')).toEqual([{ path: [], message: 'must be an array of strings' }]);
  });
});
