import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeSetSignature, followeesSignature } from '@mirrorwatch/engine';
import { buildApp as buildIngest } from '@mirrorwatch/ingest/app';
import { loadIngestConfig } from '@mirrorwatch/ingest/config';
import { truncateTopic } from '@mirrorwatch/kafka/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type AccountEventsReader, readAccountEvents } from '../support/account-events.js';
import { connectInfra, serviceEnv, type TestInfra } from '../support/fixtures.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(root, 'packages', 'cli', 'src', 'main.ts');

interface CliRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/** Runs `mirrorwatch import …` as its own process, as an operator would. */
function runCli(args: string[], env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CLI, 'import', ...args], {
    cwd: root,
    env: { ...process.env, MIRRORWATCH_WEBHOOK_SECRET: 'dev-secret', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

interface Generated {
  text: string;
  /** Account ids of the good rows. */
  good: string[];
  /** Line → what is wrong, for the bad rows. */
  badLines: Map<number, string>;
}

/**
 * A CSV of `rows` removed accounts. Some bios span two lines (so line numbers are not row
 * numbers), and the rows at `bad` positions are broken in different ways.
 */
function generateCsv(
  prefix: string,
  rows: number,
  bad: Map<number, (id: string) => [string, string]>,
): Generated {
  const lines = ['platform,id,handle,displayName,bio,links,email,ip,followees,bannedAt,entity,reason'];
  let line = 2;
  const good: string[] = [];
  const badLines = new Map<number, string>();
  for (let i = 0; i < rows; i += 1) {
    const id = `${prefix}-${i}`;
    const breaker = bad.get(i);
    let record: string;
    let span = 1;
    if (breaker) {
      const [text, problem] = breaker(id);
      record = text;
      badLines.set(line, problem);
    } else {
      const multiline = i % 97 === 5;
      span = multiline ? 2 : 1;
      const bio = multiline
        ? '"Official channel.\nBackup of the ""media"" office, again"'
        : 'Official channel';
      record = [
        i % 3 === 0 ? 'telegram' : '',
        id,
        `front_media_${i}`,
        'Front Media',
        bio,
        `https://t.me/+invite${i % 50}|https://example.org/${i}`,
        `member${i}@example.com`,
        `198.51.100.${i % 250}`,
        `${i % 11}|${i % 13}`,
        '2026-11-01T10:00:00Z',
        i % 2 === 0 ? 'Example Front' : '',
        'terrorist content',
      ].join(',');
      good.push(id);
    }
    lines.push(record);
    line += span;
  }
  return { text: `${lines.join('\n')}\n`, good, badLines };
}

describe('mirrorwatch import → ingest → Kafka', () => {
  let infra: TestInfra;
  let ingest: FastifyInstance;
  let url: string;
  let dir: string;
  let topic: AccountEventsReader;

  beforeAll(async () => {
    infra = await connectInfra();
    ingest = await buildIngest({ config: loadIngestConfig(serviceEnv(infra)), ...infra });
    await ingest.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(ingest.server.address() as AddressInfo).port}`;
    dir = await mkdtemp(join(tmpdir(), 'mw-import-it-'));
    topic = await readAccountEvents(infra.kafka, infra.unique('import-reader'));
  });

  afterAll(async () => {
    await topic?.close();
    // Thousands of bans: later tests' matchers read the topic from the beginning. Only on a broker
    // started for this run; a broker named by KAFKA_BROKERS is never truncated.
    if (infra && inject('kafkaOwned')) await truncateTopic(infra.kafka, 'accountEvents');
    await ingest?.close();
    await infra?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('imports 10,000 rows, reports bad rows by line, and after a SIGKILL resumes without importing anything twice', async () => {
    const prefix = infra.unique('removed');
    const breakers = new Map<number, (id: string) => [string, string]>([
      [0, (id) => [`telegram,${id},,,,,,,,2026-11-01T10:00:00Z,Example Front,ban`, 'handle']],
      [
        1234,
        (id) => [
          `telegram,${id},h,,,,leak@example.com,999.0.0.1,,2026-11-01T10:00:00Z,Example Front,ban`,
          'ip',
        ],
      ],
      [5000, (id) => [`myspace,${id},h,,,,,,,2026-11-01T10:00:00Z,Example Front,ban`, 'platform']],
      [7777, (id) => [`telegram,${id},h,,,,,,,last tuesday,Example Front,ban`, 'bannedAt']],
      [8888, (id) => [`telegram,${id},h,D"Q,,,,,,2026-11-01T10:00:00Z,Example Front,ban`, '(row)']],
      [9999, (id) => [`telegram,${id},h,,,,,,,2026-11-01T10:00:00Z`, '(row)']],
    ]);
    const csv = generateCsv(prefix, 10_000, breakers);
    const file = join(dir, 'removed.csv');
    const statePath = `${file}.import-state.json`;
    await writeFile(file, csv.text);
    const args = [file, '--url', url, '--platform', 'x', '--entity', 'Other Front', '--batch', '100'];

    // First run: killed hard once some batches are acknowledged.
    const first = runCli(args);
    const readState = () =>
      readFile(statePath, 'utf8').then(
        (text) => JSON.parse(text) as { nextRow: number },
        () => undefined,
      );
    for (const deadline = Date.now() + 40_000; Date.now() < deadline; ) {
      const state = await readState();
      if (state && state.nextRow >= 2000) {
        first.child.kill('SIGKILL');
        break;
      }
      if (first.child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await first.exited, first.stderr()).toBeNull(); // killed, not finished
    // Where the state stood when the process died: a batch acknowledged between the poll and the
    // kill has moved it on, and the rerun must resume from there.
    const killedAt = (await readState())?.nextRow ?? 0;
    expect(killedAt).toBeGreaterThanOrEqual(2000);
    expect(killedAt).toBeLessThan(10_000);
    expect(first.stderr()).toMatch(/^import: [\d,]+\/9,994 rows \(\d+%\) · [\d,]+ rows\/s · ETA /m);

    // The bad rows were reported, by line, before anything was sent; no value is repeated.
    const rejects = (await readFile(`${file}.rejects.jsonl`, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { line: number; errors: Array<{ field: string }> });
    expect(rejects.map((reject) => reject.line)).toEqual([...csv.badLines.keys()]);
    for (const reject of rejects) {
      expect(reject.errors.map((error) => error.field)).toContain(csv.badLines.get(reject.line));
    }
    for (const line of csv.badLines.keys())
      expect(first.stderr()).toMatch(new RegExp(`^line ${line}: `, 'm'));
    expect(first.stderr() + JSON.stringify(rejects)).not.toMatch(/leak@example|999\.0\.0\.1/);

    // Rerun: resumes after the last acknowledged batch and finishes; exit 1 because rows were rejected.
    const second = runCli(args);
    expect(await second.exited, second.stderr()).toBe(1);
    expect(second.stderr()).toMatch(/resuming at line \d+/);
    expect(second.stderr()).toMatch(/^import: 9,994\/9,994 rows \(100%\)/m);
    expect(second.stderr()).toMatch(
      /imported, [\d,]+ duplicates, 6 rejected in [\d.]+ s, [\d,]+ in earlier runs/,
    );
    const summary = JSON.parse(second.stdout().trim()) as {
      outcome: string;
      imported: number;
      duplicates: number;
      rejected: number;
      earlierRuns: number;
    };
    expect(summary).toMatchObject({ outcome: 'complete', rejected: 6 });
    expect(summary.earlierRuns).toBe(
      killedAt - [...breakers.keys()].filter((index) => index < killedAt).length,
    );
    expect(summary.earlierRuns + summary.imported + summary.duplicates).toBe(csv.good.length);
    expect(JSON.parse(await readFile(statePath, 'utf8'))).toMatchObject({
      nextRow: 10_000,
      resumeLine: null,
    });

    // Exactly one message per good row on the topic, hashed, each under its own deterministic id.
    await topic.caughtUp();
    const ours = topic.messages.filter((message) => message.value.account.id.startsWith(`${prefix}-`));
    expect(ours).toHaveLength(csv.good.length);
    expect(new Set(ours.map((message) => message.value.account.id))).toEqual(new Set(csv.good));
    expect(new Set(ours.map((message) => message.value.eventId)).size).toBe(csv.good.length);
    const sample = ours.find((message) => message.value.account.id === `${prefix}-3`);
    expect(sample?.key).toBe(`telegram:${prefix}-3`);
    expect(sample?.value).toMatchObject({
      type: 'account.banned',
      eventId: expect.stringMatching(/^import:[0-9a-f]{32}$/),
      occurredAt: '2026-11-01T10:00:00Z',
      ban: { entity: 'Other Front', reason: 'terrorist content' },
      account: {
        links: ['https://t.me/+invite3', 'https://example.org/3'],
        followeesSignature: encodeSetSignature(followeesSignature(['3', '3']) ?? []),
      },
    });
    expect(sample?.value.account.followees).toBeUndefined();
    expect(sample?.value.account.emailHash).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(ours)).not.toMatch(/@example\.com|198\.51\.100/);
    expect(ours.find((m) => m.value.account.id === `${prefix}-5`)?.value.account.bio).toBe(
      'Official channel.\nBackup of the "media" office, again',
    );

    // A third run has nothing left to send.
    const third = runCli(args);
    expect(await third.exited).toBe(1);
    expect(JSON.parse(third.stdout().trim())).toMatchObject({ imported: 0, duplicates: 0 });
  });

  it('sends JSONL rows as reports for review with --as report, never as bans', async () => {
    const prefix = infra.unique('reported');
    const file = join(dir, 'flagged.jsonl');
    const rows = Array.from({ length: 30 }, (_, i) => ({
      platform: 'instagram',
      id: `${prefix}-${i}`,
      handle: `front_${i}`,
      links: ['https://t.me/+invite1'],
      bannedAt: '2026-11-02T08:00:00Z',
      entity: 'Example Front',
    }));
    await writeFile(file, `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`);
    const run = runCli([
      file,
      '--url',
      url,
      '--as',
      'report',
      '--source',
      'trusted-flagger',
      '--reason',
      'flagged',
    ]);
    expect(await run.exited, run.stderr()).toBe(0);
    expect(JSON.parse(run.stdout().trim())).toMatchObject({ imported: 30, duplicates: 0, rejected: 0 });

    const last = await topic.waitFor((message) => message.value.account.id === `${prefix}-29`);
    expect(last.value).toMatchObject({
      type: 'account.reported',
      eventId: expect.stringMatching(/^report:import:[0-9a-f]{32}$/),
      report: { source: 'trusted-flagger', entity: 'Example Front', reason: 'flagged' },
    });
    expect(last.value.ban).toBeUndefined();
  });

  it('exits 2 when ingest refuses the signature, and on a usage error', async () => {
    const file = join(dir, 'one.csv');
    await writeFile(file, 'platform,id,handle,bannedAt,entity,reason\nx,1,h,2026-11-01T10:00:00Z,E,r\n');
    const refused = runCli([file, '--url', url], { MIRRORWATCH_WEBHOOK_SECRET: 'not-the-secret' });
    expect(await refused.exited).toBe(2);
    expect(refused.stderr()).toContain('401 MW_BAD_SIGNATURE');
    expect(refused.stderr()).not.toContain('not-the-secret');

    const usage = runCli([file, '--batch', '5000']);
    expect(await usage.exited).toBe(2);
    expect(usage.stderr()).toContain('--batch must be an integer from 1 to 1000');
  });
});
