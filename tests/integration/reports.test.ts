import { buildApp as buildIngest } from '@mirrorwatch/ingest/app';
import { loadIngestConfig } from '@mirrorwatch/ingest/config';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccountEventsReader, readAccountEvents } from '../support/account-events.js';
import { connectInfra, serviceEnv, type TestInfra } from '../support/fixtures.js';
import { ingestWithoutKafka } from '../support/unreachable-kafka.js';
import { accountEvent, signedHeaders } from '../support/webhooks.js';

let counter = 0;

/** A valid Report with a unique reportId and account id. */
function report(overrides: Record<string, unknown> = {}, account: Record<string, unknown> = {}) {
  counter += 1;
  const id = `${Date.now().toString(36)}-${counter}`;
  return {
    reportId: `rep-${id}`,
    occurredAt: new Date().toISOString(),
    source: 'trusted-flagger-1',
    entity: 'Example Front',
    reason: 'same logo and invite link as a removed account',
    account: { id: `acct-${id}`, handle: `front_media_${counter}`, ...account },
    ...overrides,
  };
}

describe('signed report → ingest → Kafka (account.reported)', () => {
  let infra: TestInfra;
  let ingest: FastifyInstance;
  let topic: AccountEventsReader;

  const post = (platform: string, body: string, headers = signedHeaders(body)) =>
    ingest.inject({ method: 'POST', url: `/v1/reports/${platform}`, headers, payload: body });

  beforeAll(async () => {
    infra = await connectInfra();
    ingest = await buildIngest({ config: loadIngestConfig(serviceEnv(infra)), ...infra });
    await ingest.ready();
    topic = await readAccountEvents(infra.kafka, infra.unique('reports-reader'));
  });

  afterAll(async () => {
    await topic?.close();
    await ingest?.close();
    await infra?.close();
  });

  it('publishes a report as account.reported with identifiers hashed, the report info and the account key', async () => {
    const sent = report({}, { email: 'Someone+x@GMail.com', phone: '+44 20 7946 0958', ip: '203.0.113.9' });
    const body = JSON.stringify(sent);
    const response = await post('telegram', body);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ accepted: 1, duplicates: 0 });

    const message = await topic.waitFor((m) => m.value.eventId === `report:${sent.reportId}`);
    expect(message.key).toBe(`telegram:${sent.account.id}`);
    expect(message.value).toMatchObject({
      platform: 'telegram',
      type: 'account.reported',
      occurredAt: sent.occurredAt,
      account: { id: sent.account.id, handle: sent.account.handle },
      report: { source: sent.source, entity: sent.entity, reason: sent.reason },
    });
    expect(message.value.ban).toBeUndefined();
    expect(message.value.account.emailHash).toMatch(/^[0-9a-f]{32}$/);
    expect(message.value.account.phoneHash).toMatch(/^[0-9a-f]{32}$/);
    expect(message.value.account.ipPrefixHash).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(message.value)).not.toMatch(/someone|7946|203\.0\.113/i);
  });

  it('counts a repeated report as a duplicate, within and across requests, and publishes it once', async () => {
    const first = report();
    const second = report();
    const batch = JSON.stringify({ reports: [first, second, first] });
    const response = await post('x', batch);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ accepted: 2, duplicates: 1 });

    const again = JSON.stringify(second);
    const redelivery = await post('x', again);
    expect(redelivery.statusCode).toBe(202);
    expect(redelivery.json()).toEqual({ accepted: 0, duplicates: 1 });

    await topic.waitFor((m) => m.value.eventId === `report:${second.reportId}`);
    await topic.caughtUp();
    const published = topic.messages.filter((m) =>
      [`report:${first.reportId}`, `report:${second.reportId}`].includes(m.value.eventId),
    );
    expect(published).toHaveLength(2);
  });

  it('claims reports apart from webhook events: a report and an event with the same id are both accepted', async () => {
    const sent = report();
    // A platform event whose eventId equals the reportId: reports are claimed as `report:<id>`.
    const eventBody = JSON.stringify(accountEvent({ eventId: sent.reportId }));
    const asEvent = await ingest.inject({
      method: 'POST',
      url: '/v1/webhooks/facebook',
      headers: signedHeaders(eventBody),
      payload: eventBody,
    });
    expect(asEvent.json()).toEqual({ accepted: 1, duplicates: 0 });
    const reportBody = JSON.stringify(sent);
    const asReport = await post('facebook', reportBody);
    expect(asReport.json()).toEqual({ accepted: 1, duplicates: 0 });
  });

  it('answers 400 naming each bad field, in a single report and inside a batch', async () => {
    const bad = report({ occurredAt: 'yesterday', source: '' }, { handle: '', ip: 'not-an-ip' });
    const { entity: _entity, ...withoutEntity } = bad;
    const single = await post('telegram', JSON.stringify(withoutEntity));
    expect(single.statusCode).toBe(400);
    expect(single.json().error.code).toBe('MW_INVALID_BODY');
    const fields = (single.json().error.fields as Array<{ field: string }>).map((problem) => problem.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'body.occurredAt',
        'body.source',
        'body.entity',
        'body.account.handle',
        'body.account.ip',
      ]),
    );

    const good = report();
    const batch = await post('telegram', JSON.stringify({ reports: [good, report({ reason: '' })] }));
    expect(batch.statusCode).toBe(400);
    expect(batch.json().error.fields).toEqual([
      { field: 'body.reports.1.reason', message: expect.any(String) },
    ]);
    // Nothing of the refused batch was claimed: the good report alone is accepted.
    expect((await post('telegram', JSON.stringify(good))).json()).toEqual({ accepted: 1, duplicates: 0 });

    const empty = await post('telegram', JSON.stringify({ reports: [] }));
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.fields[0].field).toBe('body.reports');
  });

  it('answers 401 to a bad signature or a stale timestamp, 404 to an unknown platform, 413 to an oversized body', async () => {
    const body = JSON.stringify(report());
    const forged = await post('telegram', body, signedHeaders(body, { secret: 'not-the-secret' }));
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('MW_BAD_SIGNATURE');
    const stale = await post(
      'telegram',
      body,
      signedHeaders(body, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
    );
    expect(stale.statusCode).toBe(401);
    expect(stale.json().error.code).toBe('MW_STALE_TIMESTAMP');
    expect((await post('myspace', body)).statusCode).toBe(404);
    const huge = JSON.stringify(report({}, { bio: 'x'.repeat(1024 * 1024) }));
    expect((await post('telegram', huge)).statusCode).toBe(413);
  });

  it('answers 503 with Retry-After while Kafka is unreachable, and keeps the report unclaimed', async () => {
    const cutOff = await ingestWithoutKafka(infra);
    try {
      const body = JSON.stringify(report());
      const refused = await cutOff.inject({
        method: 'POST',
        url: '/v1/reports/telegram',
        headers: signedHeaders(body),
        payload: body,
      });
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['retry-after']).toBe('5');
      expect(refused.json().error).toMatchObject({ code: 'MW_KAFKA_UNAVAILABLE', retriable: true });
      // The claim was released: the same report is accepted once Kafka answers.
      await expect
        .poll(async () => (await post('telegram', body)).json(), { timeout: 10_000, interval: 500 })
        .toEqual({ accepted: 1, duplicates: 0 });
    } finally {
      await cutOff.close();
    }
  });
});
