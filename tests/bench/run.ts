// `npm run bench`: runs every benchmark, one after another, each as its own process that starts and
// stops what it needs; collects the JSON line each prints last; writes docs/BENCHMARKS.md from
// them (figures beside their targets, MET or MISSED, and for a miss what the measurements say about
// why); prints a one-line JSON summary last on stdout.
//   npm run bench [-- --quick] [-- --only redis,matcher] [-- --out docs/BENCHMARKS.md]
//
// --quick: smaller sizes and single runs (a few minutes); the report says it was quick.
// The parts' results are kept beside the report (docs/BENCHMARKS.json); --from that file renders
// the report again from them without running anything.
// Ctrl-C or SIGTERM stops the running part and everything it started, then exits.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, release, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICE_NODE_FLAGS } from '@mirrorwatch/config';
import { defaultPomPath, readKafkaVersion } from '@mirrorwatch/local-stack';
import { descendants } from '../support/processes.js';
import { argument, say as sayAs } from './common.js';
import { renderReport } from './report.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const quick = process.argv.includes('--quick');
const only = argument('only', '')
  .split(',')
  .filter((name) => name !== '');
const out = resolve(root, argument('out', 'docs/BENCHMARKS.md'));
const raw = out.replace(/\.md$/, '.json');
const from = argument('from', '');
const say = (line: string) => sayAs('bench', line);

export interface Part {
  name: string;
  script: string;
  args: string[];
  /** Node flags for the part's process: the matcher bench runs the handler as the matcher does. */
  nodeFlags?: readonly string[];
}

const parts: Part[] = [
  {
    name: 'redis',
    script: 'tests/bench/redis.bench.ts',
    args: quick ? ['--requests', '100000', '--runs', '1'] : ['--requests', '200000', '--runs', '3'],
  },
  { name: 'pdq', script: 'packages/engine/bench/pdq.bench.ts', args: [] },
  {
    name: 'engine',
    script: 'packages/engine/bench/engine.bench.ts',
    args: quick ? ['--accounts', '5000'] : [],
  },
  {
    name: 'matcher',
    script: 'tests/bench/matcher.bench.ts',
    nodeFlags: SERVICE_NODE_FLAGS.matcher,
    args: quick
      ? [
          '--sizes',
          '20000,100000',
          '--pool',
          '6000',
          '--runs',
          '1',
          '--events',
          '1500',
          '--load-budget',
          '150',
        ]
      : [
          '--sizes',
          '100000,1000000',
          '--pool',
          '20000',
          '--runs',
          '3',
          '--events',
          '3000',
          // Loading 1M fingerprints takes about 12 minutes at today's bulk-load rate; the budget
          // lets the full run measure it rather than skip it.
          '--load-budget',
          '1000',
        ],
  },
  {
    name: 'ingest',
    script: 'tests/bench/ingest.bench.ts',
    args: quick ? ['--seconds', '4', '--runs', '1'] : ['--seconds', '8', '--runs', '3'],
  },
  // 300 events/s: where this machine, with everything on it, keeps p99 under a second.
  ...[300, 1000, 5000].map((rate) => ({
    name: rate < 1000 ? `e2e-${rate}` : `e2e-${rate / 1000}k`,
    script: 'tests/bench/e2e.bench.ts',
    args: [
      '--rate',
      String(rate),
      '--accounts',
      quick ? '3000' : '8000',
      '--throughput-events',
      '2000',
      '--drain-timeout',
      quick ? '120' : '240',
    ],
  })),
].filter((part) => only.length === 0 || only.includes(part.name));

export interface PartResult {
  part: Part;
  seconds: number;
  /** The JSON line the part printed last, when it finished. */
  result?: Record<string, unknown>;
  error?: string;
}

let current: ChildProcess | undefined;
let stopping = false;

/** Stops the running part and every process under it: the part first, then what it leaves behind. */
async function stopCurrent(): Promise<void> {
  const child = current;
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const below = descendants(child.pid);
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
  for (const { pid } of below) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 3000));
  for (const { pid } of below) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping`);
    void stopCurrent().finally(() => process.exit(130));
  });
}

async function runPart(part: Part): Promise<PartResult> {
  say(`${part.name}: ${part.script} ${part.args.join(' ')}`);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [...(part.nodeFlags ?? []), '--conditions=source', '--import', 'tsx', part.script, ...part.args],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  current = child;
  let stdout = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  const [code] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  current = undefined;
  const seconds = (performance.now() - started) / 1000;
  const lines = stdout.trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  try {
    if (code !== 0) throw new Error(`exited with ${code}`);
    const result = JSON.parse(last) as Record<string, unknown>;
    say(`${part.name}: done in ${seconds.toFixed(0)} s`);
    return { part, seconds, result };
  } catch (error) {
    say(`${part.name}: FAILED (${(error as Error).message}) after ${seconds.toFixed(0)} s`);
    return { part, seconds, error: (error as Error).message };
  }
}

function command(file: string, args: string[]): string {
  try {
    return execFileSync(file, args, { encoding: 'utf8' }).trim();
  } catch {
    return 'not found';
  }
}

const git = (args: string[]) => command('git', ['-C', root, ...args]);
const machine = {
  date: new Date().toISOString(),
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
  freeMemoryGiB: Number((freemem() / 2 ** 30).toFixed(1)),
  loadAverageAtStart: loadavg().map((load) => Number(load.toFixed(2))),
  kernel: release(),
  node: process.version,
  redis: command('redis-server', ['--version']),
  kafka: readKafkaVersion(readFileSync(defaultPomPath(), 'utf8')),
  commit: git(['rev-parse', '--short', 'HEAD']),
  /** Files under the measured code that differ from the commit while the bench ran. */
  uncommitted: git(['status', '--porcelain', '--', 'packages', 'services'])
    .split('\n')
    .map((line) => line.trim().split(/\s+/).slice(1).join(' '))
    .filter((path) => path !== ''),
};

interface Recorded {
  machine: typeof machine & { loadAverageAtEnd: number[] };
  results: PartResult[];
  quick: boolean;
  command: string;
  totalSeconds: number;
}

let recorded: Recorded;
if (from) {
  recorded = JSON.parse(readFileSync(resolve(root, from), 'utf8')) as Recorded;
} else {
  const started = performance.now();
  const results: PartResult[] = [];
  for (const part of parts) {
    if (stopping) break;
    results.push(await runPart(part));
  }
  recorded = {
    machine: { ...machine, loadAverageAtEnd: loadavg().map((load) => Number(load.toFixed(2))) },
    results,
    quick,
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    totalSeconds: (performance.now() - started) / 1000,
  };
  mkdirSync(dirname(raw), { recursive: true });
  writeFileSync(raw, `${JSON.stringify(recorded, null, 2)}\n`);
}
const { markdown, summary } = renderReport(recorded);
writeFileSync(out, markdown);
say(`report written to ${relative(root, out)} after ${(recorded.totalSeconds / 60).toFixed(1)} min`);
process.stdout.write(`${JSON.stringify({ ...summary, report: relative(root, out) })}\n`);
