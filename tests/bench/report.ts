// docs/BENCHMARKS.md from the parts' JSON lines: nothing in it is typed by hand.

import type { PartResult } from './run.js';

type Json = Record<string, unknown>;
type Verdict = 'MET' | 'MISSED' | 'NOT MEASURED' | '—';

interface Row {
  figure: string;
  target: string;
  measured: string;
  verdict: Verdict;
  why?: string;
}

const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const fmt = (value: number | undefined, digits = 0) =>
  value === undefined ? 'n/a' : value.toLocaleString('en-GB', { maximumFractionDigits: digits });
const at = (json: Json | undefined, ...path: string[]): unknown =>
  path.reduce<unknown>((value, key) => (value as Json | undefined)?.[key], json);

function verdict(measured: number | undefined, ok: (value: number) => boolean): Verdict {
  return measured === undefined ? 'NOT MEASURED' : ok(measured) ? 'MET' : 'MISSED';
}

/** The processes of the e2e bench's CPU split, in the order the report lists them. */
const E2E_PROCESSES = ['ingest', 'matcher', 'alerts', 'java', 'redis-server', 'bench (sender)'];

/** The e2e latency phase's CPU seconds by process, their total, and CPU milliseconds per event. */
function e2eCpu(e2e: Json) {
  const byProcess = (at(e2e, 'latencyPhase', 'cpuSeconds') ?? {}) as Record<string, number>;
  const total = Object.values(byProcess).reduce((sum, seconds) => sum + seconds, 0);
  const events = num(e2e.events);
  return {
    seconds: num(at(e2e, 'latencyPhase', 'seconds')),
    byProcess,
    total,
    msPerEvent: events ? (1000 * total) / events : undefined,
  };
}

/** Why the latency is what it is: the CPU all processes need per event against the cores there are. */
function e2eWhy(e2e: Json, cores: number | undefined): string {
  const rate = num(e2e.targetEventsPerSec);
  const { msPerEvent, byProcess } = e2eCpu(e2e);
  const matcher = num(byProcess.matcher);
  const events = num(e2e.events);
  const budget = rate && cores ? (1000 * cores) / rate : undefined;
  return (
    `sent ${fmt(num(e2e.sentEventsPerSec))} events/s of ${fmt(events)}. All processes together used ` +
    `${fmt(msPerEvent, 2)} ms of CPU per event (the matcher ${fmt(matcher && events ? (1000 * matcher) / events : undefined, 2)}); ` +
    `${fmt(cores)} cores at ${fmt(rate)} events/s allow ${fmt(budget, 2)} ms, so events queue (mostly in Kafka ahead of ` +
    'the matcher) and the latency is the queue.'
  );
}

export interface ReportInput {
  machine: Json;
  results: PartResult[];
  quick: boolean;
  command: string;
  totalSeconds: number;
}

