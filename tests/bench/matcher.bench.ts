// The matcher's handler on one core against a real Redis holding 100k and 1M banned fingerprints.
//   node --conditions=source --import tsx tests/bench/matcher.bench.ts [--sizes 100000,1000000]
//     [--pool 20000] [--runs 3] [--events 3000] [--chunk 500] [--load-budget 420] [--seed 11]
//
// 1. A pool of realistic fingerprints: a simulated scenario (@mirrorwatch/simulation) in which half
//    the accounts are banned, fingerprinted by the engine. The banned index is bulk-loaded with
//    copies of the pool's bans under fresh account ids (RedisCandidateIndex.upsertMany, batches of
//    5,000). A copy keeps every signal but salts its *rare* blocking keys (held by ≤ 20 accounts of
//    the pool: one group's link, phone, name) so each copy is a group population of its own, while
//    common keys (shared words, popular links, NAT ranges) stay shared and become over-full as a
//    real index of that size would. Copy 0 is the pool itself.
// 2. bulkLoadPerSec: fingerprints per second of upsertMany (building the items is not timed);
//    bytesPerFingerprint: Redis INFO used_memory after the load minus before, ÷ fingerprints.
// 3. At each size, the worker's handler (createWorker(...).handleEvents from services/matcher, the
//    product's Redis stores, a producer that drops matches) over the scenario's new and changed
//    accounts under fresh ids, in chunks as the consumer hands them over. Events per CPU-second of
//    this process (process.cpuUsage: user + system, GC included) and per wall-clock second;
//    Redis commands per event: client-issued (counted at the client) and every call Redis ran
//    (INFO commandstats delta, which also counts the calls inside Lua scripts); Redis CPU per event.
//    Median of --runs runs of --events events after a warm-up. One more run at the largest size
//    under V8's sampling profiler says where the process's CPU goes (not counted in the figures).
// A size whose load would not fit the machine's free memory, or would take the load past
// --load-budget seconds at the rate measured so far, is skipped and reported with the projection.
// Prints a JSON line last. Starts its own redis-server and stops it.

import { freemem } from 'node:os';
import {
  type BannedFingerprint,
  createDefaultRegistry,
  defaultModel,
  fingerprintEvent,
} from '@mirrorwatch/engine';
import { createPseudonymizer, toAccountEventMessage } from '@mirrorwatch/identifiers';
import type { ReceivedMessage, TypedProducer } from '@mirrorwatch/kafka';
import { ensureRedis } from '@mirrorwatch/local-stack';
import { createLogger } from '@mirrorwatch/logger';
import { createRedisStores } from '@mirrorwatch/matcher/app';
import { loadMatcherConfig } from '@mirrorwatch/matcher/config';
import { closeRedis, createRedisClient, type Redis } from '@mirrorwatch/redis';
import { RedisCandidateIndex } from '@mirrorwatch/redis-index';
import type { AccountEventMessage } from '@mirrorwatch/schemas';
import { simulate } from '@mirrorwatch/simulation';
// The worker and its metrics are not among the matcher's exports; the bench drives them directly.
import { createMatcherMetrics } from '../../services/matcher/src/metrics.js';
import { createWorker } from '../../services/matcher/src/worker.js';
import { argument, median, say as sayAs } from './common.js';
import { type CpuArea, profileCpu } from './profile.js';

const sizes = argument('sizes', '100000,1000000').split(',').map(Number);
const poolAccounts = Number(argument('pool', '20000'));
const runs = Number(argument('runs', '3'));
const eventsPerRun = Number(argument('events', '3000'));
const chunkSize = Number(argument('chunk', '500'));
const loadBudgetSeconds = Number(argument('load-budget', '420'));
const seed = Number(argument('seed', '11'));
const LOAD_BATCH = 5000;
/** A blocking key held by more pool accounts than this is common: shared by every copy. */
const RARE_AT_MOST = 20;
const say = (line: string) => sayAs('matcher', line);

const logger = createLogger({ name: 'bench', level: 'warn' });
const redisHandle = await ensureRedis({ log: { info: (line) => say(line), warn: (line) => say(line) } });
const redis = createRedisClient({ url: redisHandle.url, keyPrefix: 'bench:', logger });
const admin = createRedisClient({ url: redisHandle.url, keyPrefix: '', logger });

