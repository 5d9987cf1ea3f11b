import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSender, IngestUnavailableError, retryAfterMs } from './sender.js';

type Answer = Response | Error;

function fakeIngest(answers: Answer[]) {
  const calls: Array<{ url: string; headers: Record<string, string>; body: string }> = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, headers: init.headers as Record<string, string>, body: String(init.body) });
    const next = answers.shift();
    if (next === undefined) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return next;
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

function sender(answers: Answer[], attempts = 4) {
  const ingest = fakeIngest(answers);
  const waits: number[] = [];
  const instance = createSender({
    url: 'http://ingest.test:8080/',
    secretFor: (platform) => `secret-of-${platform}`,
    retry: { attempts, initialDelayMs: 100, maxDelayMs: 1000 },
    fetch: ingest.fetch,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 1,
    nowSeconds: () => 1_800_000_000,
  });
  return { instance, calls: ingest.calls, waits };
}

describe('ingest sender', () => {
  it('posts a signed batch to the route of the platform and reads the 202', async () => {
    const { instance, calls } = sender([json(202, { accepted: 2, duplicates: 1 })]);
    const result = await instance.send('reports', 'telegram', [{ reportId: 'a' }]);
    expect(result).toEqual({ kind: 'accepted', accepted: 2, duplicates: 1 });
    const [call] = calls;
    expect(call?.url).toBe('http://ingest.test:8080/v1/reports/telegram');
    expect(JSON.parse(call?.body ?? '')).toEqual({ reports: [{ reportId: 'a' }] });
    const expected = createHmac('sha256', 'secret-of-telegram')
      .update(`1800000000.${call?.body}`)
      .digest('hex');
    expect(call?.headers['x-mirrorwatch-timestamp']).toBe('1800000000');
    expect(call?.headers['x-mirrorwatch-signature']).toBe(`sha256=${expected}`);
  });

  it('retries 503 and network errors with exponential backoff, honouring Retry-After', async () => {
    const { instance, calls, waits } = sender([
      json(503, { error: { code: 'MW_KAFKA_UNAVAILABLE' } }, { 'retry-after': '5' }),
      new TypeError('fetch failed'),
      json(503, {}),
      json(202, { accepted: 1, duplicates: 0 }),
    ]);
    expect(await instance.send('webhooks', 'x', [{}])).toEqual({
      kind: 'accepted',
      accepted: 1,
      duplicates: 0,
    });
    expect(calls).toHaveLength(4);
    expect(waits).toEqual([5000, 200, 400]);
  });

  it('gives up after the last attempt with a retriable error', async () => {
    const { instance, calls } = sender([json(503, {}), json(503, {}), json(503, {})], 3);
    const failure = instance.send('webhooks', 'x', [{}]);
    await expect(failure).rejects.toBeInstanceOf(IngestUnavailableError);
    await expect(failure).rejects.toThrow(/503; gave up after 3 attempts/);
    expect(calls).toHaveLength(3);
  });

  it('does not retry a refusal, and maps 400 field paths back to the items of the batch', async () => {
    const { instance, calls } = sender([
      json(401, { error: { code: 'MW_BAD_SIGNATURE', message: 'missing or invalid webhook signature' } }),
      json(400, {
        error: {
          code: 'MW_INVALID_BODY',
          fields: [
            { field: 'body.events.3.account.handle', message: 'too long' },
            { field: 'body.events', message: 'too many' },
          ],
        },
      }),
      new Response('', { status: 413 }),
    ]);
    expect(await instance.send('webhooks', 'x', [{}])).toEqual({
      kind: 'refused',
      status: 401,
      code: 'MW_BAD_SIGNATURE',
      message: 'missing or invalid webhook signature',
    });
    expect(await instance.send('webhooks', 'x', [{}])).toEqual({
      kind: 'invalid',
      fields: [
        { index: 3, field: 'account.handle', message: 'too long' },
        { index: undefined, field: 'body.events', message: 'too many' },
      ],
    });
    expect(await instance.send('webhooks', 'x', [{}])).toEqual({ kind: 'too-large' });
    expect(calls).toHaveLength(3);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-30T10:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs('Mon, 30 Nov 2026 10:00:03 GMT', now)).toBe(3000);
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
  });
});
