import { accessSync, constants } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { connect as connectTcp, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect as connectTls } from 'node:tls';
import { parseRedisUrl, type RedisTarget } from '@mirrorwatch/redis/url';
import { elapsedSince, type StackLogger, stderrLogger } from './log.js';
import { tailFile, watchLogFor } from './logfile.js';
import { LOOPBACK, pickFreePort } from './ports.js';
import { describeExit, type ManagedProcess, runToCompletion, spawnManaged } from './process.js';

const STOP_GRACE_MS = 5_000;
/** Logged by redis-server 6 and 7 once it listens. */
const REDIS_READY_MESSAGE = 'Ready to accept connections';

/** The URL with any password masked, fit for error messages and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    // A redis+cluster:// URL lists several hosts, which URL cannot parse; mask its password by hand.
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
  }
}

function respCommand(...parts: string[]): string {
  return `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`;
}

/**
 * Sends PING (after AUTH when the URL carries credentials) over a raw RESP connection and resolves on
 * +PONG. Rejects with the connect error or the server's error reply otherwise.
 */
export function pingRedis(url: string, timeoutMs = 2000): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.reject(new Error(`invalid Redis URL "${redactRedisUrl(url)}"`));
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    return Promise.reject(
      new Error(`unsupported Redis URL scheme "${parsed.protocol}" (expected redis: or rediss:)`),
    );
  }
  // URL keeps the brackets of an IPv6 host; net.connect wants them gone.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1') || LOOPBACK;
  const port = parsed.port === '' ? 6379 : Number(parsed.port);
  const commands: string[] = [];
  if (parsed.password !== '') {
    const password = decodeURIComponent(parsed.password);
    commands.push(
      parsed.username === ''
        ? respCommand('AUTH', password)
        : respCommand('AUTH', decodeURIComponent(parsed.username), password),
    );
  }
  commands.push(respCommand('PING'));

  return new Promise((resolve, reject) => {
    const socket: Socket =
      parsed.protocol === 'rediss:'
        ? connectTls({ host, port, servername: host })
        : connectTcp({ host, port });
    let buffered = '';
    let expected = commands.length;
    const finish = (err?: Error) => {
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    socket.setTimeout(timeoutMs, () => finish(new Error(`no answer within ${timeoutMs} ms`)));
    socket.once('error', (err) => finish(err));
    socket.once(parsed.protocol === 'rediss:' ? 'secureConnect' : 'connect', () =>
      socket.write(commands.join('')),
    );
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      for (let end = buffered.indexOf('\r\n'); end !== -1; end = buffered.indexOf('\r\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (line.startsWith('-')) return finish(new Error(`Redis replied ${line.slice(1)}`));
        expected -= 1;
        if (expected === 0) {
          return finish(line === '+PONG' ? undefined : new Error(`unexpected reply to PING: ${line}`));
        }
      }
    });
    socket.once('end', () => finish(new Error('connection closed before PONG')));
  });
}

/**
 * PING for any REDIS_URL form: one server, or every seed node of a `redis+cluster://` URL (each
 * must answer; a cluster whose seeds are down is not one to develop against).
 */
export async function pingRedisTarget(url: string, timeoutMs = 2000): Promise<void> {
  let target: RedisTarget;
  try {
    target = parseRedisUrl(url);
  } catch (err) {
    throw new Error(`invalid Redis URL: ${(err as Error).message}`);
  }
  if (target.kind === 'single') return pingRedis(target.url, timeoutMs);
  const auth =
    target.password === undefined
      ? ''
      : `${encodeURIComponent(target.username ?? '')}:${encodeURIComponent(target.password)}@`;
  await Promise.all(
    target.nodes.map(async ({ host, port }) => {
      const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
      await pingRedis(`${target.tls ? 'rediss' : 'redis'}://${auth}${address}`, timeoutMs).catch(
        (err: Error) => {
          throw new Error(`cluster node ${address}: ${err.message}`);
        },
      );
    }),
  );
}

/** Looks `name` up on PATH like a shell would. */
export function findExecutable(name: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathEnv.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here, keep looking
    }
  }
  return undefined;
}

export type RedisInstallPlan = 'apt-get' | 'manual';

/** Installing system packages ourselves is only OK where it cannot prompt for a password: as root. */
export function planRedisInstall(isRoot: boolean, hasAptGet: boolean): RedisInstallPlan {
  return isRoot && hasAptGet ? 'apt-get' : 'manual';
}

export const REDIS_INSTALL_HINT =
  'redis-server is not on PATH. Install it (Debian/Ubuntu: sudo apt-get install -y redis-server; ' +
  'macOS: brew install redis) or set REDIS_URL to a running Redis.';

export interface EnsureRedisOptions {
  /** An existing Redis (e.g. REDIS_URL): used as is, must answer PING. */
  url?: string;
  /** Port for the redis-server we start; default: a free one. */
  port?: number;
  /** Where our redis-server runs; default: a temp dir removed again on stop(). */
  dataDir?: string;
  log?: StackLogger;
  /** Default 15 s. */
  readyTimeoutMs?: number;
}