export function renderReport({ machine, results, quick, command, totalSeconds }: ReportInput) {
  const part = (name: string) => results.find((result) => result.part.name === name)?.result;
  const redis = part('redis');
  const engine = part('engine');
  const matcher = part('matcher');
  const ingest = part('ingest');
  const e2e300 = part('e2e-300');
  const e2e1k = part('e2e-1k');
  const e2e5k = part('e2e-5k');

  const sizes = ((matcher?.sizes as Json[] | undefined) ?? []).filter((size) => size.skipped === undefined);
  const skipped = ((matcher?.sizes as Json[] | undefined) ?? []).filter((size) => size.skipped !== undefined);
  const small = sizes[0];
  const large = sizes.length > 1 ? sizes[sizes.length - 1] : undefined;
  const million = sizes.find((size) => num(size.banned) === 1_000_000);
  const largest = sizes[sizes.length - 1];
  const cpuAreas = ((matcher?.cpuAreas as { area: string; percent: number }[] | undefined) ?? [])
    .slice(0, 6)
    .map(({ area, percent }) => `${area} ${percent}%`)
    .join(', ');

  const benchmarkOps = num(redis?.redisBenchmarkOpsPerSec);
  const clientPerEvent = num(largest?.clientCommandsPerEvent);
  const callsPerEvent = num(largest?.serverCallsPerEvent);
  const redisMicros = num(largest?.redisCpuMicrosPerEvent);
  const ceiling = benchmarkOps && clientPerEvent ? benchmarkOps / clientPerEvent : undefined;

  const matcherWhy = (size: Json | undefined) => {
    const perCore = num(size?.eventsPerSecPerCore);
    if (!size || perCore === undefined) return undefined;
    return (
      `${fmt(1e6 / perCore)} µs of matcher CPU per event against a budget of 200 µs; Redis used ` +
      `${fmt(num(size.redisCpuMicrosPerEvent))} µs per event (Redis alone would allow ` +
      `${fmt(1e6 / (num(size.redisCpuMicrosPerEvent) ?? Number.NaN))}/s). Matcher CPU by area (self time, ` +
      `sampled at ${fmt(num(largest?.banned))} banned): ${cpuAreas || 'not profiled'}.`
    );
  };

  const loadOf = (size: Json | undefined) => at(size, 'load') as Json | undefined;
  const rows: Row[] = [];
  const perCoreSmall = num(small?.eventsPerSecPerCore);
  rows.push({
    figure: `Matcher events/s per core, ${fmt(num(small?.banned))} banned indexed`,
    target: '≥ 5,000',
    measured: `${fmt(perCoreSmall)} (wall clock ${fmt(num(small?.eventsPerSecWallClock))})`,
    verdict: verdict(perCoreSmall, (value) => value >= 5000),
    why: matcherWhy(small),
  });
  const perCoreMillion = num(million?.eventsPerSecPerCore);
  rows.push({
    figure: 'Matcher events/s per core, 1,000,000 banned indexed',
    target: '≥ 5,000',
    measured: million
      ? `${fmt(perCoreMillion)} (wall clock ${fmt(num(million.eventsPerSecWallClock))})`
      : large
        ? `not loaded; at ${fmt(num(large.banned))}: ${fmt(num(large.eventsPerSecPerCore))}`
        : 'not loaded',
    verdict: million ? verdict(perCoreMillion, (value) => value >= 5000) : 'NOT MEASURED',
    why: million
      ? matcherWhy(million)
      : skipped.map((size) => `${fmt(num(size.banned))} skipped: ${String(size.skipped)}.`).join(' ') ||
        'the matcher part did not run.',
  });
  const flatLarge = million ?? large;
  const ratio =
    flatLarge && perCoreSmall ? (num(flatLarge.eventsPerSecPerCore) ?? Number.NaN) / perCoreSmall : undefined;
  rows.push({
    figure: `Flat from ${fmt(num(small?.banned))} to ${fmt(num(flatLarge?.banned))} banned (per-core rate ratio)`,
    target: '≥ 0.8 (1M vs 100k)',
    measured: ratio === undefined ? 'n/a' : ratio.toFixed(2),
    verdict: million ? verdict(ratio, (value) => value >= 0.8) : 'NOT MEASURED',
    ...(!million && flatLarge ? { why: `measured only up to ${fmt(num(flatLarge.banned))} banned.` } : {}),
  });
  const bulk = num(largest?.bulkLoadPerSec);
  const load = loadOf(largest);
  rows.push({
    figure: `Bulk load of the banned index (upsertMany, batches of 5,000), to ${fmt(num(largest?.banned))}`,
    target: '≥ 20,000/s',
    measured: `${fmt(bulk)}/s`,
    verdict: verdict(bulk, (value) => value >= 20_000),
    why: load
      ? `${fmt(num(matcher?.keysPerFingerprint), 1)} blocking keys per fingerprint, each a bucket write. In the last ` +
        `${fmt(num(load.upsertSeconds), 1)} s of upserts the bench process used ${fmt(num(load.nodeCpuSeconds), 1)} CPU-s ` +
        `(building pipelines, serialising records, ioredis) and Redis ${fmt(num(load.redisCpuSeconds), 1)} CPU-s.`
      : undefined,
  });
  const bytes = num(million?.bytesPerFingerprint ?? largest?.bytesPerFingerprint);
  rows.push({
    figure: `Redis memory per banned fingerprint (used_memory delta ÷ count) at ${fmt(num((million ?? largest)?.banned))}`,
    target: '≤ 1,024 bytes at 1M',
    measured: `${fmt(bytes)} bytes`,
    verdict: million
      ? verdict(bytes, (value) => value <= 1024)
      : bytes !== undefined && bytes > 1024
        ? 'MISSED'
        : 'NOT MEASURED',
    why:
      bytes === undefined
        ? undefined
        : `each record is its JSON (${fmt(num(matcher?.recordJsonBytes))} bytes on average: the signals, MinHash ` +
          `signatures included, and the list of its ${fmt(num(matcher?.keysPerFingerprint), 1)} blocking keys) plus ` +
          `one SET membership per blocking key; rare keys make buckets of one or two members, each a key of its own.` +
          (million
            ? ''
            : ' Not loaded to 1M (see above); a per-fingerprint cost this far above target misses at any size.'),
  });
  const batch = at(ingest, 'batch100') as Json | undefined;
  const single = at(ingest, 'single') as Json | undefined;
  const cores = (shape: Json | undefined) =>
    Object.entries(shape ?? {})
      .filter(([key]) => key.startsWith('cores:'))
      .map(([key, value]) => `${key.slice(6)} ${value}`)
      .join(', ');
  const ingestRate = num(ingest?.ingestEventsPerSec);
  rows.push({
    figure: 'Ingest events/s, batches of 100 (autocannon, signed, unique eventIds, 202 = Kafka acked)',
    target: '≥ 20,000',
    measured: `${fmt(ingestRate)} (p99 ${fmt(num(batch?.latencyP99Ms))} ms per request, ${fmt(num(batch?.failures))} failures)`,
    verdict: verdict(ingestRate, (value) => value >= 20_000),
    why: batch ? `cores busy during the run: ${cores(batch)} (of ${String(machine.cores)}).` : undefined,
  });
  rows.push({
    figure: 'Ingest single-event requests/s',
    target: '—',
    measured: `${fmt(num(ingest?.singleRequestsPerSec))} (p99 ${fmt(num(single?.latencyP99Ms))} ms)`,
    verdict: '—',
    why: single ? `cores busy: ${cores(single)}.` : undefined,
  });
  // p99 < 1 s at 1,000 events/s is the pipeline's own target; 5,000 events/s has none beyond
  // the design's "within seconds", read here as 5 s.
  for (const [label, e2e, limitMs, target] of [
    [
      '300',
      e2e300,
      1000,
      'p99 < 1,000 ms (no target at this rate: it shows where the machine meets the 1 s)',
    ],
    ['1,000', e2e1k, 1000, 'p99 < 1,000 ms'],
    ['5,000', e2e5k, 5000, 'p99 ≤ 5,000 ms (the design asks for "within seconds"; no number is set)'],
  ] as const) {
    const p99 = num(at(e2e, 'latencyMs', 'p99'));
    rows.push({
      figure: `End-to-end webhook → alert latency at ${label} events/s (p50 / p99)`,
      target,
      measured: e2e
        ? `${fmt(num(at(e2e, 'latencyMs', 'p50')))} / ${fmt(p99)} ms over ${fmt(num(e2e.alerts))} alerts`
        : 'n/a',
      verdict: verdict(p99, (value) => value < limitMs),
      why: e2e ? e2eWhy(e2e, num(machine.cores)) : undefined,
    });
  }
  rows.push({
    figure: 'Redis commands per event sent by the matcher (client-issued)',
    target: '—',
    measured: `${fmt(clientPerEvent, 1)} (${fmt(callsPerEvent, 1)} calls Redis ran, the ones inside Lua scripts included)`,
    verdict: '—',
    why:
      ceiling !== undefined
        ? `redis-benchmark's ${fmt(benchmarkOps)} pipelined ops/s ÷ ${fmt(clientPerEvent, 1)} = ${fmt(ceiling)} events/s if ` +
          `client commands were the limit; Redis CPU per event (${fmt(redisMicros)} µs) allows ${fmt(1e6 / (redisMicros ?? Number.NaN))}/s. ` +
          'The script calls do most of the work Redis does.'
        : undefined,
  });
  rows.push({
    figure: 'redis-benchmark, -P 16, median over GET/SET/SADD/INCR/HSET/SMEMBERS',
    target: '— (the limit beside us)',
    measured: `${fmt(benchmarkOps)} ops/s`,
    verdict: '—',
  });

  const table = [
    '| figure | target | measured | verdict |',
    '| --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row.figure} | ${row.target} | ${row.measured} | ${row.verdict} |`),
  ].join('\n');
  const reasons = rows
    .filter(
      (row) => row.why && (row.verdict === 'MISSED' || row.verdict === 'NOT MEASURED' || row.verdict === '—'),
    )
    .map((row) => `- **${row.figure}** (${row.verdict}): ${row.why}`)
    .join('\n');

  const matcherTable = [
    '| banned indexed | bulk load /s | bytes / fingerprint | events/s per core | events/s wall | runs (per core) | client commands / event | Redis calls / event | Redis CPU µs / event |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...sizes.map(
      (size) =>
        `| ${fmt(num(size.banned))} | ${fmt(num(size.bulkLoadPerSec))} | ${fmt(num(size.bytesPerFingerprint))} | ` +
        `${fmt(num(size.eventsPerSecPerCore))} | ${fmt(num(size.eventsPerSecWallClock))} | ${((size.runs as number[]) ?? []).join(', ')} | ` +
        `${fmt(num(size.clientCommandsPerEvent), 2)} | ${fmt(num(size.serverCallsPerEvent), 2)} | ${fmt(num(size.redisCpuMicrosPerEvent))} |`,
    ),
    ...skipped.map((size) => `| ${fmt(num(size.banned))} | skipped: ${String(size.skipped)} | | | | | | | |`),
  ].join('\n');
  const commandList = (counts: unknown, events: number | undefined) =>
    Object.entries((counts as Record<string, number>) ?? {})
      .sort((a, b) => b[1] - a[1])
      .map(([name, calls]) => `${name} ${fmt(events ? calls / events : undefined, 2)}`)
      .join(', ');

  const failed = results.filter((result) => result.error);
  const m = machine;
  const markdown = `# Benchmarks

Generated by \`${command}\` (\`tests/bench/run.ts\`) on ${String(m.date)}; do not edit by hand, run it again.
${quick ? '\n**Quick run** (`--quick`): smaller sizes and single runs; figures are indicative only.\n' : ''}
## Machine

| | |
| --- | --- |
| CPU | ${String(m.cpu)}, ${String(m.cores)} cores |
| memory | ${String(m.memoryGiB)} GiB (${String(m.freeMemoryGiB)} GiB free at start) |
| kernel | ${String(m.kernel)} |
| Node.js | ${String(m.node)} |
| Redis | ${String(m.redis)} |
| Kafka | ${String(m.kafka)} (KRaft, single local broker) |
| load average (1, 5, 15 min) | ${(m.loadAverageAtStart as number[]).join(', ')} at start, ${(m.loadAverageAtEnd as number[]).join(', ')} at the end |
| code | commit ${String(m.commit)}${(m.uncommitted as string[]).length > 0 ? `; uncommitted changes under packages/ or services/ while it ran: ${(m.uncommitted as string[]).join(', ')}` : ''} |
| duration | ${(totalSeconds / 60).toFixed(1)} min |

The machine is shared with other engineers' builds and tests, so every figure is noisy: throughput
parts run several times and report medians (the single runs are listed), CPU-time rates
(events per CPU-second of the process) are less disturbed by neighbours than wall-clock rates, and
Kafka, Redis, the services and the load generator all share the same ${String(m.cores)} cores.
${failed.length > 0 ? `\n**Parts that failed:** ${failed.map((result) => `${result.part.name} (${result.error})`).join('; ')}.\n` : ''}
## Figures against targets

${table}

${reasons ? `### Why, where a target is missed or a figure stands alone\n\n${reasons}\n` : ''}
## Matcher on one core against Redis (\`tests/bench/matcher.bench.ts\`)

