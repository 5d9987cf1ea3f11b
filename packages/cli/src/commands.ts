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

async function trainCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      seeds: { type: 'string' },
      accounts: { type: 'string' },
      out: { type: 'string' },
      version: { type: 'string' },
    },
  });
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
