import { createHash } from 'node:crypto';
import { appendFile, rm, writeFile } from 'node:fs/promises';
import type { Platform } from '@mirrorwatch/schemas';
import { type FileIdentity, type InputFormat, type InputRow, readRows } from './input.js';
import { createProgress } from './progress.js';
import { checkRow, type FieldError, type ImportMode, type RowDefaults } from './rows.js';
import { IngestUnavailableError, type Route, type Sender } from './sender.js';
import { type ImportState, loadState, saveState } from './state.js';

export interface ImportIo {
  stdout(text: string): void;
  stderr(text: string): void;
  stderrIsTTY: boolean;
}

export interface ImportOptions {
  file: string;
  format: InputFormat;
  mode: ImportMode;
  defaults: RowDefaults;
  /** Most rows per request (ingest takes 1000). */
  batchSize: number;
  /** Most bytes per request body, below ingest's limit; a 413 still halves the batch. */
  maxBatchBytes: number;
  statePath: string;
  rejectsPath: string;
  sender: Sender;
  io: ImportIo;
  /** Aborting stops the import after the request in flight, its progress saved. */
  signal?: AbortSignal;
  now?: () => number;
  /** Rejected rows listed one by one on stderr; the rest are counted (all are in the rejects file). */
  maxListedRejects?: number;
}

/** A row that will not be imported, as written to the rejects file: no field values, ever. */
export interface Rejection {
  line: number;
  errors: FieldError[];
}

export interface ImportSummary {
  /** Rows ingest accepted as new in this run. */
  imported: number;
  /** Rows ingest already had (a resend, a repeated row). */
  duplicates: number;
  rejected: number;
  seconds: number;
  /** Rows acknowledged in earlier, interrupted runs of the same import. */
  earlierRuns?: number;
}

export type ImportOutcome =
  | { outcome: 'complete'; summary: ImportSummary }
  | { outcome: 'interrupted'; summary: ImportSummary }
  | { outcome: 'refused'; summary: ImportSummary; message: string }
  | { outcome: 'unavailable'; summary: ImportSummary; message: string };

class RefusedError extends Error {}

interface Batch {
  platform: Platform;
  route: Route;
  items: unknown[];
  rows: BatchRow[];
  bytes: number;
}

interface BatchRow {
  index: number;
  line: number;
  /** Position among the good rows (what progress counts). */
  ordinal: number;
}

/**
 * Imports a file of already-removed accounts through ingest, in two passes over the file: the
 * first checks every row (the rejects are reported before anything is sent) and identifies the
 * file's content; the second sends the good rows in file order, in batches of one platform,
 * recording after every acknowledged batch how far it got. A rerun resumes there.
 */
