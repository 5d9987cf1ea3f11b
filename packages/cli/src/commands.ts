import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createDefaultRegistry,
  defaultModel,
  parseModel,
  pdqFromImage,
  type ScoringModel,
} from '@mirrorwatch/engine';
import { evaluate, renderReportHtml, summarise, trainOnScenarios } from '@mirrorwatch/evaluation';
import { createPseudonymizer } from '@mirrorwatch/identifiers';

import { scenarioJsonl, simulate } from '@mirrorwatch/simulation';
import { IMPORT_USAGE, importCommand } from './import/command.js';
import { loadBaseModel, type RedisTarget, readLabels, shadowReport, trainFromLabels } from './learning.js';
import { defaultModelPath, repoRoot } from './paths.js';
import { progressLine } from './progress.js';
import { USAGE, UsageError } from './usage.js';

/** Simulated data carries no real identifiers; a fixed pepper keeps runs reproducible. */
const SIMULATION_PEPPER = 'mirrorwatch-simulation-pepper';

const integer = (name: string, value: string | undefined, fallback: number) => {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new UsageError(`--${name} must be a non-negative integer`);
  return parsed;
};

export async function runCommand(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'simulate':
        return await simulateCommand(rest);
      case 'eval':
        return await evalCommand(rest);
      case 'train':
        return await trainCommand(rest);
      case 'pdq':
        return await pdqCommand(rest);
      case 'shadow-report':
        return await shadowReportCommand(rest);
      case 'import':
        return await runImportCommand(rest);
      case undefined:
      case 'help':
      case '--help':
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(
        `mirrorwatch: ${(error as Error).message}\n\n${command === 'import' ? IMPORT_USAGE : USAGE}`,
      );
      return 2;
    }
    throw error;
  }
}

async function simulateCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { seed: { type: 'string' }, accounts: { type: 'string' }, out: { type: 'string' } },
  });
  const scenario = simulate({
    seed: integer('seed', values.seed, 1),
    accounts: integer('accounts', values.accounts, 20_000),
  });
  const lines = [...scenarioJsonl(scenario)].join('\n');
  if (values.out) {
    await mkdir(dirname(resolve(values.out)), { recursive: true });
    await writeFile(values.out, `${lines}\n`);
    process.stderr.write(
      `wrote ${scenario.events.length} events and ${scenario.labels.length} labels to ${values.out}\n`,
    );
  } else {
    process.stdout.write(`${lines}\n`);
  }
  return 0;
}

async function loadModel(path: string | undefined): Promise<ScoringModel> {
  return path ? parseModel(JSON.parse(await readFile(path, 'utf8'))) : defaultModel();
}

async function evalCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      seed: { type: 'string' },
      accounts: { type: 'string' },
      model: { type: 'string' },
      report: { type: 'string' },
    },
  });
  const seed = integer('seed', values.seed, 4242);
  const accounts = integer('accounts', values.accounts, 20_000);
  const model = await loadModel(values.model);
  process.stderr.write(`simulating ${accounts} accounts (seed ${seed})…\n`);
  const scenario = simulate({ seed, accounts });
  const report = evaluate({
    scenario,
    model,
    registry: createDefaultRegistry(),
    pseudonymizer: createPseudonymizer({ pepper: SIMULATION_PEPPER }),
    onProgress: progressLine('replayed', 'events'),
  });
  const reportPath = values.report ?? resolve(repoRoot(), 'reports', `eval-${seed}.html`);
  await mkdir(dirname(reportPath), { recursive: true });
  await writeFile(reportPath, renderReportHtml(report));
  const { engine } = report;
  process.stderr.write(
    `\nprecision ${engine.precision.toFixed(4)}  recall ${engine.recall.toFixed(4)}  PR-AUC ${engine.prAuc.toFixed(4)}  ` +
      `right parent top-1 ${engine.parentTop1.toFixed(4)}\nreport: ${reportPath}\n`,
  );
  process.stdout.write(`${JSON.stringify(summarise(report))}\n`);
  return 0;
}

const redisOptions = {
  'redis-url': { type: 'string' },
  'redis-prefix': { type: 'string' },
} as const;

/** The Redis the services use: flags, else the services' own environment variables. */
function redisTarget(values: { 'redis-url'?: string; 'redis-prefix'?: string }): RedisTarget {
  const url = values['redis-url'] ?? process.env.REDIS_URL;
  if (!url) throw new UsageError('give --redis-url (or set REDIS_URL) to read what the services stored');
  return { url, keyPrefix: values['redis-prefix'] ?? process.env.REDIS_KEY_PREFIX ?? 'mw:' };
}

