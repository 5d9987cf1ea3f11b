/** FNV-1a over UTF-16 code units, unsigned 32-bit: cheap, stable across processes and versions, well spread. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let n = 0; n < text.length; n += 1) {
    hash ^= text.charCodeAt(n);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function shardOf(key: string, shards: number): number {
  return fnv1a(key) % shards;
}

/** Groups items by shard, keeping their order within each shard. */
export function groupByShard<T>(items: Iterable<T>, shardOfItem: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const shard = shardOfItem(item);
    const group = groups.get(shard);
    if (group) group.push(item);
    else groups.set(shard, [item]);
  }
  return groups;
}