export async function runImport(options: ImportOptions): Promise<ImportOutcome> {
  const { io, sender, mode, defaults } = options;
  const now = options.now ?? Date.now;
  const started = now();

  // Pass 1: validate everything, count the good rows, identify the file.
  const identity: { value?: FileIdentity } = {};
  const rejections: Rejection[] = [];
  let goodRows = 0;
  for await (const row of readRows(options.file, options.format, identity)) {
    const checked = check(row, defaults, mode);
    if (checked.ok) goodRows += 1;
    else rejections.push({ line: row.line, errors: checked.errors });
  }
  const file = identity.value as FileIdentity;
  await reportRejections(rejections, options);

  const settings = settingsFingerprint(mode, defaults);
  const loaded = await loadState(options.statePath, file, settings);
  let state: ImportState = {
    version: 1,
    file,
    settings,
    nextRow: 0,
    resumeLine: null,
    rowsDone: 0,
    accepted: 0,
    duplicates: 0,
    updatedAt: new Date(now()).toISOString(),
  };
  if (loaded.kind === 'stale') {
    io.stderr(
      `import: not resuming from ${options.statePath}: ${loaded.reason}; starting from the first row\n`,
    );
  } else if (loaded.kind === 'resume') {
    state = loaded.state;
    if (state.rowsDone >= goodRows) io.stderr(`import: every row of ${options.file} was already imported\n`);
    else
      io.stderr(
        `import: resuming at line ${state.resumeLine ?? '?'} (${state.rowsDone.toLocaleString('en-US')} rows imported before)\n`,
      );
  }
  const earlier = { accepted: state.accepted, duplicates: state.duplicates, rowsDone: state.rowsDone };
  const counts = { accepted: 0, duplicates: 0, serverRejected: 0 };

  const summary = (): ImportSummary => ({
    imported: counts.accepted,
    duplicates: counts.duplicates,
    rejected: rejections.length,
    seconds: Math.round((now() - started) / 100) / 10,
    ...(earlier.rowsDone > 0 && { earlierRuns: earlier.rowsDone }),
  });

  const progress = createProgress({
    total: goodRows,
    alreadyDone: state.rowsDone,
    write: io.stderr,
    tty: io.stderrIsTTY,
    now,
  });

  async function rejectAtServer(rows: Batch['rows'], errors: Map<number, FieldError[]>): Promise<void> {
    const added = rows.flatMap((row, position) => {
      const found = errors.get(position);
      return found ? [{ line: row.line, errors: found }] : [];
    });
    rejections.push(...added);
    counts.serverRejected += added.length;
    await appendFile(options.rejectsPath, added.map((r) => `${JSON.stringify(r)}\n`).join(''));
    for (const rejection of added) io.stderr(`${formatRejection(rejection)} (refused by ingest)\n`);
  }

  /** Sends a batch until every row in it is accepted, a duplicate or rejected. */
  async function deliver(batch: Batch): Promise<void> {
    const result = await sender.send(batch.route, batch.platform, batch.items);
    if (result.kind === 'accepted') {
      counts.accepted += result.accepted;
      counts.duplicates += result.duplicates;
      return;
    }
    if (result.kind === 'too-large') {
      if (batch.items.length === 1) {
        await rejectAtServer(
          batch.rows,
          new Map([[0, [{ field: '(row)', message: 'is larger than ingest accepts in one request' }]]]),
        );
        return;
      }
      const half = Math.ceil(batch.items.length / 2);
      await deliver(slice(batch, 0, half));
      await deliver(slice(batch, half, batch.items.length));
      return;
    }
    if (result.kind === 'invalid') {
      const errors = new Map<number, FieldError[]>();
      for (const { index, field, message } of result.fields) {
        if (index === undefined || index >= batch.items.length)
          throw new RefusedError(`ingest refused the batch: ${field}: ${message}`);
        errors.set(index, [...(errors.get(index) ?? []), { field, message }]);
      }
      await rejectAtServer(batch.rows, errors);
      const keep = batch.items.map((_, i) => i).filter((i) => !errors.has(i));
      if (keep.length > 0) {
        await deliver({
          ...batch,
          items: keep.map((i) => batch.items[i]),
          rows: keep.map((i) => batch.rows[i] as BatchRow),
        });
      }
      return;
    }
    const hint =
      result.status === 401
        ? ' (is MIRRORWATCH_WEBHOOK_SECRET, or MIRRORWATCH_WEBHOOK_SECRETS, the secret ingest has for this platform?)'
        : '';
    throw new RefusedError(
      `ingest refused the import: ${result.status} ${result.code}: ${result.message}${hint}`,
    );
  }

  /**
   * Pending batches, one per platform, so a file mixing platforms still goes in full requests.
   * Everything before the oldest pending row has been acknowledged: that row is where a rerun
   * starts (rows acknowledged after it are sent again and counted as duplicates).
   */
  const pending = new Map<Platform, Batch>();
  let rowsProcessed = state.rowsDone;

  /** Sends one pending batch and records how far the file is now acknowledged. */
  async function flush(batch: Batch, cursor: BatchRow | 'end'): Promise<void> {
    await deliver(batch);
    pending.delete(batch.platform);
    rowsProcessed += batch.rows.length;
    const oldest = [...pending.values()]
      .map((open) => open.rows[0] as BatchRow)
      .reduce<BatchRow | undefined>((a, b) => (a === undefined || b.index < a.index ? b : a), undefined);
    const next = oldest ?? cursor;
    state = {
      ...state,
      ...(next === 'end'
        ? {
            nextRow: lastIndex + 1,
            rowsDone: rowsProcessed,
            resumeLine: null,
          }
        : { nextRow: next.index, rowsDone: next.ordinal, resumeLine: next.line }),
      accepted: earlier.accepted + counts.accepted,
      duplicates: earlier.duplicates + counts.duplicates,
      updatedAt: new Date(now()).toISOString(),
    };
    await saveState(options.statePath, state);
    progress.update(rowsProcessed);
  }

  /** Sends the batches that have waited this many rows, so one rare platform does not hold the resume point back. */
  const staleAfterRows = 2 * options.batchSize;
  let lastIndex = state.nextRow - 1;

  // Pass 2: send the good rows after the resume point.
  try {
    let ordinal = state.rowsDone;
    for await (const row of readRows(options.file, options.format)) {
      lastIndex = row.index;
      if (row.index < state.nextRow) continue;
      const checked = check(row, defaults, mode);
      if (!checked.ok) continue;
      const here: BatchRow = { index: row.index, line: row.line, ordinal };
      ordinal += 1;
      const item = checked.item;
      const bytes = Buffer.byteLength(JSON.stringify(item)) + 1;
      const full = pending.get(checked.platform);
      if (full && (full.items.length >= options.batchSize || full.bytes + bytes > options.maxBatchBytes)) {
        await flush(full, here);
      }
      for (const open of [...pending.values()]) {
        if (row.index - (open.rows[0] as BatchRow).index >= staleAfterRows) await flush(open, here);
      }
      if (options.signal?.aborted) return { outcome: 'interrupted', summary: summary() };
      let batch = pending.get(checked.platform);
      if (!batch) {
        batch = {
          platform: checked.platform,
          route: checked.kind === 'event' ? 'webhooks' : 'reports',
          items: [],
          rows: [],
          bytes: 32,
        };
        pending.set(checked.platform, batch);
      }
      batch.items.push(item);
      batch.rows.push(here);
      batch.bytes += bytes;
    }
    const rest = [...pending.values()].sort(
      (a, b) => (a.rows[0] as BatchRow).index - (b.rows[0] as BatchRow).index,
    );
    for (const batch of rest) await flush(batch, 'end');
    // Rejected rows at the end are done too: a rerun has nothing left to look at.
    if (state.nextRow <= lastIndex) {
      state = {
        ...state,
        nextRow: lastIndex + 1,
        resumeLine: null,
        updatedAt: new Date(now()).toISOString(),
      };
      await saveState(options.statePath, state);
    }
  } catch (error) {
    if (error instanceof RefusedError)
      return { outcome: 'refused', summary: summary(), message: error.message };
    if (error instanceof IngestUnavailableError)
      return { outcome: 'unavailable', summary: summary(), message: error.message };
    throw error;
  } finally {
    progress.finish(rowsProcessed);
  }
  return { outcome: 'complete', summary: summary() };
}

