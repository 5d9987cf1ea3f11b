import { isCluster, type Redis } from './client.js';

/**
 * Every key matching `match`, as Redis names them. SCAN's MATCH pattern and its replies are not
 * prefixed by the client, so both carry the keyPrefix. In a Redis Cluster each master holds its
 * own keys, so every master is scanned. For tests and tooling: it walks the whole keyspace.
 */
export async function scanKeys(redis: Redis, match: string, count = 1000): Promise<string[]> {
  const nodes = isCluster(redis) ? redis.nodes('master') : [redis];
  const found: string[] = [];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', match, 'COUNT', count);
      cursor = next;
      found.push(...batch);
    } while (cursor !== '0');
  }
  return found;
}
