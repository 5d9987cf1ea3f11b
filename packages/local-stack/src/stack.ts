import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureKafkaJars } from './jars.js';
import { checkKafkaBrokers, startKafka } from './kafka.js';
import { elapsedSince, type StackLogger, stderrLogger } from './log.js';
import { pickFreePorts } from './ports.js';
import { ensureRedis } from './redis.js';
import { startRedisCluster } from './redis-cluster.js';
import { findRepoRoot } from './root.js';

export interface StartStackOptions {
  /** Repo root; default: found by walking up from this file to the dir with turbo.json. */
  rootDir?: string;
  /** Default: a fresh mkdtemp under os.tmpdir() ('mirrorwatch-stack-'), removed again on stop(). */
  dataDir?: string;
  /** When set (e.g. from KAFKA_BROKERS), use it and start no Kafka. */
  kafkaBrokers?: string;
  /** When set (e.g. from REDIS_URL), use it and start no Redis. */
  redisUrl?: string;
  kafkaPort?: number;
  kafkaControllerPort?: number;
  redisPort?: number;
  /** Also start a local three-master Redis Cluster (`redisClusterUrl` of the running stack). */
  redisCluster?: boolean;
  /** With `redisCluster`: use this cluster (`redis+cluster://…`) and start none. */
  redisClusterUrl?: string;
  /** Default: '[stack] ...' lines on stderr. */
  log?: StackLogger;
}

export interface RunningStack {
  /** "127.0.0.1:PORT" */
  kafkaBrokers: string;
  /** "redis://127.0.0.1:PORT" */
  redisUrl: string;
  /** "redis+cluster://127.0.0.1:P1,…", when asked for with `redisCluster`. */
  redisClusterUrl?: string;
  /** Processes this stack started (empty when it reused external ones). */
  pids: number[];
  dataDir: string;
  /** Stops whatever this stack started; idempotent. */
  stop(): Promise<void>;
}

interface Service {
  address: string;
  pids: number[];
  stop(): Promise<void>;
}

/** KAFKA_BROKERS / REDIS_URL from the environment, ignoring empty values. */
export function stackOptionsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): Pick<StartStackOptions, 'kafkaBrokers' | 'redisUrl'> {
  const options: Pick<StartStackOptions, 'kafkaBrokers' | 'redisUrl'> = {};
  if (env.KAFKA_BROKERS?.trim()) options.kafkaBrokers = env.KAFKA_BROKERS.trim();
  if (env.REDIS_URL?.trim()) options.redisUrl = env.REDIS_URL.trim();
  return options;
}

/**
 * Starts (or adopts) Kafka and Redis, and a Redis Cluster when asked, concurrently. If either fails, whatever did start is stopped
 * before the error is thrown, so a failed start leaves no process behind.
 */
export async function startStack(options: StartStackOptions = {}): Promise<RunningStack> {
  const log = options.log ?? stderrLogger;
  const startedAt = performance.now();
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'mirrorwatch-stack-')));
  await mkdir(dataDir, { recursive: true });

  // Pick every port we need in one go so Kafka and Redis, starting concurrently, cannot collide.
  const wanted = {
    kafka: options.kafkaBrokers === undefined && options.kafkaPort === undefined,
    controller: options.kafkaBrokers === undefined && options.kafkaControllerPort === undefined,
    redis: options.redisUrl === undefined && options.redisPort === undefined,
  };
  const free = await pickFreePorts(Object.values(wanted).filter(Boolean).length);
  const take = (needed: boolean, given: number | undefined) => (needed ? free.shift() : given);
  const kafkaPort = take(wanted.kafka, options.kafkaPort);
  const controllerPort = take(wanted.controller, options.kafkaControllerPort);
  const redisPort = take(wanted.redis, options.redisPort);

  const kafka = async (): Promise<Service> => {
    if (options.kafkaBrokers !== undefined) {
      await checkKafkaBrokers(options.kafkaBrokers, log);
      log.info(`using existing Kafka at ${options.kafkaBrokers}`);
      return { address: options.kafkaBrokers, pids: [], stop: async () => {} };
    }
    const jars = await ensureKafkaJars({ rootDir: options.rootDir ?? findRepoRoot(), log });
    const handle = await startKafka({ dataDir, jars, port: kafkaPort, controllerPort, log });
    return { address: handle.brokers, pids: [handle.pid], stop: handle.stop };
  };
  const redis = async (): Promise<Service> => {
    const handle = await ensureRedis({ url: options.redisUrl, port: redisPort, dataDir, log });
    return { address: handle.url, pids: handle.pid === undefined ? [] : [handle.pid], stop: handle.stop };
  };
  const redisCluster = async (): Promise<Service> => {
    const handle = await startRedisCluster({ url: options.redisClusterUrl, dataDir, log });
    return { address: handle.url, pids: handle.pids, stop: handle.stop };
  };

  const services = [
    { what: 'kafka', start: kafka },
    { what: 'redis', start: redis },
    ...(options.redisCluster ? [{ what: 'redis cluster', start: redisCluster }] : []),
  ];
  const results = await Promise.allSettled(services.map((service) => service.start()));
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failures = results.flatMap((r, i) =>
    r.status === 'rejected' ? [{ what: services[i]?.what ?? '?', error: r.reason as Error }] : [],
  );
  if (failures.length > 0) {
    await Promise.allSettled(started.map((s) => s.stop()));
    // Keep our temp dir only when an error message points at a log inside it.
    if (ownsDataDir && !failures.some((f) => f.error.message.includes(dataDir))) {
      await rm(dataDir, { recursive: true, force: true });
    }
    const [first] = failures;
    if (failures.length === 1 && first !== undefined) throw first.error;
    throw new Error(
      `local stack failed to start:\n${failures.map((f) => `[${f.what}] ${f.error.message}`).join('\n')}`,
      { cause: first?.error },
    );
  }
  const [kafkaService, redisService, clusterService] = started as [Service, Service, Service | undefined];
  log.info(
    `stack ready in ${elapsedSince(startedAt)}: Kafka ${kafkaService.address}, Redis ${redisService.address}` +
      (clusterService ? `, Redis Cluster ${clusterService.address}` : ''),
  );

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const stopStartedAt = performance.now();
      const outcomes = await Promise.allSettled(started.map((s) => s.stop()));
      const errors = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as Error] : []));
      // Only a data dir we created is ours to delete, and only once its processes are gone.
      if (ownsDataDir && errors.length === 0) await rm(dataDir, { recursive: true, force: true });
      if (errors.length > 0) throw new AggregateError(errors, 'stopping the local stack failed');
      if (started.some((s) => s.pids.length > 0)) {
        log.info(`stack stopped in ${elapsedSince(stopStartedAt)}`);
      }
    })();
    return stopping;
  };

  return {
    kafkaBrokers: kafkaService.address,
    redisUrl: redisService.address,
    ...(clusterService ? { redisClusterUrl: clusterService.address } : {}),
    pids: started.flatMap((s) => s.pids),
    dataDir,
    stop,
  };
}