The banned index is bulk-loaded with fingerprints made by the engine from a simulated scenario
(${fmt(num(matcher?.pool))} banned accounts, ${fmt(num(matcher?.keysPerFingerprint), 1)} blocking keys each), copied under fresh ids
with their rare blocking keys salted per copy, so every copy is a population of its own while common
keys stay shared. The worker's handler (\`createWorker(...).handleEvents\`, the product's Redis stores,
a producer that drops the matches) then handles the scenario's new and changed accounts under fresh
ids, ${fmt(num(matcher?.chunkSize))} per chunk.

${matcherTable}

Client-issued commands per event at ${fmt(num(largest?.banned))}: ${commandList(largest?.clientCommands, num(largest?.eventsPerRun))}.
Calls Redis ran per event (INFO commandstats, which also counts those inside Lua scripts): ${commandList(largest?.serverCalls, num(largest?.eventsPerRun))}.
Bytes per event between the matcher and Redis (INFO stats): ${fmt(num(largest?.redisBytesInPerEvent))} sent, ${fmt(num(largest?.redisBytesOutPerEvent))} received.

Where the matcher's CPU goes (V8 sampling profiler, self time, one extra run): ${cpuAreas || 'n/a'}.

## Ingest under load (\`tests/bench/ingest.bench.ts\`)

