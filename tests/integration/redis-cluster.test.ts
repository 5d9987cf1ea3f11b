import { randomUUID } from 'node:crypto';
import { isCluster, scanKeys } from '@mirrorwatch/redis';
import { Alert } from '@mirrorwatch/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectInfra, type TestInfra } from '../support/fixtures.js';
import {
  ADMIN,
  alertsFor,
  banAndIndex,
  type RunningPipeline,
  sendEvent,
  startPipeline,
  waitForAlert,
} from '../support/pipeline.js';
import { groupProfile, mirrorOf } from '../support/profiles.js';

const tag = () => randomUUID().slice(0, 8);

/** Reads a server-sent-events response until `done` says so or 30 s pass. */
async function readEvents(response: Response, done: (text: string) => boolean): Promise<string> {
  const reader = response.body!.getReader();
  let text = '';
  try {
    const deadline = Date.now() + 30_000;
    while (!done(text) && Date.now() < deadline) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      text += Buffer.from(value).toString('utf8');
    }
  } finally {
    await reader.cancel();
  }
  return text;
}

describe('ingest → Kafka → matcher → alerts with REDIS_URL naming a three-master Redis Cluster', () => {
  let infra: TestInfra;
  let pipeline: RunningPipeline;
  let address: string;

  beforeAll(async () => {
    infra = await connectInfra({ redis: 'cluster' });
    expect(infra.redisUrl).toMatch(/^redis\+cluster:\/\//);
    expect(isCluster(infra.redis)).toBe(true);
    pipeline = await startPipeline(infra);
    address = await pipeline.alerts.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await pipeline?.close();
    await infra?.close();
  });

  it('alerts on a mirror of a banned account through the API and the live stream, with its keys on every master', async () => {
    const group = tag();
    const parent = groupProfile(group);
    const ban = await banAndIndex(pipeline, 'telegram', parent, `entity-${group}`);

    // Live alerts travel over pub/sub on a duplicate of the Cluster client.
    const stream = await fetch(`${address}/v1/alerts/stream`, { headers: ADMIN });
    expect(stream.status).toBe(200);
    const mirror = mirrorOf(parent, `mirror-${group}`);
    const live = readEvents(stream, (text) => text.includes(mirror.id));
    const created = await sendEvent(pipeline.ingest, 'telegram', 'account.created', mirror);

    const alert = await waitForAlert(pipeline.alerts, 'telegram', mirror.id);
    expect(alert).toMatchObject({
      status: 'open',
      candidate: { platform: 'telegram', accountId: mirror.id, eventId: created.eventId },
    });
    expect(alert.matches).toHaveLength(1);
    expect(alert.matches[0]).toMatchObject({ accountId: parent.id, entity: `entity-${group}` });
    expect(alert.matches[0]?.evidence.map((line) => line.signal)).toEqual(
      expect.arrayContaining(['handle', 'avatar', 'links', 'phone', 'followees']),
    );
    expect(alert.score).toBeGreaterThan(0.9);

    const event = (await live).split('\n\n').find((block) => block.includes(mirror.id)) ?? '';
    const data = event.split('\n').find((line) => line.startsWith('data: '));
    expect(Alert.parse(JSON.parse(data?.slice('data: '.length) ?? '{}')).id).toBe(alert.id);

    // The index, the window, idempotency claims and the alert really are spread over the shards.
    if (!isCluster(infra.redis)) throw new Error('not a cluster');
    const perMaster = await Promise.all(
      infra.redis.nodes('master').map((node) => scanKeys(node, `${infra.keyPrefix}*`)),
    );
    expect(perMaster).toHaveLength(3);
    for (const keys of perMaster) expect(keys.length).toBeGreaterThan(0);
    const all = perMaster.flat().map((key) => key.slice(infra.keyPrefix.length));
    expect(all).toEqual(
      expect.arrayContaining([
        `alert:${alert.id}`,
        `idem:telegram:${ban.eventId}`,
        `idem:telegram:${created.eventId}`,
        expect.stringMatching(/^idx:banned:k:\{banned:\d+\}:/),
        expect.stringMatching(/^idx:recent:d:\d+$/),
        expect.stringMatching(/^tf:accounts:h:\d+$/),
      ]),
    );
  });

  it('finds a backup made before the ban when the ban lands (retro-hunt over the recent window)', async () => {
    const group = tag();
    const parent = groupProfile(group);
    const backup = mirrorOf(parent, `backup-${group}`);
    const earlier = new Date(Date.now() - 10 * 60_000);
    const created = await sendEvent(
      pipeline.ingest,
      'x',
      'account.created',
      { ...backup, createdAt: earlier.toISOString() },
      { occurredAt: earlier },
    );
    await pipeline.processed(created.eventId);
    expect(await alertsFor(pipeline.alerts, 'x', backup.id)).toEqual([]);

    await sendEvent(pipeline.ingest, 'x', 'account.banned', parent, { entity: `entity-${group}` });
    const alert = await waitForAlert(pipeline.alerts, 'x', backup.id);
    expect(alert.matches[0]).toMatchObject({ accountId: parent.id, via: 'retro-hunt' });
  });

  it('counts a redelivery as a duplicate, and a dismissal suppresses the pair and is kept as a label', async () => {
    const group = tag();
    const parent = groupProfile(group);
    await banAndIndex(pipeline, 'whatsapp', parent, `entity-${group}`);
    const mirror = mirrorOf(parent, `mirror-${group}`);
    const first = await sendEvent(pipeline.ingest, 'whatsapp', 'account.created', mirror);
    const again = await sendEvent(pipeline.ingest, 'whatsapp', 'account.created', mirror, {
      eventId: first.eventId,
    });
    expect(again.response.body).toEqual({ accepted: 0, duplicates: 1 });
    const alert = await waitForAlert(pipeline.alerts, 'whatsapp', mirror.id);

    // The decision script on the alert's hash, then one pipeline over the suppression set and the
    // labels stream, which live on different slots.
    const decided = await pipeline.alerts.inject({
      method: 'POST',
      url: `/v1/alerts/${alert.id}/decision`,
      headers: ADMIN,
      payload: { decision: 'dismiss', note: 'reviewed on the cluster' },
    });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json().status).toBe('dismissed');
    const twice = await pipeline.alerts.inject({
      method: 'POST',
      url: `/v1/alerts/${alert.id}/decision`,
      headers: ADMIN,
      payload: { decision: 'confirm' },
    });
    expect(twice.statusCode).toBe(409);

    expect(await infra.redis.smembers(`suppressed:whatsapp:${mirror.id}`)).toEqual([`whatsapp:${parent.id}`]);
    const labels = (await infra.redis.xrange('labels', '-', '+'))
      .map(([, fields]) => JSON.parse(fields[1] as string))
      .filter((label) => label.alertId === alert.id);
    expect(labels).toEqual([
      expect.objectContaining({
        candidate: `whatsapp:${mirror.id}`,
        banned: `whatsapp:${parent.id}`,
        match: false,
      }),
    ]);
  });
});
