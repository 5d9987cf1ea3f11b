// Fingerprint + candidate retrieval + scoring throughput on one core, in process.
//   node --conditions=source --import tsx packages/engine/bench/engine.bench.ts [--accounts N]
// Throughput per core is accounts per CPU-second of this process (user + system, GC included),
// which other tenants of a shared machine do not distort the way wall-clock time is; wall-clock
// throughput is printed beside it. Median of five runs after a warm-up. Prints a JSON line last.

import { createPseudonymizer, toAccountEventMessage } from '@mirrorwatch/identifiers';
import { simulate } from '@mirrorwatch/simulation';
import {
  type BannedFingerprint,
  CountingFrequencies,
  createDefaultRegistry,
  createScorer,
  defaultModel,
  fingerprintEvent,
  MemoryIndex,
  matchAccount,
} from '../src/index.js';

const accountsArg = process.argv.indexOf('--accounts');
const accounts = accountsArg > 0 ? Number(process.argv[accountsArg + 1]) : 20_000;

const scenario = simulate({ seed: 7, accounts });
const registry = createDefaultRegistry();
const pseudonymizer = createPseudonymizer({ pepper: 'bench-pepper-0123456789' });
const frequencies = new CountingFrequencies();
const scorer = createScorer(defaultModel(), registry, frequencies);
const index = new MemoryIndex<BannedFingerprint>();

// Setup, not measured: every ban indexed, as the indexer would have done.
const messages = scenario.events.map(({ platform, event }) =>
  toAccountEventMessage(event, platform, new Date(event.occurredAt), pseudonymizer),
);
for (const message of messages) {
  if (message.type !== 'account.banned' || !message.ban) continue;
  const fingerprint = fingerprintEvent(message, registry);
  const keys = registry.blockingKeys(fingerprint.signals);
  frequencies.observe(registry.sharedKeys(fingerprint.signals));
  index.upsertSync(
    { ...fingerprint, entity: message.ban.entity, bannedAt: fingerprint.observedAt - 3_600_000 * 24 * 30 },
    keys,
  );
}
const work = messages.filter(
  (message) => message.type === 'account.created' || message.type === 'account.updated',
);

interface Run {
  perCpuSecond: number;
  perWallSecond: number;
  matches: number;
  candidates: number;
}

async function run(): Promise<Run> {
  let matches = 0;
  let candidates = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (const message of work) {
    const fingerprint = fingerprintEvent(message, registry);
    const keys = registry.blockingKeys(fingerprint.signals);
    const found = await matchAccount(fingerprint, keys, index, scorer, { threshold: 0 });
    candidates += found.length;
    matches += found.filter((match) => match.score.probability >= scorer.model.reviewThreshold).length;
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  return {
    perCpuSecond: work.length / ((user + system) / 1e6),
    perWallSecond: work.length / wallSeconds,
    matches,
    candidates,
  };
}

await run(); // warm-up: JIT
const runs: Run[] = [];
for (let i = 0; i < 5; i += 1) runs.push(await run());
const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const result = runs[0] as Run;
process.stdout.write(
  `${JSON.stringify({
    bench: 'engine.fingerprint+candidates+score',
    accountsPerSecondPerCore: Math.round(median(runs.map((r) => r.perCpuSecond))),
    accountsPerSecondWallClock: Math.round(median(runs.map((r) => r.perWallSecond))),
    matchesAboveThreshold: result.matches,
    accounts: work.length,
    bannedIndexed: await index.size(),
    meanCandidates: Number((result.candidates / work.length).toFixed(1)),
    target: 5000,
  })}\n`,
);
