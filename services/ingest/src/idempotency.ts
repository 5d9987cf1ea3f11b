import { pipelined, type Redis } from '@mirrorwatch/redis';
import type { Platform } from '@mirrorwatch/schemas';

export interface IdempotencyStore {
  /**
   * Claims each event id for publication. Returns, per id, whether this request owns it (false:
   * already accepted, or being published by a concurrent delivery).
   */
  claim(platform: Platform, eventIds: string[]): Promise<boolean[]>;
  /** The claimed events were acknowledged by Kafka: remember them for the TTL. */
  commit(platform: Platform, eventIds: string[]): Promise<void>;
  /** Publication failed: forget the claims so the platform's retry is accepted. */
  release(platform: Platform, eventIds: string[]): Promise<void>;
}

/** A claim lives this long if the process dies between claim and commit/release. */
const CLAIM_TTL_MS = 60_000;

/**
 * Per-(platform, eventId) idempotency in Redis. One key per event (no multi-key command), sent
 * as one pipeline per request (split by node on a Redis Cluster).
 */
export function createIdempotencyStore(redis: Redis, ttlSeconds: number): IdempotencyStore {
  const key = (platform: Platform, eventId: string) => `idem:${platform}:${eventId}`;
  return {
    async claim(platform, eventIds) {
      const replies = await pipelined(redis, (pipeline) => {
        for (const id of eventIds) pipeline.set(key(platform, id), 'pending', 'PX', CLAIM_TTL_MS, 'NX');
      });
      return replies.map((reply) => reply === 'OK');
    },
    async commit(platform, eventIds) {
      await pipelined(redis, (pipeline) => {
        for (const id of eventIds) pipeline.set(key(platform, id), 'done', 'EX', ttlSeconds);
      });
    },
    async release(platform, eventIds) {
      await pipelined(redis, (pipeline) => {
        for (const id of eventIds) pipeline.del(key(platform, id));
      });
    },
  };
}
