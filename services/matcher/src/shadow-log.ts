import { pipelined, type Redis } from '@mirrorwatch/redis';
import type { ShadowDifference, ShadowLog } from './stores.js';

/** The Redis stream of shadow-model differences, newest kept, oldest trimmed. */
export const SHADOW_STREAM = 'shadow:differences';

/**
 * Keeps the last `maxLength` (approximately) differences between the live and the shadow model
 * in one Redis stream: enough to judge a candidate model, bounded so it can run for weeks.
 * Account keys only; no profile data.
 */
export class RedisShadowLog implements ShadowLog {
  private readonly redis: Redis;
  private readonly maxLength: number;

  constructor({ redis, maxLength = 10_000 }: { redis: Redis; maxLength?: number }) {
    this.redis = redis;
    this.maxLength = maxLength;
  }

  async record(differences: readonly ShadowDifference[]): Promise<void> {
    if (differences.length === 0) return;
    await pipelined(this.redis, (pipeline) => {
      for (const difference of differences)
        pipeline.xadd(
          SHADOW_STREAM,
          'MAXLEN',
          '~',
          this.maxLength,
          '*',
          'difference',
          JSON.stringify(difference),
        );
    });
  }
}
