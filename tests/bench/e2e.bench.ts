// End-to-end replay of a simulated scenario through the public webhooks, on a fresh local stack
// (real Kafka, real Redis) with ingest, matcher and alerts each in its own process.
//   node --conditions=source --import tsx tests/bench/e2e.bench.ts [--accounts N] [--rate EPS] [--seed S]
//     [--throughput-events N] [--warmup-accounts N] [--drain-timeout SECONDS]
//
// 1. Ingest throughput: unrelated new accounts as fast as the webhook accepts them, 100 per request.
// 1b. Warm-up: a smaller scenario of another seed (default a quarter of --accounts; 0 for none),
//    kept apart from the measured one (`keptApart`: ids prefixed `warmup-`, no contact, network,
//    avatar or text in common), sent at --rate and drained. The latency below is that of
//    services that have run a while, as deployed ones have: in the first seconds of a process, V8
//    compiles its hot code (a fifth of the matcher's CPU in a fresh process, by `perf`).
// 2. Latency: the scenario sent in stream order at --rate events/s; every alert's latencyMs
//    (ingest receipt → alert created) from the alerts topic, read once the pipeline has drained,
//    as p50/p95/p99, and the CPU seconds each process (services, Kafka, Redis, this sender) used
//    from the first event to the drain, and how many handler calls the matcher made for them.
// 3. Streamed precision/recall from the alerts, beside the offline evaluation of the same scenario
//    (pairs naming a warm-up account are not the scenario's and are left out).
// Prints a JSON line last.

import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { createDefaultRegistry, defaultModel } from '@mirrorwatch/engine';
import { computeMetrics, evaluate, type ObservedPair, outcomesFromPairs } from '@mirrorwatch/evaluation';
import { createPseudonymizer } from '@mirrorwatch/identifiers';
import { signWebhook } from '@mirrorwatch/ingest/signature';
import { createKafkaClient, groupLag, type Kafka } from '@mirrorwatch/kafka';
import { readTopic } from '@mirrorwatch/kafka/testing';
import { startStack } from '@mirrorwatch/local-stack';
import { createLogger } from '@mirrorwatch/logger';
import type { Alert, Event, Platform } from '@mirrorwatch/schemas';
import { keptApart, simulate } from '@mirrorwatch/simulation';
import { type ServiceProcess, startServiceProcess } from '../support/service-process.js';
import { processCpuSeconds, processName } from './common.js';

const argument = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const accounts = argument('accounts', 8000);
const rate = argument('rate', 1000);
const seed = argument('seed', 4242);
const throughputEvents = argument('throughput-events', 20_000);
const warmupAccounts = argument('warmup-accounts', Math.round(accounts / 4));
const drainTimeoutSeconds = argument('drain-timeout', 600);

const say = (line: string) => process.stderr.write(`[e2e] ${line}\n`);
const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN);

/** How many handler calls the matcher has made so far (its chunk-duration histogram's count). */
async function matcherCalls(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const count = /^mirrorwatch_matcher_chunk_seconds_count(?:\{[^}]*\})? (\d+)$/m.exec(text)?.[1];
  if (count === undefined) throw new Error('the matcher reports no mirrorwatch_matcher_chunk_seconds_count');
  return Number(count);
}

