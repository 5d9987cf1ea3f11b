import { createHash } from 'node:crypto';
import { Event, PLATFORMS, Platform, Report } from '@mirrorwatch/schemas';

/** Fields of the account, copied as they are (lists split on `|` when they come as text). */
const ACCOUNT_FIELDS = [
  'id',
  'handle',
  'displayName',
  'bio',
  'links',
  'avatarPdq',
  'email',
  'phone',
  'deviceId',
  'ip',
  'followees',
  'createdAt',
] as const;

/** The columns (CSV) or fields (JSONL) of an import row. */
export const COLUMNS = ['platform', ...ACCOUNT_FIELDS, 'bannedAt', 'entity', 'reason', 'policy'] as const;
const LIST_FIELDS = new Set(['links', 'followees']);

/**
 * How rows are sent: as the platform's own `account.banned` events, or as reports from `source`
 * (leads for human review, never bans).
 */
export type ImportMode = { as: 'ban' } | { as: 'report'; source: string };

/** Values used for rows that leave a column empty. */
export interface RowDefaults {
  platform?: string;
  entity?: string;
  reason?: string;
}

/** A problem with one field of a row. Messages never repeat the value. */
export interface FieldError {
  field: string;
  message: string;
}

export type CheckedRow =
  | { ok: true; platform: Platform; kind: 'event'; item: Event }
  | { ok: true; platform: Platform; kind: 'report'; item: Report }
  | { ok: false; errors: FieldError[] };

/**
 * Turns an import row into the contract Event (`account.banned`) or Report it will be sent as,
 * validated with the same schemas ingest applies, or says what is wrong with each field. The
 * event id (report id) is derived from the row, so sending the same row again is a duplicate.
 */
export function checkRow(
  values: Record<string, unknown>,
  defaults: RowDefaults,
  mode: ImportMode,
): CheckedRow {
  const errors: FieldError[] = [];
  const known = new Set<string>(COLUMNS);
  for (const name of Object.keys(values)) {
    if (!known.has(name)) errors.push({ field: name, message: 'is not a known field' });
  }

  const platformValue = values.platform ?? defaults.platform;
  const platform = Platform.safeParse(platformValue);
  if (!platform.success) {
    errors.push({
      field: 'platform',
      message:
        platformValue === undefined
          ? 'is required (or pass --platform)'
          : `must be one of ${PLATFORMS.join(', ')}`,
    });
  }

  const account: Record<string, unknown> = {};
  for (const name of ACCOUNT_FIELDS) {
    const value = values[name];
    if (value === undefined) continue;
    account[name] = LIST_FIELDS.has(name) && typeof value === 'string' ? splitList(value) : value;
  }
  const entity = values.entity ?? defaults.entity;
  const reason = values.reason ?? defaults.reason;
  const placeholderId = 'import:pending';
  const candidate =
    mode.as === 'ban'
      ? {
          eventId: placeholderId,
          type: 'account.banned',
          occurredAt: values.bannedAt,
          account,
          ban: { entity, reason, ...(values.policy !== undefined && { policy: values.policy }) },
        }
      : {
          reportId: placeholderId,
          occurredAt: values.bannedAt,
          source: mode.source,
          entity,
          reason,
          account,
        };
  const parsed = mode.as === 'ban' ? Event.safeParse(candidate) : Report.safeParse(candidate);
  if (!parsed.success) errors.push(...fieldErrors(parsed.error, candidate));
  if (errors.length > 0 || !parsed.success || !platform.success) return { ok: false, errors };

  const id = importId(mode, platform.data, parsed.data.account.id, String(entity), parsed.data.occurredAt);
  if (mode.as === 'ban') {
    return {
      ok: true,
      platform: platform.data,
      kind: 'event',
      item: { ...(parsed.data as Event), eventId: id },
    };
  }
  return {
    ok: true,
    platform: platform.data,
    kind: 'report',
    item: { ...(parsed.data as Report), reportId: id },
  };
}

/**
 * `import:` and 32 hex of sha256(platform|id|entity|bannedAt), and `|source` for reports: the
 * same row always gets the same id, so ingest counts a resend as a duplicate.
 */
export function importId(
  mode: ImportMode,
  platform: string,
  id: string,
  entity: string,
  bannedAt: string,
): string {
  const instant = new Date(bannedAt);
  const at = Number.isNaN(instant.getTime()) ? bannedAt : instant.toISOString();
  const parts = [platform, id, entity, at, ...(mode.as === 'report' ? [mode.source] : [])];
  return `import:${createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 32)}`;
}

function splitList(value: string): string[] {
  return value
    .split('|')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** Schema paths back to the row's own field names. */
function fieldName(path: ReadonlyArray<PropertyKey>): string {
  const [first, second, ...rest] = path.map(String);
  if (first === 'account' && second !== undefined) return [second, ...rest].join('.');
  if (first === 'ban' && second !== undefined) return second;
  if (first === 'occurredAt') return 'bannedAt';
  if (first === 'source') return '--source';
  return path.map(String).join('.') || '(row)';
}

const DEFAULT_OPTION: Record<string, string> = { entity: '--entity', reason: '--reason' };

/** The issues of a failed zod parse. */
interface Issues {
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>;
}

function fieldErrors(error: Issues, candidate: unknown): FieldError[] {
  return error.issues.map((issue) => {
    const field = fieldName(issue.path);
    const missing = valueAt(candidate, issue.path) === undefined;
    const option = DEFAULT_OPTION[field];
    const message = missing ? `is required${option ? ` (or pass ${option})` : ''}` : issue.message;
    return { field, message };
  });
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
