import { Errors } from '@mirrorwatch/http';
import { isPlatform, type Platform } from '@mirrorwatch/schemas';
import type { onRequestHookHandler, onResponseHookHandler, preValidationHookHandler } from 'fastify';
import { z } from 'zod';
import type { IngestMetrics } from '../metrics.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook } from '../signature.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** When the request arrived (ms since epoch): the start of alert latency. */
    receivedAtMs: number;
    /** Whether the body was a batch (`{ events: [...] }`, `{ reports: [...] }`): field paths then start with `events.N`. */
    isBatch: boolean;
  }
}

/** The 202 answer of every signed route: items published now, and items already accepted before. */
export const Accepted = z.object({ accepted: z.number().int(), duplicates: z.number().int() });

export interface SignedRouteOptions {
  webhookSecrets: ReadonlyMap<Platform, string>;
  toleranceSeconds: number;
  bodyLimitBytes: number;
  metrics: IngestMetrics;
  now: () => Date;
}

export interface SignedRouteHooks {
  bodyLimit: number;
  onRequest: onRequestHookHandler;
  onResponse: onResponseHookHandler;
  preValidation: preValidationHookHandler;
}

/**
 * The guard of every `POST /v1/…/:platform` route: 404 for a platform without a secret, 401
 * unless the HMAC over the exact bytes sent is valid and recent, and only then the bytes are
 * parsed as JSON for schema validation. Needs the raw-body parser `platformRoutes` installs.
 * `batchField` is the key whose presence makes the body a batch.
 */
export function signedRouteHooks(options: SignedRouteOptions, batchField: string): SignedRouteHooks {
  const { webhookSecrets, metrics, now } = options;
  return {
    bodyLimit: options.bodyLimitBytes,
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
      // Until the signature is checked, the "body" is the raw bytes from the parser.
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
        request.isBatch = typeof body === 'object' && body !== null && batchField in body;
      } catch (error) {
        throw new Errors.InvalidJson((error as Error).message);
      }
    },
  };
}
