import { Errors } from '@mirrorwatch/http';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type Caller, hasRole, type Role } from './auth.js';
import type { TokenStore } from './tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller;
  }
}

export interface AuthenticationOptions {
  /** The tokens configured in ALERTS_TOKENS (constant-time digest comparison). */
  configured: (header: string | undefined) => Caller | undefined;
  /** Tokens admins made through the API. */
  managed: TokenStore;
}

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * Every route of the scope it is registered in needs a bearer token: a configured one, or one
 * an admin made. Registered with fastify-plugin so the hook reaches the sibling route plugins.
 */
export const authentication = fp<AuthenticationOptions>(
  async (app, { configured, managed }) => {
    app.decorateRequest('caller', undefined as unknown as Caller);
    app.addHook('onRequest', async (request) => {
      const header = request.headers.authorization;
      let caller = configured(header);
      if (!caller) {
        const secret = BEARER.exec(header ?? '')?.[1];
        if (secret) caller = await managed.find(secret);
      }
      if (!caller) throw new Errors.Unauthorized();
      request.caller = caller;
    });
  },
  { name: 'mirrorwatch-authentication' },
);

/** Refuses with 403 unless the caller's role is at least `role`; `action` completes "this token may not …". */
export function requireRole(request: FastifyRequest, role: Role, action: string): void {
  if (!hasRole(request.caller, role)) throw new Errors.Forbidden(action);
}