/** Waits until both consumer groups have committed everything; returns the seconds it took. */
async function drain(kafka: Kafka, matcherGroup: string, alertsGroup: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    const [events, matches] = await Promise.all([
      groupLag(kafka, matcherGroup, 'accountEvents'),
      groupLag(kafka, alertsGroup, 'matches'),
    ]);
    if (events === 0 && matches === 0) return (performance.now() - started) / 1000;
    if (performance.now() - started > drainTimeoutSeconds * 1000)
      throw new Error(
        `the pipeline did not drain within ${drainTimeoutSeconds} s (lag ${events} + ${matches})`,
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// A keep-alive agent over node:http: fetch costs several times more CPU per request, and the
// sender shares the machine with the pipeline it measures.
const agent = new Agent({ keepAlive: true });

/** Posts a batch; `events` are the events already as JSON, so the sender's CPU goes to sending. */
function post(port: number, platform: Platform, events: string[]): Promise<void> {
  const body = `{"events":[${events.join(',')}]}`;
  const timestamp = Math.floor(Date.now() / 1000);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: `/v1/webhooks/${platform}`,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-mirrorwatch-timestamp': String(timestamp),
          'x-mirrorwatch-signature': signWebhook('dev-secret', timestamp, body),
        },
      },
      (response) => {
        let answer = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          answer += chunk;
        });
        response.on('end', () => {
          if (response.statusCode === 202) resolve();
          else reject(new Error(`ingest answered ${response.statusCode}: ${answer}`));
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Sends events in order at `rate` events/s, in 10 ms ticks, one request per platform and tick
 * (a tick that fell behind catches up, at most 100 events per request: simulated events can be
 * large). Resolves with the seconds it took.
 */
async function sendPaced(
  port: number,
  events: ReadonlyArray<{ platform: Platform; json: string }>,
  rate: number,
): Promise<number> {
  const started = performance.now();
  const perTick = Math.max(1, Math.round(rate / 100));
  let sent = 0;
  while (sent < events.length) {
    const due = Math.min(events.length, Math.floor(((performance.now() - started) / 1000) * rate) + perTick);
    const byPlatform = new Map<Platform, string[]>();
    for (const { platform, json } of events.slice(sent, due)) {
      const batch = byPlatform.get(platform);
      if (batch) batch.push(json);
      else byPlatform.set(platform, [json]);
    }
    sent = due;
    await Promise.all(
      [...byPlatform].flatMap(([platform, batch]) =>
        Array.from({ length: Math.ceil(batch.length / 100) }, (_, n) =>
          post(port, platform, batch.slice(n * 100, n * 100 + 100)),
        ),
      ),
    );
    const wait = started + (sent / rate) * 1000 - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return (performance.now() - started) / 1000;
}

/** The prefix of every warm-up id and entity, so that none is also the scenario's. */
const WARMUP_PREFIX = 'warmup-';

const stack = await startStack({
  ...(process.env.KAFKA_BROKERS ? { kafkaBrokers: process.env.KAFKA_BROKERS } : {}),
  ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}),
});
const services: ServiceProcess[] = [];
try {
  const run = randomUUID().slice(0, 8);
  const env = {
    MIRRORWATCH_MODE: 'development',
    KAFKA_BROKERS: stack.kafkaBrokers,
    REDIS_URL: stack.redisUrl,
    REDIS_KEY_PREFIX: `bench:${run}:`,
    LOG_LEVEL: 'warn',
    MATCHER_GROUP_ID: `bench-matcher-${run}`,
    ALERTS_GROUP_ID: `bench-alerts-${run}`,
  };
  const ingest = await startServiceProcess('ingest', env);
  services.push(ingest);
  const matcher = await startServiceProcess('matcher', env);
  services.push(matcher);
  const alerts = await startServiceProcess('alerts', env);
  services.push(alerts);
  // Who uses the 2 cores during the latency phase.
  const processes = new Map<string, number>([
    ['ingest', ingest.child.pid ?? 0],
    ['matcher', matcher.child.pid ?? 0],
    ['alerts', alerts.child.pid ?? 0],
    ...stack.pids.map((pid): [string, number] => [processName(pid) ?? `pid ${pid}`, pid]),
  ]);
  const cpuSecondsOf = ({ user, system }: NodeJS.CpuUsage) => (user + system) / 1e6;
  const cpuNow = () =>
    new Map<string, number>([
      ...[...processes].map(([name, pid]): [string, number] => [name, processCpuSeconds(pid) ?? Number.NaN]),
      ['bench (sender)', cpuSecondsOf(process.cpuUsage())],
    ]);
  const logger = createLogger({ name: 'bench', level: 'warn' });
  const kafka = createKafkaClient({ brokers: stack.kafkaBrokers.split(','), clientId: 'bench', logger });
  const alertsTopic = await readTopic(kafka, 'alerts', `bench-reader-${run}`);

  // 1. Throughput: plain new accounts, 100 per request, 8 requests in flight.
  say(`ingest throughput: ${throughputEvents} events, batches of 100`);
  const plain: Event[] = Array.from({ length: throughputEvents }, (_, n) => ({
    eventId: `tp-${run}-${n}`,
    type: 'account.created',
    occurredAt: new Date().toISOString(),
    account: { id: `tp-${run}-${n}`, handle: `reader_${n}_${run}`, bio: `notes ${n % 97}` },
  }));
  const batches = Array.from({ length: Math.ceil(plain.length / 100) }, (_, n) =>
    plain.slice(n * 100, n * 100 + 100),
  );
  const throughputStarted = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        const batch = batches[next];
        next += 1;
        if (batch)
          await post(
            ingest.port,
            'x',
            batch.map((event) => JSON.stringify(event)),
          );
      }
    }),
  );
  const throughputSeconds = (performance.now() - throughputStarted) / 1000;
  const ingestEventsPerSec = throughputEvents / throughputSeconds;
  say(`ingest: ${ingestEventsPerSec.toFixed(0)} events/s`);

  // The matcher drains the throughput phase before the latency phase starts, so the latencies
  // measure the pipeline, not a backlog; how long that takes is the matcher's sustained rate.
  const drainSeconds = await drain(kafka, env.MATCHER_GROUP_ID, env.ALERTS_GROUP_ID);
  const matcherEventsPerSec = throughputEvents / (throughputSeconds + drainSeconds);
  say(
    `matcher drained the backlog ${drainSeconds.toFixed(1)} s after ingest: ${matcherEventsPerSec.toFixed(0)} events/s`,
  );

  // 1b. Warm-up: another scenario through the same services, kept apart from the measured one.
  if (warmupAccounts > 0) {
    const warmup = keptApart(
      simulate({ seed: seed + 1, accounts: warmupAccounts }),
      WARMUP_PREFIX,
    ).events.map(({ platform, event }) => ({ platform, json: JSON.stringify(event) }));
    say(`warm-up: ${warmup.length} events of seed ${seed + 1} at ${rate} events/s`);
    await sendPaced(ingest.port, warmup, rate);
    const warmupDrainSeconds = await drain(kafka, env.MATCHER_GROUP_ID, env.ALERTS_GROUP_ID);
    say(`warm-up drained ${warmupDrainSeconds.toFixed(1)} s after the last event`);
  }

  // 2. The scenario, in stream order, paced at `rate` events/s.
  const scenario = simulate({ seed, accounts });
  const events = scenario.events.map(({ platform, event }) => ({ platform, json: JSON.stringify(event) }));
  say(`scenario: seed ${seed}, ${accounts} accounts, ${events.length} events at ${rate} events/s`);
  // Every alert so far (the warm-up's) is read before the phase, to be told apart from its own.
  await alertsTopic.caughtUp(drainTimeoutSeconds * 1000);
  const alertsBefore = alertsTopic.values.length;
  // Alerts are read after the drain: downstream readers of the topic run elsewhere, and this
  // one's fetching and parsing would take CPU from the pipeline it measures.
  alertsTopic.pause();
  const callsBefore = await matcherCalls(matcher.port);
  const cpuBefore = cpuNow();
  const started = performance.now();
  const sendSeconds = await sendPaced(ingest.port, events, rate);
  say(
    `sent ${events.length} events in ${sendSeconds.toFixed(1)} s (${(events.length / sendSeconds).toFixed(0)} events/s)`,
  );

  // Wait for the pipeline to drain, then for the reader to have every alert.
  await drain(kafka, env.MATCHER_GROUP_ID, env.ALERTS_GROUP_ID);
  const phaseSeconds = (performance.now() - started) / 1000;
  const cpuSeconds = Object.fromEntries(
    [...cpuNow()].map(([name, seconds]) => [name, Number((seconds - (cpuBefore.get(name) ?? 0)).toFixed(1))]),
  );
  // Larger calls spread the matcher's per-call cost (round trips, script calls per shard) thinner.
  const calls = (await matcherCalls(matcher.port)) - callsBefore;
  say(
    `the matcher handled the ${events.length} events in ${calls} calls (${(events.length / calls).toFixed(0)} per call)`,
  );
  const busyCores = Object.values(cpuSeconds).reduce((sum, seconds) => sum + seconds, 0) / phaseSeconds;
  say(
    `CPU seconds in ${phaseSeconds.toFixed(1)} s from first event to drained: ` +
      `${Object.entries(cpuSeconds)
        .map(([name, seconds]) => `${name} ${seconds}`)
        .join(', ')} (${busyCores.toFixed(2)} cores busy)`,
  );
  alertsTopic.resume();
  await alertsTopic.caughtUp(drainTimeoutSeconds * 1000);
  // The alerts created in the phase: a measured ban's retro-hunt can add to a warm-up alert,
  // whose latencyMs dates from the warm-up.
  const earlier = new Set((alertsTopic.values.slice(0, alertsBefore) as Alert[]).map((alert) => alert.id));
  const published = (alertsTopic.values.slice(alertsBefore) as Alert[]).filter(
    (alert) => !earlier.has(alert.id),
  );
  // Each alert as last published (a later match can add to it), and its latency when created.
  const latest = new Map<string, Alert>();
  const firstLatency = new Map<string, number>();
  for (const alert of published) {
    latest.set(alert.id, alert);
    if (!firstLatency.has(alert.id)) firstLatency.set(alert.id, alert.latencyMs);
  }
  const latencies = [...firstLatency.values()].sort((a, b) => a - b);

  // 3. Streamed precision/recall, from the alerts' matches, against the offline evaluation.
  const isWarmup = (accountId: string) => accountId.startsWith(WARMUP_PREFIX);
  const pairs: ObservedPair[] = [...latest.values()].flatMap((alert) =>
    alert.matches
      .filter((match) => !isWarmup(alert.candidate.accountId) && !isWarmup(match.accountId))
      .map((match) => ({
        candidate: `${alert.candidate.platform}:${alert.candidate.accountId}`,
        banned: `${match.platform}:${match.accountId}`,
        bannedEntity: match.entity,
        levels: {},
        annotations: {},
        probability: match.score,
        via: 'candidate' as const,
      })),
  );
  const model = defaultModel();
  const streamed = computeMetrics(
    scenario.labels,
    outcomesFromPairs(pairs, (pair) => pair.probability ?? 0),
    model.reviewThreshold,
  );
  const offline = evaluate({
    scenario,
    model,
    registry: createDefaultRegistry(),
    pseudonymizer: createPseudonymizer({ pepper: 'e2e-bench-offline-pepper-000' }),
  }).engine;

  const summary = {
    bench: 'e2e',
    seed,
    accounts,
    events: events.length,
    targetEventsPerSec: rate,
    sentEventsPerSec: Math.round(events.length / sendSeconds),
    ingestEventsPerSec: Math.round(ingestEventsPerSec),
    matcherEventsPerSec: Math.round(matcherEventsPerSec),
    alerts: latest.size,
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
    },
    latencyPhase: {
      seconds: Number(phaseSeconds.toFixed(1)),
      cpuSeconds,
      busyCores: Number(busyCores.toFixed(2)),
      matcherCalls: calls,
    },
    streamed: { precision: streamed.precision, recall: streamed.recall },
    offline: { precision: offline.precision, recall: offline.recall },
  };
  say(
    `alert latency p50 ${summary.latencyMs.p50} ms, p95 ${summary.latencyMs.p95} ms, p99 ${summary.latencyMs.p99} ms over ${latencies.length} alerts`,
  );
  say(
    `precision/recall streamed ${streamed.precision.toFixed(4)}/${streamed.recall.toFixed(4)}, offline ${offline.precision.toFixed(4)}/${offline.recall.toFixed(4)}`,
  );
  await alertsTopic.close();
  process.stdout.write(`${JSON.stringify(summary)}\n`);
} finally {
  agent.destroy();
  for (const service of services) await service.kill('SIGTERM');
  await stack.stop();
}
