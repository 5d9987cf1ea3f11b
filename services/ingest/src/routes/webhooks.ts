import { toAccountEventMessage } from '@mirrorwatch/identifiers';
import { type Platform, WebhookBody } from '@mirrorwatch/schemas';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Submission } from '../publish.js';
import type { PlatformRouteContext } from './platform.js';
import { Accepted } from './signed.js';

/** `POST /v1/webhooks/:platform`: the platform's own account events, one or a batch. */
export function webhookRoute(app: FastifyInstance, context: PlatformRouteContext): void {
  const { pseudonymizer, publisher } = context;
  app.withTypeProvider<ZodTypeProvider>().post(
    '/v1/webhooks/:platform',
    {
      ...context.signed('events'),
      schema: {
        params: z.object({ platform: z.string() }),
        body: WebhookBody,
        response: { 202: Accepted },
      },
    },
    async (request, reply) => {
      const platform = request.params.platform as Platform;
      const receivedAt = new Date(request.receivedAtMs);
      const submissions = request.body.events.map(
        (event, index): Submission => ({
          eventId: event.eventId,
          account: event.account,
          path: request.isBatch ? ['events', index] : [],
          toMessage: (account) =>
            toAccountEventMessage({ ...event, account }, platform, receivedAt, pseudonymizer),
        }),
      );
      const counts = await publisher.publish({
        platform,
        kind: 'event',
        submissions,
        log: request.log,
        receivedAtMs: request.receivedAtMs,
      });
      return reply.status(202).send(counts);
    },
  );
}
