import { pipelined, type Redis } from '@mirrorwatch/redis';
import {
  type Alert,
  type AlertFilter,
  type AlertStatus,
  alertMatchesFilter,
  Decision,
} from '@mirrorwatch/schemas';
import { z } from 'zod';
import type { AlertBody } from './merge.js';

/** What a decision records with the alert: who, what, when, and why. */
export const DecisionRecord = z.object({
  decision: Decision,
  decidedBy: z.string(),
  decidedAt: z.string(),
  note: z.string().optional(),
});
export type DecisionRecord = z.infer<typeof DecisionRecord>;

export interface StoredAlert {
  alert: Alert;
  decision?: DecisionRecord;
}

export type DecideResult =
  | { outcome: 'decided' }
  | { outcome: 'already-decided'; existing: DecisionRecord }
  | { outcome: 'missing' };

// Status lives in its own field of the alert's hash, so the match consumer (which rewrites the
// body) and a decision (which sets the status) never overwrite each other. One key per command.
const DECIDE = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'missing'} end
if status ~= 'open' then return {'already-decided', redis.call('HGET', KEYS[1], 'decision')} end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'decision', ARGV[2])
return {'decided'}
`;

const BY_CREATED = 'alerts:by-created';
const AUDIT = 'audit';
/** Moderator decisions as labelled pairs (comparison levels, never profile data), for `mirrorwatch train`. */
export const LABELS = 'labels';
const alertKey = (id: string) => `alert:${id}`;
/** The banned accounts a candidate was dismissed against; one key per candidate (one slot each). */
const suppressedKey = (candidate: string) => `suppressed:${candidate}`;
const accountOf = (entry: { platform: string; accountId: string }) => `${entry.platform}:${entry.accountId}`;
const STATUS_OF: Record<Decision, AlertStatus> = { confirm: 'confirmed', dismiss: 'dismissed' };

/** Alerts in Redis: one hash per alert (body, status, decision), an index by creation time, the audit stream. */
export class AlertStore {
  constructor(private readonly redis: Redis) {
    if (!('mwDecideAlert' in redis)) redis.defineCommand('mwDecideAlert', { numberOfKeys: 1, lua: DECIDE });
  }

  async loadMany(ids: readonly string[]): Promise<(StoredAlert | undefined)[]> {
    if (ids.length === 0) return [];
    const replies = await pipelined(this.redis, (pipeline) => {
      for (const id of ids) pipeline.hmget(alertKey(id), 'body', 'status', 'decision');
    });
    return replies.map((fields) => {
      const [body, status, decision] = fields as (string | null)[];
      if (!body) return undefined;
      return {
        alert: { ...(JSON.parse(body) as AlertBody), status: (status ?? 'open') as AlertStatus },
        ...(decision ? { decision: DecisionRecord.parse(JSON.parse(decision)) } : {}),
      };
    });
  }

  async load(id: string): Promise<StoredAlert | undefined> {
    return (await this.loadMany([id]))[0];
  }

  /** Writes changed bodies; new alerts also get status `open` and a place in the time index. */
  async saveMany(changes: readonly { body: AlertBody; created: boolean }[]): Promise<void> {
    if (changes.length === 0) return;
    await pipelined(this.redis, (pipeline) => {
      for (const { body, created } of changes) {
        pipeline.hset(alertKey(body.id), 'body', JSON.stringify(body));
        if (created) {
          pipeline.hsetnx(alertKey(body.id), 'status', 'open');
          pipeline.zadd(BY_CREATED, Date.parse(body.createdAt), body.id);
        }
      }
    });
  }

  /** Sets the decision only while the alert is open: of two concurrent decisions, one wins. */
  async decide(id: string, record: DecisionRecord): Promise<DecideResult> {
    const reply = (await (
      this.redis as unknown as { mwDecideAlert(key: string, ...args: string[]): Promise<(string | null)[]> }
    ).mwDecideAlert(alertKey(id), STATUS_OF[record.decision], JSON.stringify(record))) as (string | null)[];
    if (reply[0] === 'missing') return { outcome: 'missing' };
    if (reply[0] === 'already-decided')
      return { outcome: 'already-decided', existing: DecisionRecord.parse(JSON.parse(reply[1] ?? '{}')) };
    return { outcome: 'decided' };
  }

  /**
   * What a decision teaches: every pair the alert held becomes a labelled pair (its comparison
   * levels and the verdict), and a dismissal suppresses the candidate's pairs so they never
   * alert again. Reports carry no comparison levels and teach the model nothing.
   */
  async learn(alert: Alert, record: DecisionRecord): Promise<void> {
    const candidate = accountOf(alert.candidate);
    const scored = alert.matches.filter((match) => match.via !== 'report');
    await pipelined(this.redis, (pipeline) => {
      if (record.decision === 'dismiss' && alert.matches.length > 0)
        pipeline.sadd(suppressedKey(candidate), ...alert.matches.map(accountOf));
      for (const match of scored) {
        const levels = Object.fromEntries(
          match.evidence.flatMap((line) => (line.level ? [[line.signal, line.level]] : [])),
        );
        pipeline.xadd(
          LABELS,
          '*',
          'label',
          JSON.stringify({
            alertId: alert.id,
            candidate,
            banned: accountOf(match),
            entity: match.entity,
            match: record.decision === 'confirm',
            levels,
            modelVersion: match.modelVersion,
            decidedAt: record.decidedAt,
          }),
        );
      }
    });
  }

  /** Per candidate (`platform:accountId`), the banned accounts it was dismissed against. */
  async suppressedFor(candidates: readonly string[]): Promise<Map<string, Set<string>>> {
    const unique = [...new Set(candidates)];
    const replies = await pipelined(this.redis, (pipeline) => {
      for (const candidate of unique) pipeline.smembers(suppressedKey(candidate));
    });
    return new Map(unique.map((candidate, n) => [candidate, new Set(replies[n] as string[])]));
  }

  /** Appends to the audit trail, a Redis stream nothing rewrites. */
  async audit(entry: Record<string, string>): Promise<string> {
    const id = await this.redis.xadd(AUDIT, '*', ...Object.entries(entry).flat());
    return id ?? '';
  }

  async auditEntries(count = 100): Promise<Array<{ id: string; fields: Record<string, string> }>> {
    const entries = await this.redis.xrevrange(AUDIT, '+', '-', 'COUNT', count);
    return entries.map(([id, flat]) => {
      const fields: Record<string, string> = {};
      for (let n = 0; n + 1 < flat.length; n += 2) fields[flat[n] as string] = flat[n + 1] as string;
      return { id, fields };
    });
  }

  /**
   * Newest first. The cursor is the last returned alert's `createdAtMs:id`; alerts created later
   * do not shift the pages already handed out.
   */
  async list(
    filter: AlertFilter,
    limit: number,
    cursor?: string,
  ): Promise<{ alerts: Alert[]; nextCursor?: string }> {
    const [cursorScore, cursorId] = cursor ? parseCursor(cursor) : [Number.POSITIVE_INFINITY, undefined];
    // One more than asked for, to know whether there is a next page.
    const found: Array<{ alert: Alert; cursor: string }> = [];
    const done = () => {
      const alerts = found.slice(0, limit).map((item) => item.alert);
      const last = found[limit - 1];
      return found.length > limit && last ? { alerts, nextCursor: last.cursor } : { alerts };
    };
    let max = cursorScore === Number.POSITIVE_INFINITY ? '+inf' : String(cursorScore);
    let skipThrough = cursorId;
    const page = Math.max(limit * 2, 100);
    for (;;) {
      const flat = await this.redis.zrevrangebyscore(BY_CREATED, max, '-inf', 'WITHSCORES', 'LIMIT', 0, page);
      const entries: Array<{ id: string; score: number }> = [];
      for (let n = 0; n + 1 < flat.length; n += 2)
        entries.push({ id: flat[n] as string, score: Number(flat[n + 1]) });
      // Same-score members come in reverse id order; skip those at or above the cursor's.
      const fresh = entries.filter(
        (entry) => !(skipThrough !== undefined && entry.score === Number(max) && entry.id >= skipThrough),
      );
      const loaded = await this.loadMany(fresh.map((entry) => entry.id));
      for (const [n, stored] of loaded.entries()) {
        const entry = fresh[n];
        if (!stored || !entry || !alertMatchesFilter(stored.alert, filter)) continue;
        found.push({ alert: stored.alert, cursor: `${entry.score}:${entry.id}` });
        if (found.length > limit) return done();
      }
      const last = entries[entries.length - 1];
      if (!last || entries.length < page) return done();
      max = String(last.score);
      skipThrough = last.id;
    }
  }
}

function parseCursor(cursor: string): [number, string] {
  const at = cursor.indexOf(':');
  const score = Number(cursor.slice(0, at));
  if (at < 0 || !Number.isFinite(score)) throw new Error('malformed cursor');
  return [score, cursor.slice(at + 1)];
}
