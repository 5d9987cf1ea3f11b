import createError from '@fastify/error';
import { Errors } from '@mirrorwatch/http';
import type { TypedProducer } from '@mirrorwatch/kafka';
import { Alert, AlertStatus, Decision, Platform } from '@mirrorwatch/schemas';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../authentication.js';
import type { LiveAlerts } from '../live.js';
import type { AlertsMetrics } from '../metrics.js';
import type { AlertStore, DecisionRecord } from '../store.js';

const AlreadyDecided = createError('MW_ALREADY_DECIDED', 'alert was already %s by %s at %s', 409);
const BadCursor = createError('MW_BAD_CURSOR', 'cursor is not one this API handed out', 400);

export interface AlertRouteOptions {
  store: AlertStore;
  producer: TypedProducer;
  live: LiveAlerts;
  metrics: AlertsMetrics;
  now: () => Date;
}

const ListQuery = z.object({
  status: AlertStatus.optional(),
  platform: Platform.optional(),
  entity: z.string().min(1).max(200).optional(),
  minScore: z.coerce.number().min(0).max(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});
const IdParams = z.object({ id: z.string().regex(/^al_[0-9a-f]{24}$/, 'must be an alert id') });
const DecisionBody = z.object({ decision: Decision, note: z.string().max(2000).optional() });
const AlertList = z.object({ alerts: z.array(Alert), nextCursor: z.string().optional() });

/**
 * The moderator API of the contract: list, read, decide; and the audit trail for admins.
 * Registered inside the authenticated scope: every route has `request.caller`.
 */
export const alertRoutes: FastifyPluginAsync<AlertRouteOptions> = async (app, options) => {
  const { store, producer, live, metrics, now } = options;
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/v1/alerts',
    { schema: { querystring: ListQuery, response: { 200: AlertList } } },
    async (request) => {
      const { limit, cursor, ...filter } = request.query;
      try {
        return await store.list(filter, limit, cursor);
      } catch (error) {
        if ((error as Error).message === 'malformed cursor') throw new BadCursor();
        throw error;
      }
    },
  );

  api.get('/v1/alerts/:id', { schema: { params: IdParams, response: { 200: Alert } } }, async (request) => {
    const stored = await store.load(request.params.id);
    if (!stored) throw new Errors.NotFound(`alert ${request.params.id}`);
    return stored.alert;
  });

  api.post(
    '/v1/alerts/:id/decision',
    { schema: { params: IdParams, body: DecisionBody, response: { 200: Alert } } },
    async (request) => {
      requireRole(request, 'moderator', 'decide alerts');
      const { id } = request.params;
      const record: DecisionRecord = {
        decision: request.body.decision,
        decidedBy: request.caller.name,
        decidedAt: now().toISOString(),
        ...(request.body.note !== undefined && { note: request.body.note }),
      };
      const result = await store.decide(id, record);
      if (result.outcome === 'missing') throw new Errors.NotFound(`alert ${id}`);
      let decided = record;
      if (result.outcome === 'already-decided') {
        const { existing } = result;
        // The same moderator repeating the same decision (a retry) gets the same answer.
        if (existing.decidedBy !== record.decidedBy || existing.decision !== record.decision) {
          const verb = existing.decision === 'confirm' ? 'confirmed' : 'dismissed';
          throw new AlreadyDecided(verb, existing.decidedBy, existing.decidedAt);
        }
        decided = existing;
      } else {
        await store.audit({
          action: 'alert.decided',
          alertId: id,
          decision: decided.decision,
          decidedBy: decided.decidedBy,
          decidedAt: decided.decidedAt,
          note: decided.note ?? '',
        });
        metrics.decisions.inc({ decision: decided.decision });
      }
      const stored = await store.load(id);
      if (!stored) throw new Errors.NotFound(`alert ${id}`);
      const { alert } = stored;
      if (result.outcome === 'decided') await store.learn(alert, decided);
      await producer.send('decisions', [
        {
          key: id,
          value: {
            schemaVersion: 1,
            alertId: id,
            decision: decided.decision,
            ...(decided.note !== undefined && { note: decided.note }),
            decidedBy: decided.decidedBy,
            decidedAt: decided.decidedAt,
            candidate: { platform: alert.candidate.platform, accountId: alert.candidate.accountId },
            banned: alert.matches.map((match) => ({
              account: `${match.platform}:${match.accountId}`,
              entity: match.entity,
            })),
          },
        },
      ]);
      await producer.send('alerts', [{ key: id, value: alert }]);
      await live.publish([alert]);
      return alert;
    },
  );

  api.get('/v1/audit', async (request) => {
    requireRole(request, 'admin', 'read the audit trail');
    return { entries: await store.auditEntries() };
  });
};
