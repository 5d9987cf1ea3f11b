import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { checkKafkaBrokers, startKafka } from './kafka.js';
import type { StackLogger } from './log.js';
import { canConnect, parseHostPort, pickFreePort } from './ports.js';
import { isProcessAlive } from './process.js';
import { pingRedis } from './redis.js';
import { type RunningStack, stackOptionsFromEnv, startStack } from './stack.js';

const quiet: StackLogger = { info: () => {}, warn: () => {} };

/** One request/response over a raw socket, framed as Kafka does: int32 size, then header + body. */
function kafkaRequest(
  host: string,
  port: number,
  request: { apiKey: number; apiVersion: number; correlationId: number; body?: Buffer },
): Promise<Buffer> {
  const clientId = Buffer.from('local-stack-test');
  const header = Buffer.alloc(2 + 2 + 4 + 2);
  header.writeInt16BE(request.apiKey, 0);
  header.writeInt16BE(request.apiVersion, 2);
  header.writeInt32BE(request.correlationId, 4);
  header.writeInt16BE(clientId.length, 8);
  const payload = Buffer.concat([header, clientId, request.body ?? Buffer.alloc(0)]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length);

  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let received = Buffer.alloc(0);
    socket.setTimeout(10_000, () => socket.destroy(new Error('Kafka request timed out')));
    socket.once('error', reject);
    socket.once('connect', () => socket.write(Buffer.concat([size, payload])));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < 4 + received.readInt32BE(0)) return;
      socket.end();
      resolve(received.subarray(4, 4 + received.readInt32BE(0)));
    });
  });
}

/** ApiVersions v0 (key 18): proves a real broker is speaking the Kafka protocol. */
async function apiVersions(host: string, port: number, correlationId: number) {
  const response = await kafkaRequest(host, port, { apiKey: 18, apiVersion: 0, correlationId });
  const count = response.readInt32BE(6);
  return {
    correlationId: response.readInt32BE(0),
    errorCode: response.readInt16BE(4),
    apiKeys: Array.from({ length: count }, (_, i) => response.readInt16BE(10 + i * 6)),
  };
}

/**
 * FindCoordinator v0 (key 10) until the group coordinator answers: it only comes up once
 * __consumer_offsets exists, which a single node cannot create with the default replication factors.
 */
async function waitForGroupCoordinator(host: string, port: number, timeoutMs: number): Promise<number> {
  const groupId = Buffer.from('local-stack-test-group');
  const body = Buffer.alloc(2 + groupId.length);
  body.writeInt16BE(groupId.length, 0);
  groupId.copy(body, 2);
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    const response = await kafkaRequest(host, port, {
      apiKey: 10,
      apiVersion: 0,
      correlationId: attempt,
      body,
    });
    const errorCode = response.readInt16BE(4);
    if (errorCode === 0) return response.readInt32BE(6);
    // 15 = COORDINATOR_NOT_AVAILABLE, expected while __consumer_offsets is being created.
    if (errorCode !== 15 || Date.now() > deadline) throw new Error(`FindCoordinator error code ${errorCode}`);
    await sleep(100);
  }
}

/** Pids of every process whose command line mentions `needle` (Linux /proc). */
function processesMentioning(needle: string): number[] {
  if (!existsSync('/proc')) return [];
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('startStack (real Kafka and Redis)', () => {
  it('starts a broker that speaks Kafka and a Redis that answers PING, then leaves nothing behind', async () => {
    const lines: string[] = [];
    const log: StackLogger = { info: (m) => lines.push(m), warn: (m) => lines.push(`WARN ${m}`) };
    let stack: RunningStack | undefined;
    try {
      stack = await startStack({ log });
      expect(stack.kafkaBrokers).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(stack.redisUrl).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
      expect(stack.pids).toHaveLength(2);
      expect(lines.some((l) => /^Kafka 3\.9\.\d+ ready on .* in /.test(l))).toBe(true);
      expect(lines.some((l) => /^redis-server ready on .* in /.test(l))).toBe(true);

      const kafka = parseHostPort(stack.kafkaBrokers);
      const response = await apiVersions(kafka.host, kafka.port, 4242);
      expect(response.correlationId).toBe(4242);
      expect(response.errorCode).toBe(0);
      expect(response.apiKeys).toContain(18);
      expect(await waitForGroupCoordinator(kafka.host, kafka.port, 30_000)).toBe(1);

      await pingRedis(stack.redisUrl);
    } finally {
      await stack?.stop();
    }

    await stack.stop(); // idempotent
    for (const pid of stack.pids) {
      expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    }
    const kafka = parseHostPort(stack.kafkaBrokers);
    expect(await canConnect(kafka.host, kafka.port)).toBe(false);
    expect(await canConnect('127.0.0.1', Number(new URL(stack.redisUrl).port))).toBe(false);
    expect(existsSync(stack.dataDir)).toBe(false);
    expect(processesMentioning(stack.dataDir)).toEqual([]);
  }, 600_000);

  it('fails with a clear error for an unreachable REDIS_URL, and stops the Kafka it had started', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mirrorwatch-stack-test-'));
    try {
      const url = `redis://127.0.0.1:${await pickFreePort()}`;
      const error = await startStack({ dataDir, redisUrl: url, log: quiet }).catch((err: Error) => err);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(
        new RegExp(`Redis at ${url} \\(REDIS_URL\\) is not reachable`),
      );
      // Kafka started concurrently; a failed start must not leave it running.
      expect(processesMentioning(dataDir)).toEqual([]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 600_000);

  it('reports why Kafka failed to start (root cause from its log) and leaves nothing running', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mirrorwatch-stack-test-'));
    const port = await pickFreePort();
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const error = await startKafka({ dataDir, port, log: quiet }).catch((err: Error) => err);
      expect(error).toBeInstanceOf(Error);
      const message = (error as Error).message;
      expect(message).toMatch(/^Kafka exited during startup \(exit code 1\)/);
      expect(message).toContain(`Socket server failed to bind to 127.0.0.1:${port}: Address already in use`);
      expect(processesMentioning(dataDir)).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 600_000);

  it('fails with a clear error for an unreachable KAFKA_BROKERS', async () => {
    const broker = `127.0.0.1:${await pickFreePort()}`;
    await expect(checkKafkaBrokers(broker, quiet)).rejects.toThrow(
      new RegExp(`Kafka at KAFKA_BROKERS=${broker} is not reachable.*ECONNREFUSED`),
    );
  });

  it('adopts external Kafka and Redis without owning any process', async () => {
    const own = await startStack({ log: quiet });
    try {
      const adopted = await startStack({
        kafkaBrokers: own.kafkaBrokers,
        redisUrl: own.redisUrl,
        log: quiet,
      });
      expect(adopted.pids).toEqual([]);
      expect(adopted.kafkaBrokers).toBe(own.kafkaBrokers);
      expect(adopted.redisUrl).toBe(own.redisUrl);
      await adopted.stop();
      for (const pid of own.pids) expect(isProcessAlive(pid)).toBe(true);
    } finally {
      await own.stop();
    }
  }, 600_000);
});

describe('stackOptionsFromEnv', () => {
  it('reads KAFKA_BROKERS and REDIS_URL, ignoring blanks', () => {
    expect(stackOptionsFromEnv({ KAFKA_BROKERS: ' k:9092 ', REDIS_URL: 'redis://r:6379' })).toEqual({
      kafkaBrokers: 'k:9092',
      redisUrl: 'redis://r:6379',
    });
    expect(stackOptionsFromEnv({ KAFKA_BROKERS: '', REDIS_URL: '  ' })).toEqual({});
  });
});
