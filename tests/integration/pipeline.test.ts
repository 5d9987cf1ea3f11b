import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectInfra, type TestInfra } from '../support/fixtures.js';
import {
  alertsFor,
  banAndIndex,
  type RunningPipeline,
  sendEvent,
  startPipeline,
  waitForAlert,
} from '../support/pipeline.js';
import { blandProfile, groupProfile, mirrorOf } from '../support/profiles.js';
import { signedHeaders } from '../support/webhooks.js';

const MINUTE = 60_000;
const tag = () => randomUUID().slice(0, 8);

describe('webhooks → ingest → Kafka → matcher and indexer on Redis → matches → alerts API', () => {
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

  it('alerts on a mirror created after the ban, naming the banned account, with evidence', async () => {
    const group = tag();
    const parent = groupProfile(group);
    await banAndIndex(pipeline, 'telegram', parent, `entity-${group}`);

    const mirror = mirrorOf(parent, `mirror-${group}`);
    const created = await sendEvent(pipeline.ingest, 'telegram', 'account.created', mirror);
    const alert = await waitForAlert(pipeline.alerts, 'telegram', mirror.id);

    expect(alert).toMatchObject({
      status: 'open',
      candidate: {
        platform: 'telegram',
        accountId: mirror.id,
        handle: mirror.handle,
        eventId: created.eventId,
      },
    });
    expect(alert.matches).toHaveLength(1);
    const [match] = alert.matches;
    expect(match).toMatchObject({ platform: 'telegram', accountId: parent.id, entity: `entity-${group}` });
    const signals = match?.evidence.map((line) => line.signal) ?? [];
    expect(signals).toEqual(expect.arrayContaining(['handle', 'avatar', 'links', 'phone', 'followees']));
    // The evidence names shared identifiers as facts, never their values.
    expect(JSON.stringify(alert)).not.toContain('7700');
    expect(alert.score).toBeGreaterThan(0.9);
    expect(alert.latencyMs).toBeGreaterThanOrEqual(0);
    expect(alert.latencyMs).toBeLessThan(30_000);
  });

  it('alerts on a backup made 10 minutes before the ban when the ban arrives (retro-hunt)', async () => {
    const group = tag();
    const parent = groupProfile(group);
    const backup = mirrorOf(parent, `backup-${group}`);
    const tenMinutesAgo = new Date(Date.now() - 10 * MINUTE);
    const created = await sendEvent(
      pipeline.ingest,
      'x',
      'account.created',
      { ...backup, createdAt: tenMinutesAgo.toISOString() },
      { occurredAt: tenMinutesAgo },
    );
    await pipeline.processed(created.eventId);
    expect(await alertsFor(pipeline.alerts, 'x', backup.id)).toEqual([]);

    const ban = await sendEvent(pipeline.ingest, 'x', 'account.banned', parent, {
      entity: `entity-${group}`,
    });
    const alert = await waitForAlert(pipeline.alerts, 'x', backup.id);
    expect(alert.matches[0]).toMatchObject({ accountId: parent.id, entity: `entity-${group}` });
    const timing = alert.matches[0]?.evidence.find((line) => line.signal === 'timing');
    expect(timing?.detail).toMatch(/created 10 min before the ban/);
    expect(alert.candidate.eventId).toBe(created.eventId);
    // Latency runs from the ban that caused the search, not from the backup's old event.
    expect(alert.latencyMs).toBeLessThan(30_000);
    expect(ban.response.body.accepted).toBe(1);
  });

  it('alerts when a bland account is renamed to the banned profile by account.updated', async () => {
    const group = tag();
    const parent = groupProfile(group);
    await banAndIndex(pipeline, 'instagram', parent, `entity-${group}`);

    const sleeper = blandProfile(group);
    const created = await sendEvent(pipeline.ingest, 'instagram', 'account.created', sleeper);
    await pipeline.processed(created.eventId);
    expect(await alertsFor(pipeline.alerts, 'instagram', sleeper.id)).toEqual([]);

    const { id: _parentId, ...parentLook } = parent;
    const updated = await sendEvent(pipeline.ingest, 'instagram', 'account.updated', {
      ...parentLook,
      id: sleeper.id,
      handle: `${parent.handle}_`,
    });
    const alert = await waitForAlert(pipeline.alerts, 'instagram', sleeper.id);
    expect(alert.candidate.eventId).toBe(updated.eventId);
    expect(alert.matches[0]?.accountId).toBe(parent.id);
  });

  it('raises no alert for a copy of an account once it has been reinstated', async () => {
    const group = tag();
    const wronglyBanned = groupProfile(group);
    await sendEvent(pipeline.ingest, 'facebook', 'account.banned', wronglyBanned, {
      entity: `entity-${group}`,
    });
    const reinstated = await sendEvent(pipeline.ingest, 'facebook', 'account.reinstated', wronglyBanned);
    await pipeline.processed(reinstated.eventId);

    const copy = mirrorOf(wronglyBanned, `copy-${group}`);
    await sendEvent(pipeline.ingest, 'facebook', 'account.created', copy);

    // A barrier: the same account, updated to mirror a group that stays banned. Its events share
    // a partition and its matches share a key, so once this alert exists, any alert the first
    // profile could have raised would exist too.
    const other = groupProfile(tag());
    await banAndIndex(pipeline, 'facebook', other, 'still-banned');
    await sendEvent(pipeline.ingest, 'facebook', 'account.updated', mirrorOf(other, copy.id));
    await waitForAlert(pipeline.alerts, 'facebook', copy.id, { entity: 'still-banned' });

    const alerts = await alertsFor(pipeline.alerts, 'facebook', copy.id);
    expect(alerts.flatMap((alert) => alert.matches.map((match) => match.entity))).toEqual(['still-banned']);
  });

  it('counts a redelivered eventId as a duplicate and raises one alert, not two', async () => {
    const group = tag();
    const parent = groupProfile(group);
    await banAndIndex(pipeline, 'whatsapp', parent, `entity-${group}`);
    const mirror = mirrorOf(parent, `mirror-${group}`);
    const first = await sendEvent(pipeline.ingest, 'whatsapp', 'account.created', mirror);
    const again = await sendEvent(pipeline.ingest, 'whatsapp', 'account.created', mirror, {
      eventId: first.eventId,
    });
    expect(again.response.body).toEqual({ accepted: 0, duplicates: 1 });

    await waitForAlert(pipeline.alerts, 'whatsapp', mirror.id);
    // The same profile sent again under a new eventId is matched again; the pair still makes one alert.
    const third = await sendEvent(pipeline.ingest, 'whatsapp', 'account.updated', mirror);
    await pipeline.processed(third.eventId);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const alerts = await alertsFor(pipeline.alerts, 'whatsapp', mirror.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.matches).toHaveLength(1);
  });

  it("turns a trusted flagger's report into an alert for review naming the reporter; the account is not banned", async () => {
    const group = tag();
    const reported = blandProfile(`reported-${group}`);
    const body = JSON.stringify({
      reportId: `rep-${group}`,
      occurredAt: new Date().toISOString(),
      source: 'trusted-flagger-7',
      entity: `entity-${group}`,
      reason: 'listed in a designation notice',
      account: reported,
    });
    const response = await pipeline.ingest.inject({
      method: 'POST',
      url: '/v1/reports/telegram',
      headers: signedHeaders(body),
      payload: body,
    });
    expect(response.statusCode, response.body).toBe(202);

    const alert = await waitForAlert(pipeline.alerts, 'telegram', reported.id);
    expect(alert.status).toBe('open');
    expect(alert.matches).toEqual([
      expect.objectContaining({
        accountId: 'report:trusted-flagger-7',
        entity: `entity-${group}`,
        via: 'report',
        evidence: [
          expect.objectContaining({
            signal: 'report',
            detail: expect.stringContaining('designation notice'),
          }),
        ],
      }),
    ]);
    expect(alert.matches[0]).not.toHaveProperty('bannedAt');

    // Not banned: a copy of the reported account raises nothing.
    const copy = { ...reported, id: `copy-${group}` };
    const created = await sendEvent(pipeline.ingest, 'telegram', 'account.created', copy);
    await pipeline.processed(created.eventId);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await alertsFor(pipeline.alerts, 'telegram', copy.id)).toEqual([]);
  });
});
