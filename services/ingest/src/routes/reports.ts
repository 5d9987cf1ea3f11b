import { reportEventId, toReportedAccountMessage } from '@mirrorwatch/identifiers';
import { type Platform, ReportsBody } from '@mirrorwatch/schemas';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Submission } from '../publish.js';
import type { PlatformRouteContext } from './platform.js';
import { Accepted } from './signed.js';

/**
 * `POST /v1/reports/:platform`: reports from outside the platform (a trusted flagger, an
 * authority) that an account belongs to an entity. Each becomes an `account.reported` event: a
 * lead for human review, never a ban. Signed, validated, deduplicated and hashed exactly like
 * the platform's webhooks; a report is claimed as `report:<reportId>`, apart from platform eventIds.
 */
export function reportRoute(app: FastifyInstance, context: PlatformRouteContext): void {
  const { pseudonymizer, publisher } = context;
  app.withTypeProvider<ZodTypeProvider>().post(
    '/v1/reports/:platform',
    {
      ...context.signed('reports'),
      schema: {
        params: z.object({ platform: z.string() }),
        body: ReportsBody,
        response: { 202: Accepted },
      },
    },
    async (request, reply) => {
      const platform = request.params.platform as Platform;
      const receivedAt = new Date(request.receivedAtMs);
      const submissions = request.body.reports.map(
        (report, index): Submission => ({
          eventId: reportEventId(report.reportId),
          account: report.account,
          path: request.isBatch ? ['reports', index] : [],
          toMessage: (account) =>
            toReportedAccountMessage({ ...report, account }, platform, receivedAt, pseudonymizer),
        }),
      );
      const counts = await publisher.publish({
        platform,
        kind: 'report',
        submissions,
        log: request.log,
        receivedAtMs: request.receivedAtMs,
      });
      return reply.status(202).send(counts);
    },
  );
}