/** INFO fields as numbers, and commandstats as calls per command. */
async function snapshot(client: Redis) {
  const parse = (text: string) =>
    new Map(
      text
        .split('\r\n')
        .filter((line) => line.includes(':') && !line.startsWith('#'))
        .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]),
    );
  const [memory, cpu, stats, commandstats] = await Promise.all([
    client.info('memory'),
    client.info('cpu'),
    client.info('stats'),
    client.info('commandstats'),
  ]);
  const calls = new Map<string, number>();
  for (const [name, value] of parse(commandstats)) {
    const command = name.replace(/^cmdstat_/, '');
    if (command === 'info') continue; // the bench's own
    calls.set(command, Number(/calls=(\d+)/.exec(value)?.[1] ?? 0));
  }
  const fields = new Map([...parse(memory), ...parse(cpu), ...parse(stats)]);
  return {
    usedMemory: Number(fields.get('used_memory')),
    netInputBytes: Number(fields.get('total_net_input_bytes')),
    netOutputBytes: Number(fields.get('total_net_output_bytes')),
    cpuSeconds: Number(fields.get('used_cpu_user')) + Number(fields.get('used_cpu_sys')),
    calls,
  };
}

/** Counts every command the client sends, pipelined ones included. */
function countCommands(client: Redis) {
  const counts = new Map<string, number>();
  const original = client.sendCommand.bind(client);
  client.sendCommand = ((command: Parameters<Redis['sendCommand']>[0], ...rest: unknown[]) => {
    counts.set(command.name, (counts.get(command.name) ?? 0) + 1);
    return (original as (...args: unknown[]) => ReturnType<Redis['sendCommand']>)(command, ...rest);
  }) as Redis['sendCommand'];
  return {
    reset: () => counts.clear(),
    total: () => [...counts.values()].reduce((sum, n) => sum + n, 0),
    byCommand: () => Object.fromEntries(counts),
  };
}

