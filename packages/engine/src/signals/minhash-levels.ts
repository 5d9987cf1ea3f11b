/** Share of equal slots in two MinHash signatures: an unbiased estimate of the sets' Jaccard index. */
export function estimateJaccard(a: readonly number[], b: readonly number[]): number {
  const length = Math.min(a.length, b.length);
  if (length === 0) return 0;
  let equal = 0;
  for (let index = 0; index < length; index += 1) if (a[index] === b[index]) equal += 1;
  return equal / length;
}

/** Maps a similarity onto the first level whose lower bound it reaches. */
export function levelFor(
  value: number,
  bounds: ReadonlyArray<readonly [string, number]>,
  fallback: string,
): string {
  for (const [level, lower] of bounds) if (value >= lower) return level;
  return fallback;
}
