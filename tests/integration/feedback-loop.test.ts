import { randomUUID } from 'node:crypto';
import type { Alert } from '@mirrorwatch/schemas';
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
import { groupProfile, mirrorOf, type Profile } from '../support/profiles.js';

const tag = () => randomUUID().slice(0, 8);

/**
 * A mirror that brought its own phone, device and follower circle: strong evidence against its
 * parent (handle, logo, invite, bio), and the only thing its own mirror has in common with it.
 */
function mirrorWithOwnContacts(parent: Profile, group: string): Profile {
  const own = groupProfile(`own-${group}`);
  return {
    ...mirrorOf(parent, `mirror-${group}`),
    phone: own.phone,
    deviceId: own.deviceId,
    followees: own.followees,
  };
}

/**
 * Shares the mirror's phone, device and circle, and of the original parent only the handle's
 * core, which alone is far too weak to alert on.
 */
function mirrorOfMirror(parent: Profile, mirror: Profile, id: string): Profile {
  const unrelated = groupProfile(`unrelated-${id}`);
  return {
    ...unrelated,
    id,
    handle: `${parent.handle}_official`,
    phone: mirror.phone,
    deviceId: mirror.deviceId,
    followees: mirror.followees,
  } as Profile;
}

async function decide(
  pipeline: RunningPipeline,
  alert: Alert,
  decision: 'confirm' | 'dismiss',
  note: string,
) {
  const response = await pipeline.alerts.inject({
    method: 'POST',
    url: `/v1/alerts/${alert.id}/decision`,
    headers: ADMIN,
    payload: { decision, note },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Alert;
}

/** The alerts service's count of matches with this outcome (0 before the first). */
async function matchesWithOutcome(pipeline: RunningPipeline, outcome: string): Promise<number> {
  const text = (await pipeline.alerts.inject({ method: 'GET', url: '/metrics' })).body;
  const found = text
    .split('\n')
    .find(
      (row) => row.startsWith('mirrorwatch_alerts_matches_total{') && row.includes(`outcome="${outcome}"`),
    );
  return found ? Number(found.split(' ').at(-1)) : 0;
}

describe('moderators decide; the decisions flow back into matching', () => {
  let infra: TestInfra;
  let pipeline: RunningPipeline;

  beforeAll(async () => {
    infra = await connectInfra();
    pipeline = await startPipeline(infra);
  });

  afterAll(async () => {
    await pipeline?.close();
    await infra?.close();
  });

  it('a confirmed mirror is banned in turn: its own mirrors, before and after the confirmation, raise alerts naming it', async () => {
    const group = tag();
    const entity = `entity-${group}`;
    const parent = groupProfile(group);
    await banAndIndex(pipeline, 'telegram', parent, entity);
    const mirror = mirrorWithOwnContacts(parent, group);
    await sendEvent(pipeline.ingest, 'telegram', 'account.created', mirror);
    const alert = await waitForAlert(pipeline.alerts, 'telegram', mirror.id);
    expect(alert.matches.map((match) => match.accountId)).toEqual([parent.id]);

    // Made before the confirmation: resembles the mirror only, so nothing is raised yet.
    const early = mirrorOfMirror(parent, mirror, `early-${group}`);
    await pipeline.processed(
      (await sendEvent(pipeline.ingest, 'telegram', 'account.created', early)).eventId,
    );
    expect(await alertsFor(pipeline.alerts, 'telegram', early.id)).toEqual([]);

    await decide(pipeline, alert, 'confirm', `same operator as ${parent.handle}`);
    // The confirmation's ban retro-hunts the recent window and finds the early one.
    const retro = await waitForAlert(pipeline.alerts, 'telegram', early.id);
    expect(retro.matches.map((match) => [match.accountId, match.entity, match.via])).toEqual([
      [mirror.id, entity, 'retro-hunt'],
    ]);

    const late = mirrorOfMirror(parent, mirror, `late-${group}`);
    await sendEvent(pipeline.ingest, 'telegram', 'account.created', late);
    const next = await waitForAlert(pipeline.alerts, 'telegram', late.id);
    expect(next.matches.map((match) => [match.accountId, match.entity, match.via])).toEqual([
      [mirror.id, entity, 'candidate'],
    ]);
    expect(next.matches[0]?.evidence.map((line) => line.signal)).toEqual(
      expect.arrayContaining(['phone', 'device', 'followees']),
    );
  });

  it('a dismissed pair does not alert again, and the decision is kept as a labelled pair', async () => {
    const group = tag();
    const parent = groupProfile(group);
    await banAndIndex(pipeline, 'x', parent, `entity-${group}`);
    const lookalike = mirrorOf(parent, `lookalike-${group}`);
    await sendEvent(pipeline.ingest, 'x', 'account.created', lookalike);
    const alert = await waitForAlert(pipeline.alerts, 'x', lookalike.id);
    const dismissed = await decide(pipeline, alert, 'dismiss', 'fan account, reviewed');
    expect(dismissed.status).toBe('dismissed');

    const suppressedBefore = await matchesWithOutcome(pipeline, 'suppressed');
    // The same account changes its profile: the matcher finds the pair again.
    const update = await sendEvent(pipeline.ingest, 'x', 'account.updated', {
      ...lookalike,
      bio: `${lookalike.bio} (new)`,
    });
    await pipeline.processed(update.eventId);
    await expect
      .poll(() => matchesWithOutcome(pipeline, 'suppressed'), {
        timeout: 30_000,
      })
      .toBeGreaterThan(suppressedBefore);
    const after = await alertsFor(pipeline.alerts, 'x', lookalike.id);
    expect(after.map((found) => [found.id, found.status])).toEqual([[alert.id, 'dismissed']]);
    expect(after[0]?.matches).toEqual(dismissed.matches);

    const labels = await infra.redis.xrange('labels', '-', '+');
    const mine = labels
      .map(([, fields]) => JSON.parse(fields[1] as string))
      .filter((label) => label.alertId === alert.id);
    expect(mine).toEqual([
      expect.objectContaining({
        candidate: `x:${lookalike.id}`,
        banned: `x:${parent.id}`,
        match: false,
        levels: expect.objectContaining({ handle: expect.any(String), avatar: expect.any(String) }),
      }),
    ]);
  });
});
