/**
 * What `REDIS_URL` names: one Redis server (`redis://` or `rediss://`, handed to ioredis as is), or
 * a Redis Cluster (`redis+cluster://[user:password@]host:port[,host:port…]`, `rediss+cluster://`
 * for TLS). The cluster's hosts are seeds: the client asks any of them for the slot map and finds
 * the other masters itself, so two or three seeds are enough. A cluster has no databases, so a
 * cluster URL takes no path.
 *
 * Kept free of ioredis so configuration can validate a URL without loading a client.
 */
export type RedisTarget =
  | { kind: 'single'; url: string }
  | {
      kind: 'cluster';
      nodes: { host: string; port: number }[];
      username?: string;
      password?: string;
      tls: boolean;
    };

export const REDIS_URL_FORMS =
  'a redis:// or rediss:// URL, or redis+cluster://host:port[,host:port…] (rediss+cluster:// for TLS) for Redis Cluster';

export class RedisUrlError extends TypeError {
  override readonly name = 'RedisUrlError';
}

const CLUSTER_URL = /^(rediss?)\+cluster:\/\/(?:([^@/?#]*)@)?([^/?#]*)\/?$/i;
const NODE = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d+))?$/;

/** Parses a Redis URL; throws RedisUrlError saying which forms are accepted. Never echoes a password. */
export function parseRedisUrl(url: string): RedisTarget {
  const trimmed = url.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === 'redis' || scheme === 'rediss') {
    if (!URL.canParse(trimmed)) throw new RedisUrlError(`not a valid URL; expected ${REDIS_URL_FORMS}`);
    return { kind: 'single', url: trimmed };
  }
  if (scheme !== 'redis+cluster' && scheme !== 'rediss+cluster')
    throw new RedisUrlError(`expected ${REDIS_URL_FORMS}`);

  const match = CLUSTER_URL.exec(trimmed);
  if (!match)
    throw new RedisUrlError(
      'a cluster URL is redis+cluster://[user:password@]host:port[,host:port…] with no path or query',
    );
  const [, base = '', userinfo, hostList = ''] = match;
  const nodes = hostList.split(',').map((entry) => {
    const node = NODE.exec(entry.trim());
    const host = node?.[1] ?? node?.[2];
    const port = node?.[3] === undefined ? 6379 : Number(node[3]);
    if (host === undefined || !Number.isInteger(port) || port < 1 || port > 65535)
      throw new RedisUrlError(`"${entry}" in a cluster URL is not host:port`);
    return { host, port };
  });
  const target: RedisTarget = { kind: 'cluster', nodes, tls: base.toLowerCase() === 'rediss' };
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':');
    const username = decodeURIComponent(colon < 0 ? userinfo : userinfo.slice(0, colon));
    const password = colon < 0 ? '' : decodeURIComponent(userinfo.slice(colon + 1));
    if (username !== '') target.username = username;
    if (password !== '') target.password = password;
  }
  return target;
}
