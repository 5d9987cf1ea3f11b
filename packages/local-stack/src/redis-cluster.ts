import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { elapsedSince, type StackLogger, stderrLogger } from './log.js';
import { tailFile } from './logfile.js';
import { LOOPBACK, pickFreePorts } from './ports.js';
import { type ManagedProcess, runToCompletion, spawnManaged } from './process.js';
import { pingRedisTarget, redactRedisUrl, redisExecutable, waitForRedis } from './redis.js';

const STOP_GRACE_MS = 5_000;

export interface StartRedisClusterOptions {
  /** An existing cluster (`redis+cluster://host:port,…`): used as is, every seed must answer PING. */
  url?: string;
  /** Masters to start (no replicas); Redis Cluster needs at least 3. Default 3. */
  masters?: number;
  /** Where the nodes run (`redis-cluster/node-<port>/` each); default: a temp dir removed on stop(). */
  dataDir?: string;
  log?: StackLogger;
  /** Until every node says cluster_state:ok; default 20 s. */
  readyTimeoutMs?: number;
}

export interface RedisClusterHandle {
  /** `redis+cluster://127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3`, or the given url. */
  url: string;
  /** The processes we started (none for a given url). */
  pids: number[];
  /** Where the nodes' dirs, logs and cluster-create.log are (absent for a given url). */
  dir?: string;
  /** Stops every node we started and removes a data dir we created; idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts a private Redis Cluster of `masters` non-persistent redis-server nodes on loopback (each
 * with its own dir, client port and cluster bus port), joins them with
 * `redis-cli --cluster create … --cluster-replicas 0`, and resolves once every node reports
 * `cluster_state:ok`. A failed start stops whatever it started before throwing. Nodes are
 * managed processes: own process group, reaper, exit hook (see process.ts).
 */
export async function startRedisCluster(options: StartRedisClusterOptions = {}): Promise<RedisClusterHandle> {
  const log = options.log ?? stderrLogger;
  if (options.url !== undefined) {
    try {
      await pingRedisTarget(options.url);
    } catch (err) {
      throw new Error(
        `Redis Cluster at ${redactRedisUrl(options.url)} is not reachable: ${(err as Error).message}`,
      );
    }
    log.info(`using existing Redis Cluster at ${redactRedisUrl(options.url)}`);
    return { url: options.url, pids: [], stop: async () => {} };
  }
  const masters = options.masters ?? 3;
  if (!Number.isInteger(masters) || masters < 3)
    throw new TypeError(`a Redis Cluster needs at least 3 masters, got ${masters}`);

  const startedAt = performance.now();
  const ownsDir = options.dataDir === undefined;
  const baseDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'mirrorwatch-redis-cluster-')));
  const dir = join(baseDir, 'redis-cluster');
  await mkdir(dir, { recursive: true });
  const nodes: ManagedProcess[] = [];
  let ports: number[] = [];
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await Promise.all(nodes.map((node) => node.stop(STOP_GRACE_MS)));
      if (ownsDir) await rm(baseDir, { recursive: true, force: true });
    })();
    return stopping;
  };

  try {
    const redisServer = await redisExecutable('redis-server', dir, log);
    const redisCli = await redisExecutable('redis-cli', dir, log);
    // A client port and a cluster bus port per node. The bus port is given explicitly
    // (cluster-port, Redis 7+): the default, port + 10000, may be taken or beyond 65535.
    const free = await pickFreePorts(2 * masters);
    ports = free.slice(0, masters);
    const busPorts = free.slice(masters);
    const started = await Promise.allSettled(
      ports.map(async (port, n) => {
        const nodeDir = join(dir, `node-${port}`);
        await mkdir(nodeDir, { recursive: true });
        const logFile = join(nodeDir, 'redis.log');
        const node = await spawnManaged({
          name: `redis-server (cluster node ${port})`,
          command: redisServer,
          // A throwaway cache for dev and tests: no RDB snapshots, no AOF, loopback only.
          args: [
            ...['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'],
            ...['--cluster-port', String(busPorts[n]), '--cluster-node-timeout', '5000'],
            ...['--save', '', '--appendonly', 'no'],
            ...['--bind', LOOPBACK, '--port', String(port), '--dir', nodeDir],
          ],
          cwd: nodeDir,
          logFile,
        });
        nodes.push(node);
        await waitForRedis(node, `redis://${LOOPBACK}:${port}`, logFile, options.readyTimeoutMs ?? 20_000);
      }),
    );
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;

    const createLog = join(dir, 'cluster-create.log');
    await runToCompletion({
      what: 'redis-cli --cluster create',
      name: 'redis-cli',
      command: redisCli,
      args: [
        '--cluster',
        'create',
        ...ports.map((port) => `${LOOPBACK}:${port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      cwd: dir,
      logFile: createLog,
    });
    await waitForClusterOk(ports, options.readyTimeoutMs ?? 20_000, createLog);
  } catch (err) {
    await stop();
    throw err;
  }

  const url = `redis+cluster://${ports.map((port) => `${LOOPBACK}:${port}`).join(',')}`;
  log.info(`Redis Cluster of ${masters} masters ready on ${url} in ${elapsedSince(startedAt)}`);
  return { url, pids: nodes.map((node) => node.pid), dir, stop };
}

/** Polls CLUSTER INFO on every node until each one reports cluster_state:ok. */
async function waitForClusterOk(
  ports: readonly number[],
  timeoutMs: number,
  createLog: string,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const infos = await Promise.all(
      ports.map((port) => clusterInfo(LOOPBACK, port).catch((err: Error) => `error: ${err.message}`)),
    );
    if (infos.every((info) => /^cluster_state:ok\r?$/m.test(info))) return;
    if (performance.now() > deadline) {
      const states = infos.map((info, n) => `${ports[n]}: ${/^cluster_state:\w+/m.exec(info)?.[0] ?? info}`);
      throw new Error(
        `Redis Cluster did not reach cluster_state:ok within ${timeoutMs} ms (${states.join(', ')}); ` +
          `${createLog} (tail):\n${await tailFile(createLog, 20)}`,
      );
    }
    await sleep(50);
  }
}

/** CLUSTER INFO over a raw RESP connection: the bulk string it answers. */
export function clusterInfo(host: string, port: number, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp({ host, port });
    let buffered = Buffer.alloc(0);
    const finish = (err: Error | undefined, info?: string) => {
      socket.destroy();
      if (err) reject(err);
      else resolve(info ?? '');
    };
    socket.setTimeout(timeoutMs, () => finish(new Error(`no answer within ${timeoutMs} ms`)));
    socket.once('error', (err) => finish(err));
    socket.once('connect', () => socket.write('*2\r\n$7\r\nCLUSTER\r\n$4\r\nINFO\r\n'));
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const lineEnd = buffered.indexOf('\r\n');
      if (lineEnd < 0) return;
      const header = buffered.subarray(0, lineEnd).toString('utf8');
      if (header.startsWith('-')) return finish(new Error(`Redis replied ${header.slice(1)}`));
      if (!header.startsWith('$')) return finish(new Error(`unexpected reply to CLUSTER INFO: ${header}`));
      const length = Number(header.slice(1));
      if (buffered.length < lineEnd + 2 + length) return;
      finish(undefined, buffered.subarray(lineEnd + 2, lineEnd + 2 + length).toString('utf8'));
    });
    socket.once('end', () => finish(new Error('connection closed before CLUSTER INFO answered')));
  });
}
