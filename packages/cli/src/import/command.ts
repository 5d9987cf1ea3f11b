import { access } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { MAX_EVENTS_PER_REQUEST, PLATFORMS, type Platform } from '@mirrorwatch/schemas';
import { UsageError } from '../usage.js';
import { detectFormat, InputError } from './input.js';
import type { ImportMode } from './rows.js';
import { type ImportIo, type ImportOutcome, runImport } from './run.js';
import { createSender } from './sender.js';

export const IMPORT_USAGE = `usage: mirrorwatch import FILE [options]

Sends accounts a platform has already removed through ingest, signed like the platform's own
webhooks: each row becomes an account.banned event (POST /v1/webhooks/:platform). With
--as report --source NAME each row becomes a report instead (POST /v1/reports/:platform):
a lead for moderators to review, never a ban.

FILE is CSV with a header row (RFC 4180 quoting) or JSONL, by extension (.csv, .jsonl, .ndjson)
or --format. Columns: platform, id, handle, displayName, bio, links, avatarPdq, email, phone,
deviceId, ip, followees, createdAt, bannedAt, entity, reason, policy. In CSV, links and followees
are |-separated; an empty cell is an absent field. Required per row: id, handle, bannedAt (ISO
8601, sent as occurredAt), and platform, entity and reason unless given as defaults below.

Every row is checked against the contract first. A bad row is reported with its line number and
each bad field, on stderr and in FILE.rejects.jsonl, and is not sent; the good rows go ahead.
Each row's id is derived from platform|id|entity|bannedAt, so a row sent twice is counted as a
duplicate, never imported twice. Progress is saved after every batch ingest acknowledged; run the
same command again after an interruption and it resumes there.

options:
  --url URL          ingest's base URL (default http://127.0.0.1:8080)
  --platform NAME    platform of rows without one (${PLATFORMS.join(', ')})
  --entity NAME      entity of rows without one
  --reason TEXT      reason of rows without one
  --as ban|report    send rows as bans (default) or as reports
  --source NAME      who reports them (required with --as report)
  --format csv|jsonl input format, when the extension does not say
  --batch N          rows per request, 1-${MAX_EVENTS_PER_REQUEST} (default 500)
  --state FILE       progress file (default FILE.import-state.json)
  --retries N        attempts per request while ingest is unreachable or answers 503 (default 8)
  -h, --help         this text

environment:
  MIRRORWATCH_WEBHOOK_SECRET   the signing secret ingest has for the platform(s)
  MIRRORWATCH_WEBHOOK_SECRETS  per platform, as ingest's WEBHOOK_SECRETS: x=s1,telegram=s2
  Without either, rows are signed with the development secret dev-secret, which only an
  ingest in development mode accepts. Secrets are never taken on the command line.

exit status: 0 every row imported · 1 some rows rejected (the others imported) ·
  2 usage error, or ingest refused or stayed unreachable (progress saved) · 130 interrupted
`;

const DEV_SECRET = 'dev-secret';
/** Below ingest's default 1 MiB body limit, with room to spare. */
const MAX_BATCH_BYTES = 900 * 1024;

export interface ImportCommandContext {
  env: Record<string, string | undefined>;
  io: ImportIo;
  signal?: AbortSignal;
}

