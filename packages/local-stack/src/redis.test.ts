import { mkdtemp, rm } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { StackLogger } from './log.js';
import { canConnect, pickFreePort } from './ports.js';
import { isProcessAlive, spawnManaged } from './process.js';
import {
  ensureRedis,
  findExecutable,
  pingRedis,
  planRedisInstall,
  REDIS_INSTALL_HINT,
  redactRedisUrl,
} from './redis.js';

const quiet: StackLogger = { info: () => {}, warn: () => {} };

describe('ensureRedis with a given url', () => {
  it('fails clearly, naming the URL, when nothing listens there', async () => {
    const port = await pickFreePort();
    const url = `redis://127.0.0.1:${port}`;
    const error = await ensureRedis({ url, log: quiet }).catch((err: Error) => err);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(`Redis at ${url}`);
    expect((error as Error).message).toMatch(/not reachable: .*ECONNREFUSED/);
    expect((error as Error).message).toContain('unset REDIS_URL');
  });

  it('never puts the password into the error', async () => {
    const port = await pickFreePort();
    const error = await ensureRedis({ url: `redis://:hunter2@127.0.0.1:${port}`, log: quiet }).catch(
      (err: Error) => err,
    );
    expect((error as Error).message).toContain(`redis://:***@127.0.0.1:${port}`);
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('rejects other schemes', async () => {
    await expect(pingRedis('http://127.0.0.1:6379')).rejects.toThrow(/unsupported Redis URL scheme/);
  });
});

describe('ensureRedis without a url', () => {
  it('starts a private redis-server and stops it again', async () => {
    const redis = await ensureRedis({ log: quiet });
    expect(redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(redis.pid).toBeTypeOf('number');
    await pingRedis(redis.url);

    // A reachable url is adopted, not owned: stopping it leaves the server alone.
    const adopted = await ensureRedis({ url: redis.url, log: quiet });
    expect(adopted.pid).toBeUndefined();
    await adopted.stop();
    await pingRedis(redis.url);

    await redis.stop();
    await redis.stop(); // idempotent
    expect(isProcessAlive(redis.pid!)).toBe(false);
    expect(await canConnect('127.0.0.1', Number(new URL(redis.url).port))).toBe(false);
  });
});

describe('ensureRedis when the port is taken', () => {
  it('does not mistake whoever answers PING there for its own redis-server', async () => {
    const impostor = createServer((socket) => socket.on('data', () => socket.write('+PONG\r\n')));
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    const { port } = impostor.address() as AddressInfo;
    try {
      const error = await ensureRedis({ port, log: quiet }).catch((err: Error) => err);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/^redis-server exited during startup \(exit code 1\)/);
      expect((error as Error).message).toMatch(/Address already in use/);
    } finally {
      await new Promise<void>((resolve) => impostor.close(() => resolve()));
    }
  });
});

describe('pingRedis', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('authenticates with the password from the URL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mirrorwatch-redis-auth-'));
    dirs.push(dir);
    const port = await pickFreePort();
    const server = await spawnManaged({
      name: 'redis-server',
      command: 'redis-server',
      args: [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--requirepass',
        's3cret',
        '--dir',
        dir,
      ],
      logFile: join(dir, 'redis.log'),
    });
    try {
      const url = `redis://:s3cret@127.0.0.1:${port}`;
      for (let i = 0; i < 100 && !(await canConnect('127.0.0.1', port)); i++) await sleep(20);
      await pingRedis(url);
      await expect(pingRedis(`redis://127.0.0.1:${port}`)).rejects.toThrow(/NOAUTH/);
      await expect(pingRedis(`redis://:wrong@127.0.0.1:${port}`)).rejects.toThrow(
        /WRONGPASS|invalid password/,
      );
    } finally {
      await server.stop(5000);
    }
  });
});

describe('installing redis-server', () => {
  it('only uses apt-get as root', () => {
    expect(planRedisInstall(true, true)).toBe('apt-get');
    expect(planRedisInstall(false, true)).toBe('manual');
    expect(planRedisInstall(true, false)).toBe('manual');
    expect(REDIS_INSTALL_HINT).toMatch(/apt-get install -y redis-server/);
  });

  it('finds executables on PATH', () => {
    expect(findExecutable('sh')).toMatch(/\/sh$/);
    expect(findExecutable('sh', '/nonexistent-dir')).toBeUndefined();
    expect(findExecutable('definitely-not-a-command-7f3a')).toBeUndefined();
  });
});

describe('redactRedisUrl', () => {
  it('masks only the password', () => {
    expect(redactRedisUrl('redis://user:pw@host:6379/2')).toBe('redis://user:***@host:6379/2');
    expect(redactRedisUrl('redis://host:6379')).toBe('redis://host:6379');
  });
});
