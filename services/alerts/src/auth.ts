import { createHash, timingSafeEqual } from 'node:crypto';

export const ROLES = ['viewer', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiToken {
  name: string;
  role: Role;
  secret: string;
}

export interface Caller {
  name: string;
  role: Role;
}

/** Parses `name:role:secret,…`; the secret may itself contain colons. */
export function parseTokens(value: string): ApiToken[] {
  const tokens: ApiToken[] = [];
  for (const item of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [name, role, ...rest] = item.split(':');
    const secret = rest.join(':');
    if (!name || !role || !secret) throw new Error(`"${name ?? item}" must be name:role:secret`);
    if (!(ROLES as readonly string[]).includes(role))
      throw new Error(`token "${name}" has role "${role}"; roles are ${ROLES.join(', ')}`);
    if (secret.length < 8) throw new Error(`token "${name}" is shorter than 8 characters`);
    tokens.push({ name, role: role as Role, secret });
  }
  return tokens;
}

const digest = (secret: string) => createHash('sha256').update(secret).digest();

/**
 * Bearer-token check. Only SHA-256 digests of the secrets are kept; a presented token is hashed
 * and compared with every digest in constant time, so neither memory nor timing gives it away.
 */
export function createAuthenticator(
  tokens: readonly ApiToken[],
): (header: string | undefined) => Caller | undefined {
  const known = tokens.map(({ name, role, secret }) => ({ name, role, digest: digest(secret) }));
  return (header) => {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match?.[1]) return undefined;
    const presented = digest(match[1]);
    let found: Caller | undefined;
    for (const token of known)
      if (timingSafeEqual(token.digest, presented)) found = { name: token.name, role: token.role };
    return found;
  };
}

export function hasRole(caller: Caller, needed: Role): boolean {
  return ROLES.indexOf(caller.role) >= ROLES.indexOf(needed);
}
