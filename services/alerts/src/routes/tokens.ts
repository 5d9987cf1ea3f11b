import createError from '@fastify/error';
import { Errors } from '@mirrorwatch/http';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../auth.js';
import { requireRole } from '../authentication.js';
import type { AlertStore } from '../store.js';
import { TokenName, TokenRecord, type TokenStore } from '../tokens.js';

const TokenTaken = createError('MW_TOKEN_NAME_TAKEN', 'a token named %s already exists', 409);
const TokenConfigured = createError(
  'MW_TOKEN_CONFIGURED',
  'token %s is configured in ALERTS_TOKENS; change it there',
  409,
);

export interface TokenRouteOptions {
  tokens: TokenStore;
  /** Names of the tokens configured in ALERTS_TOKENS, which the API neither shadows nor revokes. */
  configuredNames: ReadonlySet<string>;
  store: AlertStore;
  now: () => Date;
}

/** Admins manage API tokens: list (never secrets), create (the secret shown once), revoke. Audited. */
export const tokenRoutes: FastifyPluginAsync<TokenRouteOptions> = async (app, options) => {
  const { tokens, configuredNames, store, now } = options;
  const api = app.withTypeProvider<ZodTypeProvider>();
  app.addHook('onRequest', async (request) => requireRole(request, 'admin', 'manage tokens'));

  api.get(
    '/v1/tokens',
    { schema: { response: { 200: z.object({ tokens: z.array(TokenRecord) }) } } },
    async () => ({
      tokens: await tokens.list(),
    }),
  );

  api.post(
    '/v1/tokens',
    {
      schema: {
        body: z.object({ name: TokenName, role: z.enum(ROLES) }),
        response: { 201: TokenRecord.extend({ token: z.string() }) },
      },
    },
    async (request, reply) => {
      const { name, role } = request.body;
      if (configuredNames.has(name)) throw new TokenConfigured(name);
      const created = await tokens.create(name, role, request.caller.name, now());
      if (!created) throw new TokenTaken(name);
      await store.audit({
        action: 'token.created',
        token: name,
        role,
        by: request.caller.name,
        at: created.record.createdAt,
      });
      return reply.code(201).send({ ...created.record, token: created.secret });
    },
  );

  api.delete(
    '/v1/tokens/:name',
    { schema: { params: z.object({ name: TokenName }) } },
    async (request, reply) => {
      const { name } = request.params;
      if (configuredNames.has(name)) throw new TokenConfigured(name);
      if (!(await tokens.revoke(name))) throw new Errors.NotFound(`token ${name}`);
      await store.audit({
        action: 'token.revoked',
        token: name,
        by: request.caller.name,
        at: now().toISOString(),
      });
      return reply.code(204).send();
    },
  );
};
