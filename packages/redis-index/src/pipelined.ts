import type { Redis } from '@mirrorwatch/redis';
import type { ChainableCommander } from 'ioredis';

export class RedisPipelineError extends Error {
  override readonly name = 'RedisPipelineError';
}

/**
 * The one way this package talks to Redis: queue commands with `build`, send them in one round
 * trip, and get the replies in order (throwing on the first failed command). Keeping every
 * pipeline behind this function means a Redis Cluster change (split the queue by slot, run the
 * parts concurrently, stitch the replies back in order) happens here and nowhere else.
 */
export async function pipelined(
  redis: Redis,
  build: (pipeline: ChainableCommander) => void,
): Promise<unknown[]> {
  const pipeline = redis.pipeline();
  build(pipeline);
  if (pipeline.length === 0) return [];
  const replies = (await pipeline.exec()) ?? [];
  return replies.map(([error, reply], position) => {
    if (error) throw new RedisPipelineError(`command ${position} of a pipeline failed`, { cause: error });
    return reply;
  });
}
