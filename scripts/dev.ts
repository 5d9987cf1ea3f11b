// The development stack behind `npm start`: Kafka and Redis (reused from KAFKA_BROKERS / REDIS_URL
// when set), then every service in development mode, each in its own process group. Prints where
// to look once everything reports ready; SIGINT/SIGTERM stops all of it, services first.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  DEV_ADMIN_TOKEN,
  DEV_WEBHOOK_SECRET,
  type ServiceName,
  serviceSourceArgs,
} from '@mirrorwatch/config';
import { consoleIsFresh, ensureConsoleBuilt } from '@mirrorwatch/console/build';
import { type RunningStack, startStack } from '@mirrorwatch/local-stack';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (line: string) => process.stdout.write(`${line}\n`);

interface ServiceSpec {
  name: ServiceName;
  port: number;
  hint: string;
}

const services: ServiceSpec[] = [
  {
    name: 'ingest',
    port: Number(process.env.INGEST_PORT ?? 8080),
    hint: `POST /v1/webhooks/:platform (secret "${DEV_WEBHOOK_SECRET}")`,
  },
  { name: 'matcher', port: Number(process.env.MATCHER_PORT ?? 8081), hint: 'metrics at /metrics' },
  {
    name: 'alerts',
    port: Number(process.env.ALERTS_PORT ?? 8082),
    hint: `GET /v1/alerts, /v1/alerts/stream (token "${DEV_ADMIN_TOKEN}")`,
  },
];

const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;

const started = Date.now();
const children = new Map<string, ChildProcess>();
let stopping: Promise<void> | undefined;

// If this process dies without a clean stop, take the service process groups with it.
process.on('exit', () => {
  for (const child of children.values()) killGroup(child, 'SIGKILL');
});

// Installed before anything starts: a signal that kills us by default would skip 'exit' hooks.
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('disconnect', () => void shutdown(0)); // npm start's wrapper went away

// The moderator console is served from its build; (re)build it beside the stack's start when its
// sources are newer. A failed build leaves the API running; /console/ then says how to build.
if (!consoleIsFresh()) say('building the moderator console (vite)…');
const consoleBuild = ensureConsoleBuilt().then(
  () => true,
  (error: unknown) => {
    say(`console build failed: ${(error as Error).message}`);
    return false;
  },
);

let stack: RunningStack | undefined; // set once started, for shutdown()
const running = await startStack({
  ...(process.env.KAFKA_BROKERS ? { kafkaBrokers: process.env.KAFKA_BROKERS } : {}),
  ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}),
  ...(process.env.KAFKA_PORT ? { kafkaPort: Number(process.env.KAFKA_PORT) } : {}),
});
stack = running;
if (stopping) await stopping;

const env = {
  ...process.env,
  MIRRORWATCH_MODE: 'development',
  KAFKA_BROKERS: running.kafkaBrokers,
  REDIS_URL: running.redisUrl,
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
};

for (const service of services) startService(service);

try {
  await Promise.all(services.map((service) => waitReady(service)));
} catch (error) {
  say(`\n${(error as Error).message}`);
  await shutdown(1);
}

const consoleBuilt = await consoleBuild;
const seconds = ((Date.now() - started) / 1000).toFixed(1);
say('');
say(`Mirrorwatch is running in development mode (ready in ${seconds} s)`);
for (const service of services) {
  say(`  ${service.name.padEnd(8)} http://127.0.0.1:${service.port}  ${service.hint}`);
}
const alertsPort = services.find((service) => service.name === 'alerts')?.port;
say(
  `  console  http://127.0.0.1:${alertsPort}/console/  ${consoleBuilt ? `sign in with "${DEV_ADMIN_TOKEN}"` : 'not built: npm run build -w @mirrorwatch/console'}`,
);
say(`  kafka    ${running.kafkaBrokers}`);
say(`  redis    ${running.redisUrl}`);
say('Press Ctrl-C to stop everything.');

function startService(service: ServiceSpec): void {
  const child = spawn(process.execPath, serviceSourceArgs(service.name, root), {
    cwd: root,
    env: { ...env, PORT: String(service.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.set(service.name, child);
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => say(`${service.name.padEnd(7)} | ${line}`));
  }
  child.on('exit', (code, signal) => {
    children.delete(service.name);
    if (!stopping) {
      say(`${service.name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
      void shutdown(1);
    }
  });
}

async function waitReady(service: ServiceSpec): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const url = `http://127.0.0.1:${service.port}/readyz`;
  while (Date.now() < deadline) {
    if (stopping) throw new Error(`${service.name} stopped before it was ready`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${service.name} was not ready at ${url} within ${READY_TIMEOUT_MS / 1000} s`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function stopService(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function shutdown(code: number): Promise<void> {
  stopping ??= (async () => {
    say('stopping services…');
    await Promise.all([...children.values()].map(stopService));
    if (stack) {
      say('stopping Kafka and Redis…');
      await stack.stop();
    }
    say('stopped');
    process.exit(code);
  })();
  return stopping;
}