autocannon, ${fmt(num(ingest?.connections))} connections, ${fmt(num(ingest?.seconds))} s per run; each request signed in
\`setupRequest\` over a current timestamp, with new eventIds.

| shape | events/s | requests/s | p99 per request | runs (events/s) | failures |
| --- | --- | --- | --- | --- | --- |
| 100 events per request | ${fmt(num(batch?.eventsPerSec))} | ${fmt(num(batch?.requestsPerSec))} | ${fmt(num(batch?.latencyP99Ms))} ms | ${((batch?.runs as number[]) ?? []).join(', ')} | ${fmt(num(batch?.failures))} |
| 1 event per request | ${fmt(num(single?.eventsPerSec))} | ${fmt(num(single?.requestsPerSec))} | ${fmt(num(single?.latencyP99Ms))} ms | ${((single?.runs as number[]) ?? []).join(', ')} | ${fmt(num(single?.failures))} |

## End to end (\`tests/bench/e2e.bench.ts\`)

A simulated scenario sent through signed webhooks at the given rate to ingest, matcher and alerts,
each its own process, on a fresh local Kafka and Redis; latency is each alert's \`latencyMs\`
(ingest receipt → alert created) from the alerts topic.

| target rate | events | sent events/s | matcher drain events/s | alerts | p50 | p95 | p99 | streamed precision / recall |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${[e2e300, e2e1k, e2e5k]
  .filter((e2e): e2e is Json => e2e !== undefined)
  .map(
    (e2e) =>
      `| ${fmt(num(e2e.targetEventsPerSec))} | ${fmt(num(e2e.events))} | ${fmt(num(e2e.sentEventsPerSec))} | ${fmt(num(e2e.matcherEventsPerSec))} | ` +
      `${fmt(num(e2e.alerts))} | ${fmt(num(at(e2e, 'latencyMs', 'p50')))} ms | ${fmt(num(at(e2e, 'latencyMs', 'p95')))} ms | ` +
      `${fmt(num(at(e2e, 'latencyMs', 'p99')))} ms | ${fmt(num(at(e2e, 'streamed', 'precision')), 3)} / ${fmt(num(at(e2e, 'streamed', 'recall')), 3)} |`,
  )
  .join('\n')}

CPU seconds each process used from the first event sent to the pipeline drained (the
machine has ${fmt(num(machine.cores))} cores; Kafka and Redis are the local stack's):

| target rate | seconds | ${E2E_PROCESSES.join(' | ')} | total | ms of CPU per event |
| --- | --- | ${E2E_PROCESSES.map(() => '---').join(' | ')} | --- | --- |
${[e2e300, e2e1k, e2e5k]
  .filter((e2e): e2e is Json => e2e !== undefined)
  .map((e2e) => {
    const phase = e2eCpu(e2e);
    return (
      `| ${fmt(num(e2e.targetEventsPerSec))} | ${fmt(phase.seconds, 1)} | ` +
      `${E2E_PROCESSES.map((name) => fmt(num(phase.byProcess[name]), 1)).join(' | ')} | ` +
      `${fmt(phase.total, 1)} | ${fmt(phase.msPerEvent, 2)} |`
    );
  })
  .join('\n')}

## Engine in memory and PDQ (\`packages/engine/bench\`)

Engine (fingerprint + candidates + score, in-memory index, no Redis): ${fmt(num(engine?.accountsPerSecondPerCore))} accounts/s per core
(${fmt(num(engine?.accountsPerSecondWallClock))} wall clock) — the matcher's ceiling before any Redis work.

## Raw results

Each part's last JSON line, in the order run, with its duration.

\`\`\`
${results.map((result) => `${result.part.name} (${result.seconds.toFixed(0)} s): ${result.result ? JSON.stringify(result.result) : `FAILED: ${result.error}`}`).join('\n')}
\`\`\`
`;

  const summary = {
    matcherEventsPerSecPerCore: num((million ?? largest)?.eventsPerSecPerCore),
    matcherMeasuredAtBanned: num((million ?? largest)?.banned),
    matcherEventsPerSecPerCoreAtSmallest: perCoreSmall,
    indexBytesPerFingerprint: bytes,
    bulkLoadPerSec: bulk,
    ingestEventsPerSec: ingestRate,
    ingestSingleRequestsPerSec: num(ingest?.singleRequestsPerSec),
    e2eP99MsAt300: num(at(e2e300, 'latencyMs', 'p99')),
    e2eP50MsAt1k: num(at(e2e1k, 'latencyMs', 'p50')),
    e2eP99MsAt1k: num(at(e2e1k, 'latencyMs', 'p99')),
    e2eP50MsAt5k: num(at(e2e5k, 'latencyMs', 'p50')),
    e2eP99MsAt5k: num(at(e2e5k, 'latencyMs', 'p99')),
    redisOpsPerEvent: clientPerEvent,
    redisCallsPerEventWithScripts: callsPerEvent,
    redisBenchmarkOpsPerSec: benchmarkOps,
    quick,
    failed: failed.map((result) => result.part.name),
  };
  return { markdown, summary };
}
