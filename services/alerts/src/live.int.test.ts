import { randomUUID } from 'node:crypto';
import { createLogger } from '@mirrorwatch/logger';
import { closeRedis, createRedisClient, type Redis } from '@mirrorwatch/redis';
import type { Alert } from '@mirrorwatch/schemas';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createLiveAlerts, type LiveAlerts } from './live.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

const logger = createLogger({ name: 'test', level: 'silent' });
/** The live channel only carries alerts through; its content is not looked at. */
const alert = (id: string) => ({ id }) as Alert;

describe('live alerts over Redis pub/sub', () => {
  let redis: Redis;
  let live: LiveAlerts;
  let channel: string;
  beforeEach(async () => {
    redis = createRedisClient({ url: inject('redisUrl'), keyPrefix: '', logger });
    await redis.connect();
    channel = `test:${randomUUID()}:alerts:live`;
    live = createLiveAlerts(redis, channel, logger);
    await live.start();
  });
  afterEach(async () => {
    await live.stop();
    await closeRedis(redis);
  });

  const subscribers = async () => {
    const [, count] = (await redis.call('PUBSUB', 'NUMSUB', channel)) as [string, number];
    return count;
  };

  it('listens on the channel only while someone listens, and hands every alert to every listener', async () => {
    expect(await subscribers()).toBe(0);
    const first: string[] = [];
    const second: string[] = [];
    const leaveFirst = await live.subscribe((received) => first.push(received.id));
    const leaveSecond = await live.subscribe((received) => second.push(received.id));
    expect(await subscribers()).toBe(1);

    await live.publish([alert('al_1'), alert('al_2')]);
    await expect
      .poll(() => [first, second])
      .toEqual([
        ['al_1', 'al_2'],
        ['al_1', 'al_2'],
      ]);

    leaveFirst();
    await live.publish([alert('al_3')]);
    await expect.poll(() => second).toEqual(['al_1', 'al_2', 'al_3']);
    expect(first).toEqual(['al_1', 'al_2']);
    expect(await subscribers()).toBe(1);

    leaveSecond();
    await expect.poll(subscribers).toBe(0);
  });

  it('stays subscribed for a listener that arrives as the last one leaves', async () => {
    const leave = await live.subscribe(() => undefined);
    leave();
    const received: string[] = [];
    await live.subscribe((next) => received.push(next.id));
    await live.publish([alert('al_9')]);
    await expect.poll(() => received).toEqual(['al_9']);
    expect(await subscribers()).toBe(1);
  });
});
