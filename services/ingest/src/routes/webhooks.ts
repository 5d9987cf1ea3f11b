import { Errors, invalidFields } from '@mirrorwatch/http';
import { type Pseudonymizer, toAccountEventMessage } from '@mirrorwatch/identifiers';
import type { TypedProducer } from '@mirrorwatch/kafka';
import { type Event, isPlatform, type Platform, WebhookBody } from '@mirrorwatch/schemas';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hashAvatars } from '../avatars.js';
import type { IdempotencyStore } from '../idempotency.js';
import type { IngestMetrics } from '../metrics.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook } from '../signature.js';

export interface WebhookRouteOptions {
  webhookSecrets: ReadonlyMap<Platform, string>;
  toleranceSeconds: number;
  bodyLimitBytes: number;
  publishTimeoutMs: number;
  producer: TypedProducer;
  idempotency: IdempotencyStore;
  pseudonymizer: Pseudonymizer;
  metrics: IngestMetrics;
  now: () => Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** When the request arrived (ms since epoch): the start of alert latency. */
    receivedAtMs: number;
    /** Whether the body was `{ events: [...] }` (field paths then start with `events.N`). */
    isBatch: boolean;
  }
}

const Accepted = z.object({ accepted: z.number().int(), duplicates: z.number().int() });

/**
 * `POST /v1/webhooks/:platform`. The body is kept as bytes until its signature is verified: the
 * HMAC covers the exact bytes sent, and nothing unauthenticated is parsed or validated.
 */
export const webhookRoutes: FastifyPluginAsync<WebhookRouteOptions> = async (app, options) => {
  const { webhookSecrets, producer, idempotency, pseudonymizer, metrics, now } = options;

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );
  app.decorateRequest('receivedAtMs', 0);
  app.decorateRequest('isBatch', false);

  app.withTypeProvider<ZodTypeProvider>().post(
    '/v1/webhooks/:platform',
    {
      bodyLimit: options.bodyLimitBytes,
      schema: {
        params: z.object({ platform: z.string() }),
        body: WebhookBody,
        response: { 202: Accepted },
      },
      onRequest: async (request) => {
        request.receivedAtMs = now().getTime();
      },
      onResponse: async (_request, reply) => {
        metrics.requests.inc({ status: reply.statusCode });
      },
      preValidation: async (request) => {
        const { platform } = request.params as { platform: string };
        const secret = isPlatform(platform) ? webhookSecrets.get(platform) : undefined;
        if (!secret) throw new Errors.UnknownPlatform(platform);
        // Until the signature is checked, the "body" is the raw bytes from the parser above.
        const rawBody = request.body as unknown as Buffer;
        if (!Buffer.isBuffer(rawBody)) throw new Errors.BadSignature();
        const verdict = verifyWebhook({
          secret,
          rawBody,
          timestamp: request.headers[TIMESTAMP_HEADER] as string | undefined,
          signature: request.headers[SIGNATURE_HEADER] as string | undefined,
          nowSeconds: Math.floor(request.receivedAtMs / 1000),
          toleranceSeconds: options.toleranceSeconds,
        });
        if (verdict === 'bad_signature') throw new Errors.BadSignature();
        if (verdict === 'stale_timestamp') throw new Errors.StaleTimestamp(String(options.toleranceSeconds));
        try {
          request.body = JSON.parse(rawBody.toString('utf8'));
          const body = request.body as unknown;
          request.isBatch = typeof body === 'object' && body !== null && 'events' in body;
        } catch (error) {
          throw new Errors.InvalidJson((error as Error).message);
        }
      },
    },
    async (request, reply) => {
      const platform = request.params.platform as Platform;
      const receivedAt = new Date(request.receivedAtMs);
      const unique = uniqueEvents(request.body.events);
      const withImages = unique.fresh.some((event) => event.account.avatarImage !== undefined);
      const stopTimer = withImages ? metrics.avatarHashSeconds.startTimer() : undefined;
      const { events: fresh, invalid } = await hashAvatars(unique.fresh, (index) =>
        request.isBatch ? ['events', unique.positions[index] ?? index] : [],
      );
      stopTimer?.();
      if (invalid.length > 0) throw invalidFields('body', invalid);
      const duplicates = unique.duplicates;
      const owned = await claim(idempotency, platform, fresh);
      const skipped = duplicates + fresh.length - owned.length;
      if (owned.length > 0) {
        const ids = owned.map((event) => event.eventId);
        const sent = producer.send(
          'accountEvents',
          owned.map((event) => ({
            key: `${platform}:${event.account.id}`,
            value: toAccountEventMessage(event, platform, receivedAt, pseudonymizer),
          })),
        );
        // The claim follows the real outcome, even when the client has already been answered 503.
        const settled = sent.then(
          () => idempotency.commit(platform, ids),
          async (error: unknown) => {
            await idempotency.release(platform, ids).catch(() => undefined);
            throw error;
          },
        );
        try {
          await withTimeout(settled, options.publishTimeoutMs);
          metrics.publishSeconds.observe((now().getTime() - request.receivedAtMs) / 1000);
        } catch (error) {
          settled.catch(() => undefined);
          request.log.warn({ err: error, events: ids.length }, 'publishing to Kafka failed');
          throw new Errors.KafkaUnavailable();
        }
      }
      metrics.events.inc({ platform, outcome: 'accepted' }, owned.length);
      metrics.events.inc({ platform, outcome: 'duplicate' }, skipped);
      return reply.status(202).send({ accepted: owned.length, duplicates: skipped });
    },
  );
};

/**
 * Drops repeats of an eventId within one request; they count as duplicates. `positions` maps
 * each kept event back to its index in the request, for error paths.
 */
function uniqueEvents(events: Event[]): { fresh: Event[]; positions: number[]; duplicates: number } {
  const seen = new Set<string>();
  const fresh: Event[] = [];
  const positions: number[] = [];
  events.forEach((event, index) => {
    if (seen.has(event.eventId)) return;
    seen.add(event.eventId);
    fresh.push(event);
    positions.push(index);
  });
  return { fresh, positions, duplicates: events.length - fresh.length };
}

async function claim(store: IdempotencyStore, platform: Platform, events: Event[]): Promise<Event[]> {
  let claims: boolean[];
  try {
    claims = await store.claim(
      platform,
      events.map((event) => event.eventId),
    );
  } catch {
    throw new Errors.IdempotencyUnavailable();
  }
  return events.filter((_, index) => claims[index]);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no acknowledgement within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