/** `mirrorwatch import`: reads the command line and the environment, runs the import, maps its outcome to an exit code. */
export async function importCommand(args: string[], context: ImportCommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8080' },
      platform: { type: 'string' },
      entity: { type: 'string' },
      reason: { type: 'string' },
      as: { type: 'string', default: 'ban' },
      source: { type: 'string' },
      format: { type: 'string' },
      batch: { type: 'string', default: '500' },
      state: { type: 'string' },
      retries: { type: 'string', default: '8' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const { io } = context;
  if (values.help) {
    io.stdout(IMPORT_USAGE);
    return 0;
  }
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new UsageError('import takes exactly one FILE');
  if (values.platform !== undefined && !(PLATFORMS as readonly string[]).includes(values.platform))
    throw new UsageError(`--platform must be one of ${PLATFORMS.join(', ')}`);
  const mode = importMode(values.as, values.source);
  const batchSize = boundedInteger('batch', values.batch, 1, MAX_EVENTS_PER_REQUEST);
  const attempts = boundedInteger('retries', values.retries, 1, 100);
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    throw new UsageError(`--url "${values.url}" is not a URL`);
  }
  let format: ReturnType<typeof detectFormat>;
  try {
    format = detectFormat(file, values.format);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (
    !(await access(file).then(
      () => true,
      () => false,
    ))
  ) {
    io.stderr(`mirrorwatch import: cannot read "${file}"\n`);
    return 2;
  }
  const secretFor = secrets(context.env, io);

  let outcome: ImportOutcome;
  try {
    outcome = await runImport({
      file,
      format,
      mode,
      defaults: {
        ...(values.platform !== undefined && { platform: values.platform }),
        ...(values.entity !== undefined && { entity: values.entity }),
        ...(values.reason !== undefined && { reason: values.reason }),
      },
      batchSize,
      maxBatchBytes: MAX_BATCH_BYTES,
      statePath: values.state ?? `${file}.import-state.json`,
      rejectsPath: `${file}.rejects.jsonl`,
      sender: createSender({
        url: url.toString(),
        secretFor,
        retry: { attempts, initialDelayMs: 500, maxDelayMs: 30_000 },
        onRetry: ({ attempt, delayMs, reason }) =>
          io.stderr(
            `${io.stderrIsTTY ? '\n' : ''}import: ${reason}; retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${attempts})\n`,
          ),
      }),
      io,
      ...(context.signal && { signal: context.signal }),
    });
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr(`mirrorwatch import: ${basename(file)}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }

  const { summary } = outcome;
  const earlier = summary.earlierRuns
    ? `, ${summary.earlierRuns.toLocaleString('en-US')} in earlier runs`
    : '';
  io.stderr(
    `import: ${summary.imported.toLocaleString('en-US')} imported, ${summary.duplicates.toLocaleString('en-US')} duplicates, ` +
      `${summary.rejected.toLocaleString('en-US')} rejected in ${summary.seconds} s${earlier}\n`,
  );
  io.stdout(`${JSON.stringify({ outcome: outcome.outcome, ...summary })}\n`);
  switch (outcome.outcome) {
    case 'complete':
      return summary.rejected > 0 ? 1 : 0;
    case 'interrupted':
      io.stderr('import: interrupted; progress is saved, run the same command again to resume\n');
      return 130;
    case 'refused':
      io.stderr(`mirrorwatch import: ${outcome.message}\n`);
      return 2;
    case 'unavailable':
      io.stderr(
        `mirrorwatch import: ${outcome.message}; progress is saved, run the same command again to resume\n`,
      );
      return 2;
  }
}

function importMode(as: string | undefined, source: string | undefined): ImportMode {
  if (as === 'ban') {
    if (source !== undefined) throw new UsageError('--source only applies with --as report');
    return { as: 'ban' };
  }
  if (as === 'report') {
    if (!source?.trim()) throw new UsageError('--as report needs --source NAME (who reports these accounts)');
    return { as: 'report', source: source.trim() };
  }
  throw new UsageError(`--as must be ban or report, not "${as}"`);
}

function boundedInteger(name: string, value: string | undefined, min: number, max: number): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
  return parsed;
}

/** The signing secret per platform, from the environment only. */
function secrets(env: Record<string, string | undefined>, io: ImportIo): (platform: Platform) => string {
  const perPlatform = new Map<string, string>();
  for (const pair of (env.MIRRORWATCH_WEBHOOK_SECRETS ?? '').split(',').map((part) => part.trim())) {
    if (!pair) continue;
    const separator = pair.indexOf('=');
    const platform = pair.slice(0, separator);
    if (separator <= 0 || !(PLATFORMS as readonly string[]).includes(platform) || !pair.slice(separator + 1))
      throw new UsageError('MIRRORWATCH_WEBHOOK_SECRETS must look like platform=secret,platform=secret');
    perPlatform.set(platform, pair.slice(separator + 1));
  }
  const single = env.MIRRORWATCH_WEBHOOK_SECRET || undefined;
  if (single === undefined && perPlatform.size === 0) {
    io.stderr(
      'import: warning: MIRRORWATCH_WEBHOOK_SECRET is not set; signing with the development secret "dev-secret", which only an ingest in development mode accepts\n',
    );
  }
  return (platform) => {
    const secret = perPlatform.get(platform) ?? single ?? (perPlatform.size === 0 ? DEV_SECRET : undefined);
    if (secret === undefined)
      throw new UsageError(
        `MIRRORWATCH_WEBHOOK_SECRETS has no secret for ${platform} (and MIRRORWATCH_WEBHOOK_SECRET is not set)`,
      );
    return secret;
  };
}
