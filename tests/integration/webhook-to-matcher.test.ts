import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeSetSignature, followeesSignature, hammingDistance } from '@mirrorwatch/engine';
import { buildApp as buildIngest } from '@mirrorwatch/ingest/app';
import { loadIngestConfig } from '@mirrorwatch/ingest/config';
import type { ReceivedMessage } from '@mirrorwatch/kafka';
import { produceRaw, readTopic } from '@mirrorwatch/kafka/testing';
import { buildApp as buildMatcher } from '@mirrorwatch/matcher/app';
import { loadMatcherConfig } from '@mirrorwatch/matcher/config';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectInfra, PDQ_DATA, serviceEnv, type TestInfra } from '../support/fixtures.js';
import { ingestWithoutKafka } from '../support/unreachable-kafka.js';
import { accountEvent, signedHeaders } from '../support/webhooks.js';

type Consumed = ReceivedMessage<'accountEvents'>;

describe('signed webhook → ingest → Kafka → matcher', () => {
  let infra: TestInfra;
  let ingest: FastifyInstance;
  let matcher: FastifyInstance;
  const consumed: Consumed[] = [];
  const waiters = new Set<() => void>();

  /** Resolves with the consumed message for `eventId` once the matcher has handled it. */
  function consumedEvent(eventId: string, timeoutMs = 30_000): Promise<Consumed> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`matcher did not consume ${eventId}`)), timeoutMs);
      const check = () => {
        const found = consumed.find((message) => message.value.eventId === eventId);
        if (!found) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(found);
      };
      waiters.add(check);
      check();
    });
  }

  beforeAll(async () => {
    infra = await connectInfra();
    const env = serviceEnv(infra, { MATCHER_GROUP_ID: infra.unique('matcher') });
    ingest = await buildIngest({ config: loadIngestConfig(env), ...infra });
    matcher = await buildMatcher({
      config: loadMatcherConfig(env),
      ...infra,
      onProcessed: (events) => {
        consumed.push(...events);
        for (const wake of waiters) wake();
      },
    });
    await Promise.all([ingest.ready(), matcher.ready()]);
  });

  afterAll(async () => {
    await matcher?.close();
    await ingest?.close();
    await infra?.close();
  });

  it('publishes an accepted event that the matcher consumes from the real topic, with identifiers hashed', async () => {
    const followees = ['followed-one', 'followed-two', 'followed-three'];
    const event = accountEvent(
      {},
      { email: 'Someone+x@GMail.com', phone: '+44 20 7946 0958', ip: '203.0.113.9', followees },
    );
    const body = JSON.stringify(event);
    const response = await ingest.inject({
      method: 'POST',
      url: '/v1/webhooks/telegram',
      headers: signedHeaders(body),
      payload: body,
    });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ accepted: 1, duplicates: 0 });

    const message = await consumedEvent(event.eventId);
    expect(message.key).toBe(`telegram:${event.account.id}`);
    expect(message.value).toMatchObject({ platform: 'telegram', type: 'account.created' });
    expect(message.value.account.emailHash).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(message.value)).not.toMatch(/someone|7946|203\.0\.113|followed-/i);
    // The follow list travels as its signature only.
    expect(message.value.account.followees).toBeUndefined();
    expect(message.value.account.followeesSignature).toBe(
      encodeSetSignature(followeesSignature(followees) ?? []),
    );
  });

  it('accepts a batch and counts a repeated eventId as a duplicate, within and across requests', async () => {
    const first = accountEvent();
    const second = accountEvent();
    const body = JSON.stringify({ events: [first, second, first] });
    const response = await ingest.inject({
      method: 'POST',
      url: '/v1/webhooks/x',
      headers: signedHeaders(body),
      payload: body,
    });
    expect(response.json()).toEqual({ accepted: 2, duplicates: 1 });
    await Promise.all([consumedEvent(first.eventId), consumedEvent(second.eventId)]);

    const again = JSON.stringify(second);
    const redelivery = await ingest.inject({
      method: 'POST',
      url: '/v1/webhooks/x',
      headers: signedHeaders(again),
      payload: again,
    });
    expect(redelivery.statusCode).toBe(202);
    expect(redelivery.json()).toEqual({ accepted: 0, duplicates: 1 });
  });

  it('answers 401 to a bad signature and to a stale timestamp, publishing nothing', async () => {
    const event = accountEvent();
    const body = JSON.stringify(event);
    const forged = await ingest.inject({
      method: 'POST',
      url: '/v1/webhooks/telegram',
      headers: signedHeaders(body, { secret: 'not-the-secret' }),
      payload: body,
    });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('MW_BAD_SIGNATURE');

    const stale = await ingest.inject({
      method: 'POST',
      url: '/v1/webhooks/telegram',
      headers: signedHeaders(body, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
      payload: body,
    });
    expect(stale.statusCode).toBe(401);
    expect(stale.json().error.code).toBe('MW_STALE_TIMESTAMP');

    const unsigned = await ingest.inject({
      method: 'POST',
      url: '/v1/webhooks/telegram',
      headers: { 'content-type': 'application/json' },
      payload: body,
    });
    expect(unsigned.statusCode).toBe(401);
  });

  it('answers 400 naming each bad field, 404 to an unknown platform and 413 to an oversized body', async () => {
    const bad = accountEvent(
      { type: 'account.banned', occurredAt: 'yesterday' },
      { handle: '', ip: 'not-an-ip', followees: ['fine', '', 'also fine', 'x'.repeat(201), 7] },
    );
    const body = JSON.stringify(bad);
    const invalid = await ingest.inject({
      method: 'POST',
      url: '/v1/webhooks/telegram',
      headers: signedHeaders(body),
      payload: body,
    });
    expect(invalid.statusCode).toBe(400);
    const fields = (invalid.json().error.fields as Array<{ field: string }>).map((problem) => problem.field);
    expect(fields).toEqual(
      expect.arrayContaining(['body.occurredAt', 'body.account.handle', 'body.account.ip', 'body.ban']),
    );
    // Each bad followee at its own index, the good ones not.
    expect(fields.filter((field) => field.startsWith('body.account.followees'))).toEqual([
      'body.account.followees.1',
      'body.account.followees.3',
      'body.account.followees.4',
    ]);

    const unknown = await ingest.inject({
      method: 'POST',
      url: '/v1/webhooks/myspace',
      headers: signedHeaders(body),
      payload: body,
    });
    expect(unknown.statusCode).toBe(404);

    const huge = JSON.stringify(accountEvent({}, { bio: 'x'.repeat(1024 * 1024) }));
    const tooLarge = await ingest.inject({
      method: 'POST',
      url: '/v1/webhooks/telegram',
      headers: signedHeaders(huge),
      payload: huge,
    });
    expect(tooLarge.statusCode).toBe(413);
  });

  it('dead-letters a malformed message written straight to the topic, with its reason, and goes on', async () => {
    const deadLetters = await readTopic(infra.kafka, 'deadLetters', infra.unique('dlq-reader'));
    try {
      const marker = infra.unique('malformed');
      const next = accountEvent();
      const nextBody = JSON.stringify(next);
      // Same key as the next event, so both land on one partition: the bad one first.
      await produceRaw(infra.kafka, 'accountEvents', [
        { key: `telegram:${next.account.id}`, value: `{"marker":"${marker}"` },
      ]);
      const accepted = await ingest.inject({
        method: 'POST',
        url: '/v1/webhooks/telegram',
        headers: signedHeaders(nextBody),
        payload: nextBody,
      });
      expect(accepted.statusCode).toBe(202);

      const letter = (await deadLetters.waitFor(
        (value) =>
          typeof value === 'object' &&
          value !== null &&
          Buffer.from(String((value as { valueBase64: string }).valueBase64), 'base64')
            .toString()
            .includes(marker),
      )) as { code: string; reason: string; source: { topic: string } };
      expect(letter.code).toBe('invalid_json');
      expect(letter.reason).toMatch(/not JSON/);
      expect(letter.source.topic).toBe('mirrorwatch.account-events.v1');
      await consumedEvent(next.eventId);
    } finally {
      await deadLetters.close();
    }
  });

  it('turns an avatar image into its PDQ hash and never publishes the image', async () => {
    const image = await readFile(join(PDQ_DATA, 'misc-images/wee.jpg'));
    const event = accountEvent({}, { avatarImage: image.toString('base64') });
    const body = JSON.stringify(event);
    const response = await ingest.inject({
      method: 'POST',
      url: '/v1/webhooks/instagram',
      headers: signedHeaders(body),
      payload: body,
    });
    expect(response.statusCode).toBe(202);
    const message = await consumedEvent(event.eventId);
    const expected = '6227401f601ff4ccafcc9fad4b0d95d371a2eb7265a3285234d228ca94deeb2d';
    expect(hammingDistance(message.value.account.avatarPdq ?? '', expected)).toBeLessThanOrEqual(12);
    expect(JSON.stringify(message.value)).not.toContain('avatarImage');
  });

  it('answers 400 naming an avatar image that does not decode, and claims none of the batch', async () => {
    const good = accountEvent();
    const broken = accountEvent({}, { avatarImage: Buffer.from('not an image at all').toString('base64') });
    const body = JSON.stringify({ events: [good, broken] });
    const rejected = await ingest.inject({
      method: 'POST',
      url: '/v1/webhooks/x',
      headers: signedHeaders(body),
      payload: body,
    });
    expect(rejected.statusCode).toBe(400);
    expect(rejected.json().error.fields).toEqual([
      { field: 'body.events.1.account.avatarImage', message: expect.stringMatching(/not a readable/) },
    ]);
    // The good event was not taken: sent again on its own, it is accepted, not a duplicate.
    const alone = JSON.stringify(good);
    const resent = await ingest.inject({
      method: 'POST',
      url: '/v1/webhooks/x',
      headers: signedHeaders(alone),
      payload: alone,
    });
    expect(resent.json()).toEqual({ accepted: 1, duplicates: 0 });
    await consumedEvent(good.eventId);
  });

  it('answers 503 with Retry-After while Kafka is unreachable, and keeps nothing claimed', async () => {
    const cutOff = await ingestWithoutKafka(infra);
    try {
      const event = accountEvent();
      const body = JSON.stringify(event);
      const refused = await cutOff.inject({
        method: 'POST',
        url: '/v1/webhooks/telegram',
        headers: signedHeaders(body),
        payload: body,
      });
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['retry-after']).toBe('5');
      expect(refused.json().error).toMatchObject({ code: 'MW_KAFKA_UNAVAILABLE', retriable: true });

      // Once Kafka is back (the real ingest), the same delivery is accepted, not a duplicate.
      await vi.waitFor(
        async () => {
          const retried = await ingest.inject({
            method: 'POST',
            url: '/v1/webhooks/telegram',
            headers: signedHeaders(body),
            payload: body,
          });
          expect(retried.json()).toEqual({ accepted: 1, duplicates: 0 });
        },
        { timeout: 10_000, interval: 500 },
      );
      await consumedEvent(event.eventId);
    } finally {
      await cutOff.close();
    }
  });

  it('exposes Prometheus metrics on both services, counting what happened', async () => {
    const ingestMetrics = (await ingest.inject({ method: 'GET', url: '/metrics' })).body;
    expect(ingestMetrics).toMatch(/mirrorwatch_ingest_events_total\{[^}]*outcome="accepted"[^}]*\} [1-9]/);
    expect(ingestMetrics).toMatch(/mirrorwatch_ingest_events_total\{[^}]*outcome="duplicate"[^}]*\} [1-9]/);
    expect(ingestMetrics).toMatch(/mirrorwatch_ingest_requests_total\{[^}]*status="401"[^}]*\} [1-9]/);
    expect(ingestMetrics).toMatch(/mirrorwatch_ingest_publish_seconds_count\{[^}]*\} [1-9]/);
    const matcherMetrics = (await matcher.inject({ method: 'GET', url: '/metrics' })).body;
    expect(matcherMetrics).toMatch(
      /mirrorwatch_matcher_events_total\{[^}]*type="account.created"[^}]*\} [1-9]/,
    );
    expect(matcherMetrics).toMatch(
      /mirrorwatch_matcher_dead_letters_total\{[^}]*code="invalid_json"[^}]*\} [1-9]/,
    );
    expect(matcherMetrics).toMatch(/mirrorwatch_matcher_consumer_lag\{/);
  });

  it('reports ready only when Kafka and Redis answer', async () => {
    const ready = await ingest.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect((await matcher.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect((await ingest.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
  });
});