export interface RedisHandle {
  /** "redis://127.0.0.1:PORT", or the given url. */
  url: string;
  /** Set only when we started redis-server. */
  pid?: number;
  stop(): Promise<void>;
}

/** Uses the Redis at `url`, or starts a private, non-persistent redis-server on loopback. */
export async function ensureRedis(options: EnsureRedisOptions = {}): Promise<RedisHandle> {
  const log = options.log ?? stderrLogger;
  if (options.url !== undefined) {
    try {
      await pingRedisTarget(options.url);
    } catch (err) {
      throw new Error(
        `Redis at ${redactRedisUrl(options.url)} (REDIS_URL) is not reachable: ${(err as Error).message}. ` +
          'Start it, or unset REDIS_URL to let the local stack run its own redis-server.',
      );
    }
    log.info(`using existing Redis at ${redactRedisUrl(options.url)}`);
    return { url: options.url, stop: async () => {} };
  }

  const startedAt = performance.now();
  const ownsDir = options.dataDir === undefined;
  const baseDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'mirrorwatch-redis-')));
  const dir = join(baseDir, 'redis');
  await mkdir(dir, { recursive: true });
  const logFile = join(dir, 'redis.log');

  const redisServer = await redisExecutable('redis-server', dir, log);
  const port = options.port ?? (await pickFreePort());
  const url = `redis://${LOOPBACK}:${port}`;
  const proc = await spawnManaged({
    name: 'redis-server',
    command: redisServer,
    // A throwaway cache for dev and tests: no RDB snapshots, no AOF, loopback only.
    args: ['--save', '', '--appendonly', 'no', '--bind', LOOPBACK, '--port', String(port), '--dir', dir],
    cwd: dir,
    logFile,
  });

  const stop = async () => {
    await proc.stop(STOP_GRACE_MS);
    if (ownsDir) await rm(baseDir, { recursive: true, force: true });
  };

  try {
    await waitForRedis(proc, url, logFile, options.readyTimeoutMs ?? 15_000);
  } catch (err) {
    await stop();
    throw err;
  }
  log.info(`redis-server ready on ${url} in ${elapsedSince(startedAt)} (pid ${proc.pid})`);
  return { url, pid: proc.pid, stop };
}

/**
 * PING alone is not proof: if another Redis grabbed the port first, it would answer while ours fails
 * to bind. Our own log saying it is ready is, and PING then confirms it is serving.
 */
export async function waitForRedis(
  proc: ManagedProcess,
  url: string,
  logFile: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const ready = watchLogFor(logFile, REDIS_READY_MESSAGE);
  for (;;) {
    const exit = proc.exitInfo();
    let failure: string | undefined;
    if (exit !== undefined) {
      failure = `redis-server exited during startup (${describeExit(exit)})`;
    } else if (
      (await ready()) &&
      (await pingRedis(url, 500).then(
        () => true,
        () => false,
      ))
    ) {
      return;
    } else if (performance.now() > deadline) {
      failure = `redis-server did not become ready on ${url} within ${timeoutMs} ms`;
    }
    if (failure !== undefined)
      throw new Error(`${failure}; ${logFile} (tail):\n${await tailFile(logFile, 20)}`);
    await sleep(50);
  }
}

/** `redis-server` or `redis-cli` from PATH, installing Debian's redis-server (which brings both) when root. */
export async function redisExecutable(
  name: 'redis-server' | 'redis-cli',
  logDir: string,
  log: StackLogger,
): Promise<string> {
  const found = findExecutable(name);
  if (found !== undefined) return found;
  await installRedis(logDir, log);
  const installed = findExecutable(name) ?? findExecutable(name, '/usr/bin:/usr/sbin');
  if (installed === undefined) throw new Error(`${name} is still not on PATH after installing redis-server`);
  return installed;
}

async function installRedis(logDir: string, log: StackLogger): Promise<string> {
  const isRoot = process.getuid?.() === 0;
  if (planRedisInstall(isRoot, findExecutable('apt-get') !== undefined) === 'manual') {
    throw new Error(REDIS_INSTALL_HINT);
  }
  log.info('redis-server not found; installing it with apt-get (running as root, first run only)…');
  const startedAt = performance.now();
  const logFile = join(logDir, 'apt-get.log');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await runToCompletion({
    what: 'apt-get update',
    name: 'apt-get',
    command: 'apt-get',
    args: ['update'],
    logFile,
    env,
  });
  await runToCompletion({
    what: 'apt-get install redis-server',
    name: 'apt-get',
    command: 'apt-get',
    args: ['install', '-y', '--no-install-recommends', 'redis-server'],
    logFile,
    env,
  });
  const installed = findExecutable('redis-server') ?? findExecutable('redis-server', '/usr/bin:/usr/sbin');
  if (installed === undefined)
    throw new Error(`apt-get installed redis-server but it is still not found (see ${logFile})`);
  log.info(`installed redis-server in ${elapsedSince(startedAt)}`);
  return installed;
}
