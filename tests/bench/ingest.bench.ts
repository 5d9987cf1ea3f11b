// Ingest's webhook under an HTTP load generator (autocannon), on a fresh local stack (real Kafka,
// real Redis) with ingest in its own process, as production runs it.
//   node --conditions=source --import tsx tests/bench/ingest.bench.ts [--seconds 8] [--runs 3]
//     [--connections 16]
//
// Two shapes: batches of 100 events per request, and one event per request. Every request carries
// new eventIds (ingest dedupes them) and its own signature over a current timestamp, computed in
// autocannon's setupRequest. A 202 means Kafka acknowledged the events. Median of --runs runs after
// a short warm-up; the load generator shares the machine's cores with ingest, Kafka and Redis.
// Prints a JSON line last.

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { signWebhook } from '@mirrorwatch/ingest/signature';
import { startStack } from '@mirrorwatch/local-stack';
import autocannon from 'autocannon';
import { type ServiceProcess, startServiceProcess } from '../support/service-process.js';
import { argument, median, processCpuSeconds, say as sayAs } from './common.js';

const seconds = Number(argument('seconds', '8'));
const runs = Number(argument('runs', '3'));
const connections = Number(argument('connections', '16'));
const say = (line: string) => sayAs('ingest', line);

const run = randomUUID().slice(0, 8);
let counter = 0;
function eventJson(): string {
  counter += 1;
  const id = `${run}-${counter}`;
  return JSON.stringify({
    eventId: `ib-${id}`,
    type: 'account.created',
    occurredAt: new Date().toISOString(),
    account: {
      id: `ib-${id}`,
      handle: `reader_${counter}`,
      displayName: 'Reader',
      bio: `notes ${counter % 97}`,
    },
  });
}

interface Outcome {
  requestsPerSec: number;
  eventsPerSec: number;
  latencyP99Ms: number;
  failures: number;
  /** Cores each process kept busy during the run (CPU seconds ÷ wall seconds). */
  cores: Record<string, number>;
}

/** The processes whose CPU is reported: ingest, and what the stack started (broker, Redis). */
const watched = new Map<string, number>();

async function load(port: number, perRequest: number, duration: number): Promise<Outcome> {
  const before = new Map([...watched].map(([name, pid]) => [name, processCpuSeconds(pid) ?? Number.NaN]));
  const benchBefore = process.cpuUsage();
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration,
    requests: [
      {
        method: 'POST',
        path: '/v1/webhooks/x',
        setupRequest: (request) => {
          const body =
            perRequest === 1
              ? eventJson()
              : `{"events":[${Array.from({ length: perRequest }, eventJson).join(',')}]}`;
          const timestamp = Math.floor(Date.now() / 1000);
          return {
            ...request,
            body,
            headers: {
              'content-type': 'application/json',
              'x-mirrorwatch-timestamp': String(timestamp),
              'x-mirrorwatch-signature': signWebhook('dev-secret', timestamp, body),
            },
          };
        },
      },
    ],
  });
  const accepted = result['2xx'];
  const cores: Record<string, number> = {};
  for (const [name, pid] of watched)
    cores[name] = Number(
      (((processCpuSeconds(pid) ?? Number.NaN) - (before.get(name) ?? 0)) / result.duration).toFixed(2),
    );
  const bench = process.cpuUsage(benchBefore);
  cores['load generator'] = Number(((bench.user + bench.system) / 1e6 / result.duration).toFixed(2));
  return {
    cores,
    requestsPerSec: accepted / result.duration,
    eventsPerSec: (accepted * perRequest) / result.duration,
    latencyP99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

const stack = await startStack({
  ...(process.env.KAFKA_BROKERS ? { kafkaBrokers: process.env.KAFKA_BROKERS } : {}),
  ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}),
});
let ingest: ServiceProcess | undefined;
try {
  ingest = await startServiceProcess('ingest', {
    MIRRORWATCH_MODE: 'development',
    KAFKA_BROKERS: stack.kafkaBrokers,
    REDIS_URL: stack.redisUrl,
    REDIS_KEY_PREFIX: `bench:${run}:`,
    LOG_LEVEL: 'warn',
  });
  watched.set('ingest', ingest.child.pid as number);
  for (const pid of stack.pids) {
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    watched.set(
      command.includes('redis-server') ? 'redis' : command.includes('java') ? 'kafka' : String(pid),
      pid,
    );
  }
  const shapes = { batch100: 100, single: 1 } as const;
  const summary: Record<string, Record<string, number | number[]>> = {};
  for (const [shape, perRequest] of Object.entries(shapes)) {
    await load(ingest.port, perRequest, 2); // warm-up: JIT, connections, Kafka metadata
    const outcomes: Outcome[] = [];
    for (let n = 0; n < runs; n += 1) {
      const outcome = await load(ingest.port, perRequest, seconds);
      say(
        `${shape} run ${n + 1}: ${outcome.eventsPerSec.toFixed(0)} events/s, ${outcome.requestsPerSec.toFixed(0)} requests/s, ` +
          `p99 ${outcome.latencyP99Ms} ms, ${outcome.failures} failures; cores busy ${JSON.stringify(outcome.cores)}`,
      );
      outcomes.push(outcome);
    }
    summary[shape] = {
      eventsPerSec: Math.round(median(outcomes.map((o) => o.eventsPerSec))),
      requestsPerSec: Math.round(median(outcomes.map((o) => o.requestsPerSec))),
      latencyP99Ms: median(outcomes.map((o) => o.latencyP99Ms)),
      failures: outcomes.reduce((sum, o) => sum + o.failures, 0),
      runs: outcomes.map((o) => Math.round(o.eventsPerSec)),
      ...Object.fromEntries(
        Object.keys(outcomes[0]?.cores ?? {}).map((name) => [
          `cores:${name}`,
          Number(median(outcomes.map((o) => o.cores[name] ?? Number.NaN)).toFixed(2)),
        ]),
      ),
    };
  }
  process.stdout.write(
    `${JSON.stringify({
      bench: 'ingest',
      connections,
      seconds,
      ingestEventsPerSec: summary.batch100?.eventsPerSec,
      singleRequestsPerSec: summary.single?.requestsPerSec,
      ...summary,
    })}\n`,
  );
} finally {
  await ingest?.kill('SIGTERM');
  await stack.stop();
}
