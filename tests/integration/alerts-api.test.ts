import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { buildApp as buildAlerts } from '@mirrorwatch/alerts/app';
import { loadAlertsConfig } from '@mirrorwatch/alerts/config';
import { signWebhook } from '@mirrorwatch/http';
import { readTopic, truncateTopic } from '@mirrorwatch/kafka/testing';
import { Alert, DecisionMessage, type MatchMessage } from '@mirrorwatch/schemas';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectInfra, serviceEnv, type TestInfra } from '../support/fixtures.js';
import { ADMIN, waitForAlert } from '../support/pipeline.js';

const MODERATOR = { authorization: 'Bearer moderator-secret-1' };
const SECOND_MODERATOR = { authorization: 'Bearer moderator-secret-2' };
const VIEWER = { authorization: 'Bearer viewer-secret-1' };
const WEBHOOK_SECRET = 'outbound-webhook-secret-0123';

function match(candidateId: string, bannedId: string, entity: string, score: number): MatchMessage {
  const now = new Date().toISOString();
  return {
    schemaVersion: 1,
    matchId: randomUUID(),
    via: 'candidate',
    trigger: { eventId: `evt-${candidateId}`, receivedAt: now },
    candidate: {
      platform: 'telegram',
      accountId: candidateId,
      handle: `${candidateId}_h`,
      eventId: `evt-${candidateId}`,
      receivedAt: now,
    },
    banned: { platform: 'x', accountId: bannedId, handle: `${bannedId}_h`, entity, bannedAt: now },
    score,
    modelVersion: 'test',
    evidence: [
      { signal: 'avatar', level: 'near-identical', weight: 7.5, detail: 'same logo (PDQ distance 2)' },
    ],
    matchedAt: now,
  };
}

/** A platform's webhook endpoint that fails the first delivery and keeps the rest. */
function platformEndpoint() {
  const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
  let calls = 0;
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      calls += 1;
      if (calls === 1) {
        response.writeHead(503).end();
        return;
      }
      received.push({ headers: request.headers, body });
      response.writeHead(204).end();
    });
  });
  return { server, received, calls: () => calls };
}

