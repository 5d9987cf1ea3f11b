import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from '@mirrorwatch/redis';
import { z } from 'zod';
import { type Caller, ROLES } from './auth.js';

export const TokenName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be 1–64 of a-z, 0-9, dot, dash, underscore');

/** What is kept of a managed token: who holds it and what it may do, never the secret. */
export const TokenRecord = z.object({
  name: TokenName,
  role: z.enum(ROLES),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type TokenRecord = z.infer<typeof TokenRecord>;

const BY_NAME = 'tokens:by-name';
const byDigest = (digest: string) => `token:${digest}`;
const digestOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

/**
 * Tokens made by admins through the API, beside the ones configured in ALERTS_TOKENS. Only the
 * SHA-256 digest of a secret is stored (`token:<digest>` → name and role, looked up per request);
 * `tokens:by-name` lists them for admins. The secret is shown once, at creation.
 */
export class TokenStore {
  constructor(private readonly redis: Redis) {}

  /** A new token, or undefined when the name is taken. */
  async create(
    name: string,
    role: Caller['role'],
    createdBy: string,
    now: Date,
  ): Promise<{ record: TokenRecord; secret: string } | undefined> {
    const secret = `mw_${randomBytes(24).toString('base64url')}`;
    const digest = digestOf(secret);
    const record: TokenRecord = { name, role, createdAt: now.toISOString(), createdBy };
    const claimed = await this.redis.hsetnx(BY_NAME, name, JSON.stringify({ ...record, digest }));
    if (claimed === 0) return undefined;
    await this.redis.set(byDigest(digest), JSON.stringify({ name, role }));
    return { record, secret };
  }

  async find(secret: string): Promise<Caller | undefined> {
    const text = await this.redis.get(byDigest(digestOf(secret)));
    if (!text) return undefined;
    const { name, role } = JSON.parse(text) as Caller;
    return { name, role };
  }

  async list(): Promise<TokenRecord[]> {
    const all = await this.redis.hvals(BY_NAME);
    return all
      .map((text) => TokenRecord.parse(JSON.parse(text)))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Whether a token of that name existed; it stops working at once. */
  async revoke(name: string): Promise<boolean> {
    const text = await this.redis.hget(BY_NAME, name);
    if (!text) return false;
    const { digest } = JSON.parse(text) as { digest: string };
    await this.redis.del(byDigest(digest));
    await this.redis.hdel(BY_NAME, name);
    return true;
  }
}
