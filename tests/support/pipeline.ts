import { buildApp as buildAlerts } from '@mirrorwatch/alerts/app';
import { loadAlertsConfig } from '@mirrorwatch/alerts/config';
import { buildApp as buildIngest } from '@mirrorwatch/ingest/app';
import { loadIngestConfig } from '@mirrorwatch/ingest/config';
import type { ReceivedMessage } from '@mirrorwatch/kafka';
import { buildApp as buildMatcher } from '@mirrorwatch/matcher/app';
import { loadMatcherConfig } from '@mirrorwatch/matcher/config';
import type { Alert } from '@mirrorwatch/schemas';
import type { FastifyInstance } from 'fastify';
import { serviceEnv, type TestInfra } from './fixtures.js';
import type { Profile } from './profiles.js';
import { signedHeaders } from './webhooks.js';

type Consumed = ReceivedMessage<'accountEvents'>;

export interface RunningPipeline {
  ingest: FastifyInstance;
  alerts: FastifyInstance;
  /** Absent when the test runs its matcher elsewhere (a child process). */
  matcher?: FastifyInstance;
  /** Resolves once the in-process matcher has handled `eventId`. */
  processed(eventId: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Ingest, alerts and (unless `matcher: false`) the matcher, in this process, on the real stack. */
export async function startPipeline(
  infra: TestInfra,
  {
    matcher: withMatcher = true,
    env: extraEnv = {},
  }: {
    matcher?: boolean;
    /** More service environment, e.g. ALERTS_TOKENS. */
    env?: Record<string, string>;
  } = {},
): Promise<RunningPipeline> {
  const env = serviceEnv(infra, {
    MATCHER_GROUP_ID: infra.unique('matcher'),
    ALERTS_GROUP_ID: infra.unique('alerts'),
    ...extraEnv,
  });
  const handled = new Set<string>();
  const waiters = new Set<() => void>();
  const ingest = await buildIngest({ config: loadIngestConfig(env), ...infra });
  const alerts = await buildAlerts({ config: loadAlertsConfig(env), ...infra });
  const matcher = withMatcher
    ? await buildMatcher({
        config: loadMatcherConfig(env),
        ...infra,
        onProcessed: (events: Consumed[]) => {
          for (const event of events) handled.add(event.value.eventId);
          for (const wake of waiters) wake();
        },
      })
    : undefined;
  await Promise.all([ingest.ready(), alerts.ready(), matcher?.ready()]);
  return {
    ingest,
    alerts,
    ...(matcher ? { matcher } : {}),
    processed(eventId, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`matcher did not handle ${eventId}`));
        }, timeoutMs);
        const check = () => {
          if (!handled.has(eventId)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    },
    async close() {
      await matcher?.close();
      await alerts.close();
      await ingest.close();
    },
  };
}

let sequence = 0;

export interface SentEvent {
  eventId: string;
  response: { statusCode: number; body: { accepted: number; duplicates: number } };
}

/** Signs and posts one contract event to ingest, as a platform would. */
export async function sendEvent(
  ingest: FastifyInstance,
  platform: string,
  type: 'account.created' | 'account.updated' | 'account.banned' | 'account.reinstated',
  account: Profile,
  { occurredAt = new Date(), eventId, entity }: { occurredAt?: Date; eventId?: string; entity?: string } = {},
): Promise<SentEvent> {
  sequence += 1;
  const id = eventId ?? `evt-${Date.now().toString(36)}-${process.pid}-${sequence}`;
  const event = {
    eventId: id,
    type,
    occurredAt: occurredAt.toISOString(),
    account,
    ...(type === 'account.banned'
      ? { ban: { reason: 'proscribed organisation', entity: entity ?? 'unknown' } }
      : {}),
  };
  const body = JSON.stringify(event);
  const response = await ingest.inject({
    method: 'POST',
    url: `/v1/webhooks/${platform}`,
    headers: signedHeaders(body),
    payload: body,
  });
  if (response.statusCode !== 202)
    throw new Error(`ingest answered ${response.statusCode}: ${response.body}`);
  return { eventId: id, response: { statusCode: response.statusCode, body: response.json() } };
}

/** Bans `account` under `entity` through ingest and resolves once the matcher has indexed the ban. */
export async function banAndIndex(
  pipeline: RunningPipeline,
  platform: string,
  account: Profile,
  entity: string,
): Promise<SentEvent> {
  const ban = await sendEvent(pipeline.ingest, platform, 'account.banned', account, { entity });
  await pipeline.processed(ban.eventId);
  return ban;
}

export const ADMIN = { authorization: 'Bearer dev-token' };

/** Every stored alert whose candidate is `platform:accountId`, through the public API. */
export async function alertsFor(
  alerts: FastifyInstance,
  platform: string,
  accountId: string,
): Promise<Alert[]> {
  const found: Alert[] = [];
  let cursor: string | undefined;
  do {
    const response = await alerts.inject({
      method: 'GET',
      url: `/v1/alerts?platform=${platform}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      headers: ADMIN,
    });
    if (response.statusCode !== 200)
      throw new Error(`alert API answered ${response.statusCode}: ${response.body}`);
    const page = response.json() as { alerts: Alert[]; nextCursor?: string };
    found.push(...page.alerts.filter((alert) => alert.candidate.accountId === accountId));
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}

/** Polls the API until an alert for the candidate exists; fails after `timeoutMs`. */
export async function waitForAlert(
  alerts: FastifyInstance,
  platform: string,
  accountId: string,
  { timeoutMs = 30_000, entity }: { timeoutMs?: number; entity?: string } = {},
): Promise<Alert> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await alertsFor(alerts, platform, accountId)).find(
      (alert) => entity === undefined || alert.matches.some((match) => match.entity === entity),
    );
    if (found) return found;
    if (Date.now() > deadline)
      throw new Error(`no alert for ${platform}:${accountId} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