describe('alerts service on the real stack', () => {
  let infra: TestInfra;
  let alerts: FastifyInstance;
  let address: string;
  const endpoint = platformEndpoint();
  const run = randomUUID().slice(0, 8);
  const send = (...matches: MatchMessage[]) =>
    infra.producer.send(
      'matches',
      matches.map((value) => ({ key: `${value.candidate.platform}:${value.candidate.accountId}`, value })),
    );

  beforeAll(async () => {
    infra = await connectInfra();
    // Earlier test files leave their matches on the topic, which this service's new consumer group
    // would otherwise read and alert on before these tests' own (the paging test then timed out
    // after rebalance, import and pipeline). Only on a broker started for this run; a broker
    // named by KAFKA_BROKERS is never truncated.
    if (inject('kafkaOwned')) await truncateTopic(infra.kafka, 'matches');
    await new Promise<void>((resolve) => endpoint.server.listen(0, '127.0.0.1', resolve));
    const { port } = endpoint.server.address() as { port: number };
    const env = serviceEnv(infra, {
      ALERTS_GROUP_ID: infra.unique('alerts'),
      ALERTS_TOKENS:
        'mo:moderator:moderator-secret-1,mo2:moderator:moderator-secret-2,vi:viewer:viewer-secret-1',
      ALERT_WEBHOOK_URLS: `http://127.0.0.1:${port}/mirrorwatch`,
      ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      ALERT_WEBHOOK_BACKOFF_MS: '50',
    });
    alerts = await buildAlerts({ config: loadAlertsConfig(env), ...infra });
    address = await alerts.listen({ host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await alerts?.close();
    endpoint.server.close();
    await infra?.close();
  });

  it('folds repeated and sibling matches into one alert per (candidate, entity), with evidence', async () => {
    const candidate = `c-${run}-1`;
    await send(
      match(candidate, `p-${run}-1`, `entity-${run}`, 0.91),
      match(candidate, `p-${run}-1`, `entity-${run}`, 0.91),
      match(candidate, `p-${run}-2`, `entity-${run}`, 0.97),
    );
    await expect
      .poll(async () => (await waitForAlert(alerts, 'telegram', candidate)).matches.length, {
        timeout: 30_000,
      })
      .toBe(2);
    const alert = await waitForAlert(alerts, 'telegram', candidate);
    expect(Alert.parse(alert)).toEqual(alert);
    expect(alert).toMatchObject({ status: 'open', score: 0.97 });
    expect(alert.matches.map((entry) => entry.accountId)).toEqual([`p-${run}-2`, `p-${run}-1`]);
    expect(alert.matches[0]?.evidence[0]).toMatchObject({ signal: 'avatar', weight: 7.5 });

    const one = await alerts.inject({ method: 'GET', url: `/v1/alerts/${alert.id}`, headers: VIEWER });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(alert);
    const missing = await alerts.inject({
      method: 'GET',
      url: '/v1/alerts/al_000000000000000000000000',
      headers: VIEWER,
    });
    expect(missing.statusCode).toBe(404);
  });

  it('filters and pages newest first, with nextCursor absent on the last page', async () => {
    const entity = `paging-${run}`;
    for (let n = 0; n < 5; n += 1)
      await send(match(`c-${run}-page-${n}`, `p-${run}-page`, entity, 0.6 + n * 0.05));
    await expect
      .poll(
        async () =>
          (
            await alerts.inject({
              method: 'GET',
              url: `/v1/alerts?entity=${entity}&limit=500`,
              headers: VIEWER,
            })
          ).json().alerts.length,
        { timeout: 30_000 },
      )
      .toBe(5);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const query = `/v1/alerts?entity=${entity}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = (await alerts.inject({ method: 'GET', url: query, headers: VIEWER })).json();
      seen.push(...page.alerts.map((alert: Alert) => alert.candidate.accountId));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);

    const strong = (
      await alerts.inject({
        method: 'GET',
        url: `/v1/alerts?entity=${entity}&minScore=0.75`,
        headers: VIEWER,
      })
    ).json();
    expect(strong.alerts.map((alert: Alert) => alert.score).sort()).toEqual([0.75, 0.8]);
    expect(strong.nextCursor).toBeUndefined();

    const bad = await alerts.inject({
      method: 'GET',
      url: '/v1/alerts?minScore=2&status=maybe',
      headers: VIEWER,
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.fields.map((field: { field: string }) => field.field)
        .sort(),
    ).toEqual(['querystring.minScore', 'querystring.status']);
  });

  it('refuses requests without a valid token (401) and decisions from a viewer (403)', async () => {
    expect((await alerts.inject({ method: 'GET', url: '/v1/alerts' })).statusCode).toBe(401);
    const forged = await alerts.inject({
      method: 'GET',
      url: '/v1/alerts',
      headers: { authorization: 'Bearer nope-nope' },
    });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('MW_UNAUTHORIZED');
    const alert = await waitForAlert(alerts, 'telegram', `c-${run}-1`);
    const viewer = await alerts.inject({
      method: 'POST',
      url: `/v1/alerts/${alert.id}/decision`,
      headers: VIEWER,
      payload: { decision: 'confirm' },
    });
    expect(viewer.statusCode).toBe(403);
    expect(viewer.json().error.code).toBe('MW_FORBIDDEN');
    expect((await alerts.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
  });

  it('lets one of two concurrent decisions win (200) and tells the other (409), audited and published', async () => {
    const candidate = `c-${run}-decide`;
    await send(match(candidate, `p-${run}-d`, `decide-${run}`, 0.93));
    const alert = await waitForAlert(alerts, 'telegram', candidate);
    const decisions = await readTopic(infra.kafka, 'decisions', infra.unique('decisions-reader'));
    try {
      const [first, second] = await Promise.all([
        alerts.inject({
          method: 'POST',
          url: `/v1/alerts/${alert.id}/decision`,
          headers: MODERATOR,
          payload: { decision: 'confirm', note: 'same logo and phone' },
        }),
        alerts.inject({
          method: 'POST',
          url: `/v1/alerts/${alert.id}/decision`,
          headers: SECOND_MODERATOR,
          payload: { decision: 'dismiss' },
        }),
      ]);
      expect([first.statusCode, second.statusCode].sort()).toEqual([200, 409]);
      const winner = first.statusCode === 200 ? first : second;
      const loser = first.statusCode === 200 ? second : first;
      expect(loser.json().error.code).toBe('MW_ALREADY_DECIDED');
      expect(['confirmed', 'dismissed']).toContain(winner.json().status);

      const audit = (await alerts.inject({ method: 'GET', url: '/v1/audit', headers: ADMIN })).json();
      const entries = audit.entries.filter(
        (entry: { fields: { alertId: string } }) => entry.fields.alertId === alert.id,
      );
      expect(entries).toHaveLength(1);
      expect(['mo', 'mo2']).toContain(entries[0].fields.decidedBy);
      expect((await alerts.inject({ method: 'GET', url: '/v1/audit', headers: MODERATOR })).statusCode).toBe(
        403,
      );

      const published = DecisionMessage.parse(
        await decisions.waitFor((value) => (value as { alertId?: string }).alertId === alert.id),
      );
      expect(published).toMatchObject({ candidate: { platform: 'telegram', accountId: candidate } });
      expect(published.banned).toEqual([{ account: `x:p-${run}-d`, entity: `decide-${run}` }]);
    } finally {
      await decisions.close();
    }
  });

  it('streams alerts created after a client connects, over server-sent events', async () => {
    const response = await fetch(`${address}/v1/alerts/stream`, { headers: VIEWER });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    const candidate = `c-${run}-live`;
    let text = '';
    try {
      await send(match(candidate, `p-${run}-live`, `live-${run}`, 0.88));
      const deadline = Date.now() + 30_000;
      while (!text.includes(candidate) && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString('utf8');
      }
    } finally {
      await reader.cancel();
    }
    const event = text.split('\n\n').find((block) => block.includes(candidate)) ?? '';
    expect(event).toMatch(/^event: alert$/m);
    const data =
      event
        .split('\n')
        .find((line) => line.startsWith('data: '))
        ?.slice('data: '.length) ?? '{}';
    expect(Alert.parse(JSON.parse(data)).candidate.accountId).toBe(candidate);
  });

  it('publishes every alert on the alerts topic and delivers it, signed, to the outbound webhook after a retry', async () => {
    const candidate = `c-${run}-1`;
    const topic = await readTopic(infra.kafka, 'alerts', infra.unique('alerts-reader'));
    try {
      const published = Alert.parse(
        await topic.waitFor((value) => (value as Alert).candidate?.accountId === candidate),
      );
      expect(published.id).toMatch(/^al_/);
    } finally {
      await topic.close();
    }
    await expect
      .poll(() => endpoint.received.some((delivery) => delivery.body.includes(candidate)), {
        timeout: 30_000,
      })
      .toBe(true);
    expect(endpoint.calls()).toBeGreaterThan(endpoint.received.length); // the first answer was a 503
    const delivery = endpoint.received.find((item) => item.body.includes(candidate));
    const timestamp = String(delivery?.headers['x-mirrorwatch-timestamp']);
    expect(delivery?.headers['x-mirrorwatch-signature']).toBe(
      signWebhook(WEBHOOK_SECRET, timestamp, delivery?.body ?? ''),
    );
    expect(Alert.parse(JSON.parse(delivery?.body ?? '{}')).candidate.accountId).toBe(candidate);
  });
});