try {
  await redis.connect();
  await admin.connect();
  const config = loadMatcherConfig({
    MIRRORWATCH_MODE: 'development',
    KAFKA_BROKERS: '127.0.0.1:9',
    REDIS_URL: redisHandle.url,
    REDIS_KEY_PREFIX: 'bench:',
  });
  const stores = createRedisStores(redis, config);
  const banned = new RedisCandidateIndex<BannedFingerprint>({
    redis,
    namespace: 'banned',
    maxBucketSize: config.INDEX_MAX_BUCKET_SIZE,
  });
  const registry = createDefaultRegistry();
  const pseudonymizer = createPseudonymizer({ pepper: 'bench-pepper-0123456789abcdefghij' });

  // 1. The pool.
  let started = performance.now();
  const scenario = simulate({ seed, accounts: poolAccounts, bannedShare: 0.5, mirrorShare: 0.25 });
  const messages = scenario.events.map(({ platform, event }) =>
    toAccountEventMessage(event, platform, new Date(event.occurredAt), pseudonymizer),
  );
  const pool: { entry: BannedFingerprint; keys: string[]; shared: string[] }[] = [];
  for (const message of messages) {
    if (message.type !== 'account.banned' || !message.ban) continue;
    const fingerprint = fingerprintEvent(message, registry);
    pool.push({
      entry: { ...fingerprint, entity: message.ban.entity, bannedAt: fingerprint.observedAt },
      keys: [...new Set(registry.blockingKeys(fingerprint.signals))],
      shared: registry.sharedKeys(fingerprint.signals),
    });
  }
  const stream = messages.filter(
    (message) => message.type === 'account.created' || message.type === 'account.updated',
  );
  const holders = new Map<string, number>();
  for (const { keys } of pool) for (const key of keys) holders.set(key, (holders.get(key) ?? 0) + 1);
  const rare = new Set([...holders].filter(([, count]) => count <= RARE_AT_MOST).map(([key]) => key));
  const recordBytes =
    pool.reduce((sum, { entry, keys }) => sum + Buffer.byteLength(JSON.stringify({ k: keys, e: entry })), 0) /
    pool.length;
  const keysPerFingerprint = pool.reduce((sum, { keys }) => sum + keys.length, 0) / pool.length;
  say(
    `pool: ${pool.length} banned fingerprints (${keysPerFingerprint.toFixed(1)} blocking keys each, ` +
      `${((100 * rare.size) / holders.size).toFixed(0)}% of distinct keys rare), ${stream.length} stream events, ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  // What the indexer would have counted for the pool's bans (scoring reads these shares).
  await stores.frequencies.observeMany(pool.map(({ shared }) => shared));

  const copyOf = (copy: number, { entry, keys }: (typeof pool)[number]) => {
    if (copy === 0) return { entry, keys };
    const accountId = `${entry.accountId}~${copy}`;
    return {
      entry: { ...entry, accountId, account: `${entry.platform}:${accountId}` },
      keys: keys.map((key) => (rare.has(key) ? `${key}~${copy}` : key)),
    };
  };

  const commands = countCommands(redis);
  const worker = createWorker({
    stores,
    registry,
    model: defaultModel(),
    producer: { connect: async () => {}, disconnect: async () => {}, send: async () => {} } as TypedProducer,
    metrics: createMatcherMetrics(),
    candidateLimit: config.MATCHER_CANDIDATE_LIMIT,
    recentWindowMs: config.RECENT_WINDOW_HOURS * 3_600_000,
  });
  const context = { log: logger, heartbeat: async () => {} };

  /** The stream under fresh account and event ids, as the consumer would hand it over. */
  const freshStream = (tag: string, count = stream.length): ReceivedMessage<'accountEvents'>[] =>
    stream.slice(0, count).map((message, offset) => {
      const value: AccountEventMessage = {
        ...message,
        eventId: `${message.eventId}~${tag}`,
        receivedAt: new Date().toISOString(),
        account: { ...message.account, id: `${message.account.id}~${tag}` },
      };
      return {
        value,
        key: `${value.platform}:${value.account.id}`,
        partition: 0,
        offset: String(offset),
        timestamp: Date.now(),
      };
    });

  async function matcherRun(tag: string, count = eventsPerRun) {
    const events = freshStream(tag, count);
    const before = await snapshot(admin);
    commands.reset();
    const cpu = process.cpuUsage();
    const wallStarted = performance.now();
    for (let at = 0; at < events.length; at += chunkSize)
      await worker.handleEvents(events.slice(at, at + chunkSize), context);
    const wallSeconds = (performance.now() - wallStarted) / 1000;
    const { user, system } = process.cpuUsage(cpu);
    const after = await snapshot(admin);
    const clientCommands = commands.total();
    let serverCalls = 0;
    const callsByCommand: Record<string, number> = {};
    for (const [command, calls] of after.calls) {
      const delta = calls - (before.calls.get(command) ?? 0);
      if (delta > 0) callsByCommand[command] = delta;
      serverCalls += delta;
    }
    return {
      events: events.length,
      perCpuSecond: events.length / ((user + system) / 1e6),
      perWallSecond: events.length / wallSeconds,
      clientCommandsPerEvent: clientCommands / events.length,
      serverCallsPerEvent: serverCalls / events.length,
      redisCpuMicrosPerEvent: ((after.cpuSeconds - before.cpuSeconds) * 1e6) / events.length,
      // The bench's INFO calls are counted too: a few kB per run, nothing per event.
      redisBytesInPerEvent: (after.netInputBytes - before.netInputBytes) / events.length,
      redisBytesOutPerEvent: (after.netOutputBytes - before.netOutputBytes) / events.length,
      clientCommands: commands.byCommand(),
      serverCalls: callsByCommand,
    };
  }

  // 2. Load, size by size, measuring the matcher at each.
  const baseline = await snapshot(admin);
  let loaded = 0;
  let loadSeconds = 0;
  let copy = 0;
  let cursor = 0;
  const results: Record<string, unknown>[] = [];
  let warmedUp = false;
  for (const size of sizes) {
    if (loaded > 0) {
      const perFingerprint = ((await snapshot(admin)).usedMemory - baseline.usedMemory) / loaded;
      const projected = perFingerprint * (size - loaded);
      const projectedSeconds = (size - loaded) / (loaded / loadSeconds);
      if (loadSeconds + projectedSeconds > loadBudgetSeconds) {
        say(
          `skipping ${size}: loading it would take about ${projectedSeconds.toFixed(0)} s more at the rate so far`,
        );
        results.push({
          banned: size,
          skipped: `loading would take about ${Math.round(projectedSeconds / 60)} min more at ${Math.round(loaded / loadSeconds)} fingerprints/s (budget ${loadBudgetSeconds} s)`,
          projectedBytes: Math.round(perFingerprint * size),
        });
        continue;
      }
      if (projected > 0.6 * freemem()) {
        say(
          `skipping ${size}: about ${(projected / 2 ** 30).toFixed(1)} GiB more Redis memory, ` +
            `${(freemem() / 2 ** 30).toFixed(1)} GiB free`,
        );
        results.push({ banned: size, skipped: `needs about ${(projected / 2 ** 30).toFixed(1)} GiB more` });
        continue;
      }
    }
    started = performance.now();
    const loadCpu = process.cpuUsage();
    const loadRedis = await snapshot(admin);
    const loadSecondsBefore = loadSeconds;
    while (loaded < size) {
      const batch: { entry: BannedFingerprint; keys: string[] }[] = [];
      while (batch.length < Math.min(LOAD_BATCH, size - loaded)) {
        batch.push(copyOf(copy, pool[cursor] as (typeof pool)[number]));
        cursor += 1;
        if (cursor === pool.length) {
          cursor = 0;
          copy += 1;
        }
      }
      const batchStarted = performance.now();
      await banned.upsertMany(batch);
      loadSeconds += (performance.now() - batchStarted) / 1000;
      loaded += batch.length;
    }
    const memory = await snapshot(admin);
    const { user: loadUser, system: loadSystem } = process.cpuUsage(loadCpu);
    const loadCpuSplit = {
      nodeCpuSeconds: Number(((loadUser + loadSystem) / 1e6).toFixed(1)),
      redisCpuSeconds: Number((memory.cpuSeconds - loadRedis.cpuSeconds).toFixed(1)),
      upsertSeconds: Number((loadSeconds - loadSecondsBefore).toFixed(1)),
    };
    const bytesPerFingerprint = (memory.usedMemory - baseline.usedMemory) / loaded;
    say(
      `${loaded} banned indexed: ${(loaded / loadSeconds).toFixed(0)} fingerprints/s in upsertMany ` +
        `(${((performance.now() - started) / 1000).toFixed(1)} s with building the items), ` +
        `${bytesPerFingerprint.toFixed(0)} bytes each; CPU ${loadCpuSplit.nodeCpuSeconds} s here, ${loadCpuSplit.redisCpuSeconds} s in Redis`,
    );

    if (!warmedUp) {
      await matcherRun('warm-up', Math.min(2000, stream.length));
      warmedUp = true;
    }
    const measured = [];
    for (let run = 0; run < runs; run += 1) {
      const result = await matcherRun(`${size}-${run}`);
      say(
        `  run ${run + 1}: ${result.perCpuSecond.toFixed(0)} events/CPU-s, ${result.perWallSecond.toFixed(0)} events/s wall, ` +
          `${result.clientCommandsPerEvent.toFixed(1)} client commands/event, ${result.serverCallsPerEvent.toFixed(1)} Redis calls/event`,
      );
      measured.push(result);
    }
    const last = measured[measured.length - 1];
    results.push({
      banned: loaded,
      bytesPerFingerprint: Math.round(bytesPerFingerprint),
      bulkLoadPerSec: Math.round(loaded / loadSeconds),
      load: loadCpuSplit,
      eventsPerSecPerCore: Math.round(median(measured.map((r) => r.perCpuSecond))),
      eventsPerSecWallClock: Math.round(median(measured.map((r) => r.perWallSecond))),
      clientCommandsPerEvent: Number(median(measured.map((r) => r.clientCommandsPerEvent)).toFixed(2)),
      serverCallsPerEvent: Number(median(measured.map((r) => r.serverCallsPerEvent)).toFixed(2)),
      redisCpuMicrosPerEvent: Math.round(median(measured.map((r) => r.redisCpuMicrosPerEvent))),
      redisBytesInPerEvent: Math.round(median(measured.map((r) => r.redisBytesInPerEvent))),
      redisBytesOutPerEvent: Math.round(median(measured.map((r) => r.redisBytesOutPerEvent))),
      runs: measured.map((r) => Math.round(r.perCpuSecond)),
      eventsPerRun: last?.events,
      clientCommands: last?.clientCommands,
      serverCalls: last?.serverCalls,
    });
  }

  let cpuAreas: CpuArea[] = [];
  if (warmedUp) {
    const { areas } = await profileCpu(() => matcherRun('profiled'));
    cpuAreas = areas;
    say(`CPU by area (self time): ${areas.map(({ area, percent }) => `${area} ${percent}%`).join(', ')}`);
  }

  process.stdout.write(
    `${JSON.stringify({
      bench: 'matcher',
      cpuAreas,
      pool: pool.length,
      keysPerFingerprint: Number(keysPerFingerprint.toFixed(1)),
      recordJsonBytes: Math.round(recordBytes),
      chunkSize,
      sizes: results,
    })}\n`,
  );
} finally {
  await closeRedis(redis);
  await closeRedis(admin);
  await redisHandle.stop();
}
