import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ImportOptions, runImport } from './run.js';
import { IngestUnavailableError, type Sender, type SendResult } from './sender.js';

const HEADER = 'platform,id,handle,email,ip,bannedAt,entity,reason';

function csv(rows: number, bad: Record<number, string> = {}): string {
  const lines = [HEADER];
  for (let i = 0; i < rows; i += 1) {
    lines.push(
      bad[i] ??
        `telegram,${i},handle_${i},user${i}@example.com,203.0.113.${i % 250},2026-11-01T10:00:00Z,Front,ban`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** An ingest that remembers ids, like the real one: a resent id is a duplicate. */
function fakeIngest(
  answer?: (items: Array<{ eventId: string }>, call: number) => SendResult | 'down' | undefined,
) {
  const seen = new Set<string>();
  const batches: string[][] = [];
  const sender: Sender = {
    async send(_route, _platform, items) {
      const typed = items as Array<{ eventId: string }>;
      const special = answer?.(typed, batches.length);
      batches.push(typed.map((item) => item.eventId));
      if (special === 'down')
        throw new IngestUnavailableError('ingest answered 503; gave up after 3 attempts', 3);
      if (special) return special;
      let accepted = 0;
      for (const { eventId } of typed) {
        if (!seen.has(eventId)) accepted += 1;
        seen.add(eventId);
      }
      return { kind: 'accepted', accepted, duplicates: typed.length - accepted };
    },
  };
  return { sender, seen, batches };
}

describe('runImport', () => {
  let dir: string;
  let file: string;
  let stderr: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-import-'));
    file = join(dir, 'removed.csv');
    stderr = '';
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const options = (sender: Sender, extra: Partial<ImportOptions> = {}): ImportOptions => ({
    file,
    format: 'csv',
    mode: { as: 'ban' },
    defaults: {},
    batchSize: 10,
    maxBatchBytes: 900 * 1024,
    statePath: `${file}.import-state.json`,
    rejectsPath: `${file}.rejects.jsonl`,
    sender,
    io: { stdout: () => undefined, stderr: (text) => (stderr += text), stderrIsTTY: false },
    ...extra,
  });

  it('sends the good rows in batches and reports the bad ones by line, without their values', async () => {
    await writeFile(
      file,
      csv(25, {
        3: 'telegram,3,handle_3,secret@example.com,300.1.1.1,2026-11-01T10:00:00Z,Front,ban',
        17: 'myspace,17,,x@example.com,203.0.113.1,not-a-date,Front,ban',
      }),
    );
    const ingest = fakeIngest();
    const result = await runImport(options(ingest.sender));
    expect(result).toMatchObject({
      outcome: 'complete',
      summary: { imported: 23, duplicates: 0, rejected: 2 },
    });
    expect(ingest.batches.map((batch) => batch.length)).toEqual([10, 10, 3]);
    const rejects = (await readFile(`${file}.rejects.jsonl`, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rejects).toEqual([
      { line: 5, errors: [{ field: 'ip', message: expect.any(String) }] },
      {
        line: 19,
        errors: expect.arrayContaining([
          { field: 'platform', message: expect.any(String) },
          { field: 'handle', message: 'is required' },
          { field: 'bannedAt', message: expect.any(String) },
        ]),
      },
    ]);
    expect(stderr).toMatch(/^line 5: ip: /m);
    expect(stderr).toMatch(/^line 19: platform: /m);
    expect(`${stderr}${JSON.stringify(rejects)}`).not.toMatch(/secret@example|300\.1\.1\.1|x@example/);
  });

  it('resumes after the last acknowledged batch, and a rerun of a finished import sends nothing', async () => {
    await writeFile(file, csv(30));
    const first = fakeIngest((_items, call) => (call === 2 ? 'down' : undefined));
    expect(await runImport(options(first.sender))).toMatchObject({ outcome: 'unavailable' });
    const state = JSON.parse(await readFile(`${file}.import-state.json`, 'utf8'));
    expect(state).toMatchObject({ nextRow: 20, resumeLine: 22, rowsDone: 20, accepted: 20 });

    const second = fakeIngest();
    for (const id of first.seen) second.seen.add(id);
    expect(await runImport(options(second.sender))).toMatchObject({
      outcome: 'complete',
      summary: { imported: 10, duplicates: 0, earlierRuns: 20 },
    });
    expect(second.batches).toHaveLength(1);
    expect(stderr).toContain('resuming at line 22');

    const third = fakeIngest();
    expect(await runImport(options(third.sender))).toMatchObject({
      outcome: 'complete',
      summary: { imported: 0 },
    });
    expect(third.batches).toHaveLength(0);
  });

  it('starts over when the file changed since the state was written', async () => {
    await writeFile(file, csv(20));
    await runImport(options(fakeIngest().sender));
    await writeFile(file, csv(21));
    const again = fakeIngest();
    await runImport(options(again.sender));
    expect(again.batches.flat()).toHaveLength(21);
    expect(stderr).toContain('different version of the input file');
  });

  it('halves a batch ingest finds too large, and rejects rows ingest names in a 400 while sending the rest', async () => {
    await writeFile(file, csv(8));
    const ingest = fakeIngest((_items, call) => {
      if (call === 0) return { kind: 'too-large' };
      if (call === 1)
        return { kind: 'invalid', fields: [{ index: 1, field: 'account.handle', message: 'is reserved' }] };
      return undefined;
    });
    const result = await runImport(options(ingest.sender));
    expect(ingest.batches.map((batch) => batch.length)).toEqual([8, 4, 3, 4]);
    expect(result).toMatchObject({ outcome: 'complete', summary: { imported: 7, rejected: 1 } });
    expect(await readFile(`${file}.rejects.jsonl`, 'utf8')).toBe(
      `${JSON.stringify({ line: 3, errors: [{ field: 'account.handle', message: 'is reserved' }] })}\n`,
    );
  });

  it('stops at a refusal such as a bad signature, keeping what was acknowledged', async () => {
    await writeFile(file, csv(15));
    const ingest = fakeIngest((_items, call) =>
      call === 1
        ? { kind: 'refused', status: 401, code: 'MW_BAD_SIGNATURE', message: 'bad signature' }
        : undefined,
    );
    const result = await runImport(options(ingest.sender));
    expect(result).toMatchObject({
      outcome: 'refused',
      message: expect.stringContaining('401 MW_BAD_SIGNATURE'),
    });
    expect(JSON.parse(await readFile(`${file}.import-state.json`, 'utf8'))).toMatchObject({ nextRow: 10 });
  });

  it('batches a file that mixes platforms per platform, and resumes at the oldest row not acknowledged', async () => {
    const lines = [HEADER];
    for (let i = 0; i < 40; i += 1) {
      const platform = i === 1 ? 'whatsapp' : i % 2 === 0 ? 'telegram' : 'x';
      lines.push(`${platform},${i},h${i},,,2026-11-01T10:00:00Z,Front,ban`);
    }
    await writeFile(file, `${lines.join('\n')}\n`);
    const first = fakeIngest((_items, call) => (call === 2 ? 'down' : undefined));
    expect(await runImport(options(first.sender))).toMatchObject({ outcome: 'unavailable' });
    // telegram went in a full batch of 10; the lone whatsapp row once it had waited 2 batches'
    // worth of rows; ingest went away before the batch of x (from row 3, line 5) was acknowledged.
    expect(first.batches.map((batch) => batch.length)).toEqual([10, 1, 10]);
    const state = JSON.parse(await readFile(`${file}.import-state.json`, 'utf8'));
    expect(state).toMatchObject({ nextRow: 3, resumeLine: 5, rowsDone: 3, accepted: 11 });

    const second = fakeIngest();
    for (const id of first.seen) second.seen.add(id);
    expect(await runImport(options(second.sender))).toMatchObject({
      outcome: 'complete',
      summary: { imported: 29, duplicates: 8, earlierRuns: 3 },
    });
    expect(second.batches.flat()).toHaveLength(37);
    expect(second.seen.size).toBe(40);
  });

  it('stops between batches once aborted', async () => {
    await writeFile(file, csv(30));
    const controller = new AbortController();
    const ingest = fakeIngest(() => {
      controller.abort();
      return undefined;
    });
    const result = await runImport(options(ingest.sender, { signal: controller.signal }));
    expect(result.outcome).toBe('interrupted');
    expect(ingest.batches).toHaveLength(1);
  });
});
