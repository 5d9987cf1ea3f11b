import { buildApp as buildAlerts } from '@mirrorwatch/alerts/app';
import { loadAlertsConfig } from '@mirrorwatch/alerts/config';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectInfra, serviceEnv, type TestInfra } from '../support/fixtures.js';

const ADMIN = { authorization: 'Bearer admin-secret-1' };
const MODERATOR = { authorization: 'Bearer moderator-secret-1' };

describe('API tokens managed by admins, stored hashed', () => {
  let infra: TestInfra;
  let alerts: FastifyInstance;

  beforeAll(async () => {
    infra = await connectInfra();
    const env = serviceEnv(infra, {
      MIRRORWATCH_MODE: 'production',
      IDENTIFIER_PEPPER: 'p'.repeat(40),
      ALERTS_GROUP_ID: infra.unique('alerts'),
      ALERTS_TOKENS: 'root:admin:admin-secret-1,mod:moderator:moderator-secret-1',
    });
    alerts = await buildAlerts({ config: loadAlertsConfig(env), ...infra });
    await alerts.ready();
  });

  afterAll(async () => {
    await alerts?.close();
    await infra?.close();
  });

  const call = (
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    headers: Record<string, string>,
    payload?: object,
  ) => alerts.inject({ method, url, headers, ...(payload && { payload }) });

  it('creates a token whose secret is shown once and kept only as a digest; it works until revoked', async () => {
    const created = await call('POST', '/v1/tokens', ADMIN, { name: 'reviewer-7', role: 'viewer' });
    expect(created.statusCode, created.body).toBe(201);
    const { token, ...record } = created.json();
    expect(record).toMatchObject({ name: 'reviewer-7', role: 'viewer', createdBy: 'root' });
    expect(token).toMatch(/^mw_[A-Za-z0-9_-]{32}$/);

    const stored = await infra.redis.hgetall('tokens:by-name');
    expect(JSON.stringify(stored)).not.toContain(token);
    expect((await call('GET', '/v1/tokens', ADMIN)).json().tokens).toEqual([record]);

    const viewer = { authorization: `Bearer ${token}` };
    expect((await call('GET', '/v1/alerts', viewer)).statusCode).toBe(200);
    const decision = await call('POST', `/v1/alerts/al_${'a'.repeat(24)}/decision`, viewer, {
      decision: 'confirm',
    });
    expect(decision.statusCode).toBe(403);
    expect((await call('GET', '/v1/tokens', viewer)).statusCode).toBe(403);

    expect((await call('DELETE', '/v1/tokens/reviewer-7', ADMIN)).statusCode).toBe(204);
    expect((await call('GET', '/v1/alerts', viewer)).statusCode).toBe(401);
    expect((await call('DELETE', '/v1/tokens/reviewer-7', ADMIN)).statusCode).toBe(404);

    const audit = (await call('GET', '/v1/audit', ADMIN))
      .json()
      .entries.map((entry: { fields: Record<string, string> }) => [entry.fields.action, entry.fields.token]);
    expect(audit).toEqual(
      expect.arrayContaining([
        ['token.created', 'reviewer-7'],
        ['token.revoked', 'reviewer-7'],
      ]),
    );
  });

  it('is for admins only, refuses taken or configured names, and checks the body', async () => {
    expect((await call('POST', '/v1/tokens', MODERATOR, { name: 'x1', role: 'admin' })).statusCode).toBe(403);
    expect((await call('POST', '/v1/tokens', ADMIN, { name: 'twice', role: 'moderator' })).statusCode).toBe(
      201,
    );
    const again = await call('POST', '/v1/tokens', ADMIN, { name: 'twice', role: 'viewer' });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'MW_TOKEN_NAME_TAKEN']);
    const configured = await call('POST', '/v1/tokens', ADMIN, { name: 'mod', role: 'viewer' });
    expect([configured.statusCode, configured.json().error.code]).toEqual([409, 'MW_TOKEN_CONFIGURED']);
    const bad = await call('POST', '/v1/tokens', ADMIN, { name: 'Not Valid!', role: 'owner' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/name/);
    expect(bad.body).toMatch(/role/);
  });

  it('guards the live stream like every other API route', async () => {
    expect((await call('GET', '/v1/alerts/stream', {})).statusCode).toBe(401);
  });
});
