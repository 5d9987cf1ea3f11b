import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { ensureKafkaJars, type KafkaJars } from './jars.js';
import { elapsedSince, type StackLogger, stderrLogger } from './log.js';
import { tailFile, watchLogFor } from './logfile.js';
import { canConnect, LOOPBACK, parseHostPort, pickFreePorts, tryConnect } from './ports.js';
import { describeExit, type ManagedProcess, runToCompletion, spawnManaged } from './process.js';

/** KafkaRaftServer logs this once broker and controller are both up. */
export const KAFKA_STARTED_MESSAGE = 'Kafka Server started';

const STOP_GRACE_MS = 10_000;

export interface KafkaServerConfig {
  brokerPort: number;
  controllerPort: number;
  /** Where Kafka keeps partition data (log.dirs). */
  logDir: string;
  host?: string;
}

/** A KRaft cluster id: 16 random bytes, base64url without padding (22 chars), like `kafka-storage random-uuid`. */
export function generateClusterId(random: (size: number) => Buffer = randomBytes): string {
  // An id starting with '-' reads as an option to kafka-storage's argument parser; Kafka's own
  // Uuid.randomUuid() draws again in that case, and so do we.
  for (;;) {
    const id = random(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** server.properties for a single combined broker+controller node. */
export function renderServerProperties(config: KafkaServerConfig): string {
  const host = config.host ?? LOOPBACK;
  const settings: [string, string | number | boolean][] = [
    ['process.roles', 'broker,controller'],
    ['node.id', 1],
    // A static voter set (kraft.version 0) is why the format step needs no --standalone.
    ['controller.quorum.voters', `1@${host}:${config.controllerPort}`],
    ['listeners', `PLAINTEXT://${host}:${config.brokerPort},CONTROLLER://${host}:${config.controllerPort}`],
    ['advertised.listeners', `PLAINTEXT://${host}:${config.brokerPort}`],
    ['controller.listener.names', 'CONTROLLER'],
    ['inter.broker.listener.name', 'PLAINTEXT'],
    ['listener.security.protocol.map', 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT'],
    ['log.dirs', config.logDir],
    // One node: any replication factor or min.isr above 1 can never be met, and the group coordinator
    // (which needs __consumer_offsets) would never come up.
    ['offsets.topic.replication.factor', 1],
    ['transaction.state.log.replication.factor', 1],
    ['transaction.state.log.min.isr', 1],
    ['default.replication.factor', 1],
    ['min.insync.replicas', 1],
    // 50 partitions each (the default) only slow the first consumer group / transaction down locally.
    ['offsets.topic.num.partitions', 1],
    ['transaction.state.log.num.partitions', 1],
    // Consumers join immediately instead of waiting 3 s for more members: faster tests.
    ['group.initial.rebalance.delay.ms', 0],
    // Topics are created by the app; a typo should fail rather than silently create a topic.
    ['auto.create.topics.enable', false],
    ['num.partitions', 1],
  ];
  return `${settings.map(([key, value]) => `${key}=${escapePropertyValue(String(value))}`).join('\n')}\n`;
}

/** reload4j config: Kafka logs to a file in the data dir, never to our stdout. */
export function renderLog4jProperties(serverLogFile: string): string {
  return [
    'log4j.rootLogger=INFO, file',
    'log4j.appender.file=org.apache.log4j.FileAppender',
    `log4j.appender.file.File=${escapePropertyValue(serverLogFile)}`,
    'log4j.appender.file.Append=true',
    'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
    // Per-request and per-partition chatter that drowns out anything useful.
    'log4j.logger.kafka.request.logger=WARN',
    'log4j.logger.state.change.logger=WARN',
    'log4j.logger.org.apache.kafka.clients=WARN',
    '',
  ].join('\n');
}

function escapePropertyValue(value: string): string {
  return value.replaceAll('\\', '\\\\');
}

function jvmArgs(jars: KafkaJars, log4jFile: string, extra: readonly string[]): string[] {
  return [
    // Same GC tuning as kafka-run-class.sh, with a heap small enough for a laptop or a CI runner.
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:InitiatingHeapOccupancyPercent=35',
    '-XX:+ExplicitGCInvokesConcurrent',
    // A broker that is out of memory is useless; dying makes the failure visible at once.
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j.configuration=${pathToFileURL(log4jFile).href}`,
    ...extra,
    '-cp',
    jars.classpath,
  ];
}

export interface StartKafkaOptions {
  /** Kafka's files (config, data, logs) go into `<dataDir>/kafka`. */
  dataDir: string;
  /** Already resolved jars; otherwise ensureKafkaJars() runs first. */
  jars?: KafkaJars;
  rootDir?: string;
  port?: number;
  controllerPort?: number;
  log?: StackLogger;
  /** Default 90 s. */
  readyTimeoutMs?: number;
}

export interface KafkaHandle {
  /** "127.0.0.1:PORT" */
  brokers: string;
  port: number;
  controllerPort: number;
  pid: number;
  version: string;
  /** Kafka's own log (reload4j), the first place to look when something goes wrong. */
  serverLog: string;
  stop(): Promise<void>;
}

/**
 * Formats a fresh KRaft storage dir and runs a single combined broker+controller node on loopback.
 * Resolves once the broker port accepts connections and Kafka has logged that it started.
 */
export async function startKafka(options: StartKafkaOptions): Promise<KafkaHandle> {
  const log = options.log ?? stderrLogger;
  const jars = options.jars ?? (await ensureKafkaJars({ rootDir: options.rootDir, log }));
  const startedAt = performance.now();

  const dir = join(options.dataDir, 'kafka');
  const logDir = join(dir, 'data');
  await mkdir(logDir, { recursive: true });
  const serverLog = join(dir, 'server.log');
  const stdoutLog = join(dir, 'stdout.log');
  const propsFile = join(dir, 'server.properties');
  const log4jFile = join(dir, 'log4j.properties');

  const [brokerPort, controllerPort] = await resolvePorts(options.port, options.controllerPort);
  await writeFile(propsFile, renderServerProperties({ brokerPort, controllerPort, logDir }));
  await writeFile(log4jFile, renderLog4jProperties(serverLog));

  await runJava(
    'kafka-storage format',
    // A short-lived tool: C1 only and a small heap start it noticeably faster.
    [
      ...jvmArgs(jars, log4jFile, ['-Xmx256m', '-XX:TieredStopAtLevel=1']),
      'kafka.tools.StorageTool',
      'format',
      '--ignore-formatted',
      '-t',
      generateClusterId(),
      '-c',
      propsFile,
    ],
    join(dir, 'format.log'),
  );

  const proc = await spawnJava(
    'kafka',
    [
      // C1 only: a short-lived broker on a small machine spent half its CPU compiling with C2
      // (seen with Java Flight Recorder during the e2e bench), for code it runs only minutes.
      ...jvmArgs(jars, log4jFile, ['-Xms256m', '-Xmx512m', '-XX:TieredStopAtLevel=1']),
      'kafka.Kafka',
      propsFile,
    ],
    stdoutLog,
  );
  try {
    await waitForKafka(proc, serverLog, brokerPort, options.readyTimeoutMs ?? 90_000);
  } catch (err) {
    await proc.stop(STOP_GRACE_MS);
    throw err;
  }
  log.info(
    `Kafka ${jars.version} ready on ${LOOPBACK}:${brokerPort} in ${elapsedSince(startedAt)} (pid ${proc.pid})`,
  );

  return {
    brokers: `${LOOPBACK}:${brokerPort}`,
    port: brokerPort,
    controllerPort,
    pid: proc.pid,
    version: jars.version,
    serverLog,
    stop: () => proc.stop(STOP_GRACE_MS),
  };
}

async function resolvePorts(port?: number, controllerPort?: number): Promise<[number, number]> {
  if (port !== undefined && controllerPort !== undefined) return [port, controllerPort];
  // One spare, so a picked port that happens to equal the caller's can be dropped.
  const free = (await pickFreePorts(3)).filter((p) => p !== port && p !== controllerPort);
  return [port ?? free[0]!, controllerPort ?? free[1]!];
}

async function runJava(what: string, args: string[], logFile: string): Promise<void> {
  try {
    await runToCompletion({ what, name: 'java', command: 'java', args, logFile });
  } catch (err) {
    throw javaMissing(err) ?? err;
  }
}

async function spawnJava(name: string, args: string[], logFile: string): Promise<ManagedProcess> {
  try {
    return await spawnManaged({ name, command: 'java', args, logFile });
  } catch (err) {
    throw javaMissing(err) ?? err;
  }
}

function javaMissing(err: unknown): Error | undefined {
  if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
  return new Error(
    'java is not on PATH; the local Kafka broker needs Java 17+ (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless)',
  );
}

async function waitForKafka(
  proc: ManagedProcess,
  serverLog: string,
  port: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const logSeen = watchLogFor(serverLog, KAFKA_STARTED_MESSAGE);
  for (;;) {
    const exit = proc.exitInfo();
    if (exit !== undefined) {
      throw await kafkaFailure(
        `Kafka exited during startup (${describeExit(exit)})`,
        serverLog,
        proc.logFile,
      );
    }
    if ((await logSeen()) && (await canConnect(LOOPBACK, port, 500))) return;
    if (performance.now() > deadline) {
      throw await kafkaFailure(
        `Kafka did not become ready within ${Math.round(timeoutMs / 1000)} s (waiting for port ${port} and "${KAFKA_STARTED_MESSAGE}")`,
        serverLog,
        proc.logFile,
      );
    }
    await sleep(200);
  }
}

async function kafkaFailure(message: string, serverLog: string, stdoutLog: string): Promise<Error> {
  const parts = [message];
  // The root cause comes first in the log, followed by hundreds of lines of orderly shutdown; a plain
  // tail would show only the shutdown.
  const errors = await firstErrors(serverLog, 5);
  if (errors.length > 0) parts.push(`--- first errors in ${serverLog} ---`, ...errors);
  parts.push(`--- ${serverLog} (tail) ---`, await tailFile(serverLog, 20));
  const stdout = await tailFile(stdoutLog, 15);
  if (stdout !== '(empty)') parts.push(`--- ${stdoutLog} (tail) ---`, stdout);
  return new Error(parts.join('\n'));
}

/** ERROR/FATAL lines of a reload4j log, each with the exception line that follows it. */
async function firstErrors(path: string, max: number): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  const lines = text.split('\n');
  const found: string[] = [];
  for (let i = 0; i < lines.length && found.length < max; i++) {
    if (!/^\[[^\]]+\] (ERROR|FATAL) /.test(lines[i] ?? '')) continue;
    const next = lines[i + 1];
    found.push(
      next !== undefined && !next.startsWith('[') ? `${lines[i]}\n  ${next.trim()}` : (lines[i] ?? ''),
    );
  }
  return found;
}

/**
 * For an externally provided KAFKA_BROKERS: at least one bootstrap broker must accept TCP
 * connections (the client discovers the rest); unreachable ones are only worth a warning.
 */
export async function checkKafkaBrokers(brokers: string, log: StackLogger = stderrLogger): Promise<void> {
  const list = brokers
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  if (list.length === 0) throw new Error(`KAFKA_BROKERS is empty ("${brokers}")`);
  const results = await Promise.all(
    list.map(async (broker) => {
      const { host, port } = parseHostPort(broker, 9092);
      return { broker, error: await tryConnect(host, port, 2000) };
    }),
  );
  const down = results.filter((r) => r.error !== undefined);
  if (down.length === results.length) {
    const reasons = down.map((r) => `${r.broker}: ${r.error?.message}`).join('; ');
    throw new Error(
      `Kafka at KAFKA_BROKERS=${brokers} is not reachable (${reasons}). Start it, or unset KAFKA_BROKERS to let the local stack run its own broker.`,
    );
  }
  for (const r of down) log.warn(`Kafka bootstrap broker ${r.broker} is not reachable: ${r.error?.message}`);
}