async function trainCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      seeds: { type: 'string' },
      accounts: { type: 'string' },
      out: { type: 'string' },
      version: { type: 'string' },
      'from-labels': { type: 'boolean' },
      base: { type: 'string' },
      ...redisOptions,
    },
  });
  if (values['from-labels']) return trainFromLabelsCommand(values);
  const seeds = (values.seeds ?? '101,102,103').split(',').map((seed) => integer('seeds', seed.trim(), 0));
  const accounts = integer('accounts', values.accounts, 20_000);
  const out = values.out ?? defaultModelPath();
  const scenarios = seeds.map((seed) => simulate({ seed, accounts }));
  const model = trainOnScenarios({
    scenarios,
    registry: createDefaultRegistry(),
    pseudonymizer: createPseudonymizer({ pepper: SIMULATION_PEPPER }),
    version: values.version ?? `sim-${new Date().toISOString().slice(0, 10)}`,
    onProgress: (message) => process.stderr.write(`${message}\n`),
  });
  await mkdir(dirname(resolve(out)), { recursive: true });
  await writeFile(out, `${JSON.stringify(model, null, 2)}\n`);
  process.stderr.write(`wrote model ${model.version} to ${out}\n`);
  return 0;
}

/**
 * A new model version from the moderators' decisions, read straight from the alerts service's
 * Redis (levels and verdicts only; nothing is exported on the way).
 */
async function trainFromLabelsCommand(values: {
  out?: string;
  version?: string;
  base?: string;
  'redis-url'?: string;
  'redis-prefix'?: string;
}): Promise<number> {
  if (!values.out)
    throw new UsageError('train --from-labels needs --out FILE (the shipped model is not overwritten)');
  const target = redisTarget(values);
  const base = await loadBaseModel(values.base);
  const labels = await readLabels(target);
  if (labels.length === 0) {
    process.stderr.write('no moderator labels stored yet: nothing to learn from\n');
    return 1;
  }
  const version = values.version ?? `labels-${new Date().toISOString().slice(0, 19).replace(/[-:]/g, '')}`;
  const { model, confirmed, dismissed } = trainFromLabels(base, labels, version);
  await mkdir(dirname(resolve(values.out)), { recursive: true });
  await writeFile(values.out, `${JSON.stringify(model, null, 2)}\n`);
  process.stderr.write(
    `learnt from ${confirmed} confirmed and ${dismissed} dismissed pairs; wrote model ${model.version} to ${values.out}\n` +
      'run it beside the live model first: SHADOW_MODEL_PATH on the matcher, then mirrorwatch shadow-report\n',
  );
  process.stdout.write(
    `${JSON.stringify({ version: model.version, base: base.version, confirmed, dismissed })}\n`,
  );
  return 0;
}

async function shadowReportCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: redisOptions });
  const report = await shadowReport(redisTarget(values));
  const lines = [
    `${report.differences} pairs judged differently (live model alerts, shadow not: ${report.liveOnly}; shadow alerts, live not: ${report.shadowOnly})`,
    ...report.versions.map(({ live, shadow }) => `  live ${live} vs shadow ${shadow}`),
    ...report.byEntity
      .slice(0, 20)
      .map(
        ({ entity, liveOnly, shadowOnly }) => `  ${entity}: live-only ${liveOnly}, shadow-only ${shadowOnly}`,
      ),
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
  process.stdout.write(`${JSON.stringify(report)}\n`);
  return 0;
}

async function pdqCommand(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true });
  const [path] = positionals;
  if (!path || positionals.length > 1) throw new UsageError('pdq takes exactly one image path');
  const { hash, quality } = await pdqFromImage(await readFile(path));
  process.stdout.write(`${hash} ${quality}\n`);
  return 0;
}

/**
 * Ctrl-C stops the import after the request in flight, its progress saved; a second Ctrl-C quits
 * at once (the state file is replaced atomically, so that is safe too).
 */
async function runImportCommand(args: string[]): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
    process.stderr.write('\nimport: stopping after the request in flight (Ctrl-C again to quit now)\n');
  };
  process.on('SIGINT', onSigint);
  try {
    return await importCommand(args, {
      env: process.env,
      io: {
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
        stderrIsTTY: process.stderr.isTTY === true,
      },
      signal: controller.signal,
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
}