function check(row: InputRow, defaults: RowDefaults, mode: ImportMode) {
  if (row.values === undefined)
    return { ok: false as const, errors: [{ field: '(row)', message: row.error ?? 'unreadable' }] };
  return checkRow(row.values, defaults, mode);
}

function slice(batch: Batch, start: number, end: number): Batch {
  return { ...batch, items: batch.items.slice(start, end), rows: batch.rows.slice(start, end) };
}

/** What decides each row's id and destination: a state written under other settings is not reused. */
function settingsFingerprint(mode: ImportMode, defaults: RowDefaults): string {
  const settings = JSON.stringify([
    mode.as,
    mode.as === 'report' ? mode.source : null,
    defaults.platform ?? null,
    defaults.entity ?? null,
    defaults.reason ?? null,
  ]);
  return createHash('sha256').update(settings).digest('hex').slice(0, 16);
}

export function formatRejection(rejection: Rejection): string {
  return `line ${rejection.line}: ${rejection.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`;
}

/** The validation report: every rejected row to the rejects file, the first ones to stderr. */
async function reportRejections(rejections: Rejection[], options: ImportOptions): Promise<void> {
  const { io } = options;
  if (rejections.length === 0) {
    await rm(options.rejectsPath, { force: true });
    return;
  }
  await writeFile(options.rejectsPath, rejections.map((r) => `${JSON.stringify(r)}\n`).join(''));
  const listed = options.maxListedRejects ?? 50;
  for (const rejection of rejections.slice(0, listed)) io.stderr(`${formatRejection(rejection)}\n`);
  if (rejections.length > listed) io.stderr(`… and ${rejections.length - listed} more\n`);
  io.stderr(
    `import: ${rejections.length.toLocaleString('en-US')} row${rejections.length === 1 ? '' : 's'} rejected and not sent (listed in ${options.rejectsPath}); the other rows go ahead\n`,
  );
}
