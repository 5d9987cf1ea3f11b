import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectInfra, serviceEnv, type TestInfra } from '../support/fixtures.js';
import { alertsFor, type RunningPipeline, sendEvent, startPipeline } from '../support/pipeline.js';
import { groupProfile, mirrorOf } from '../support/profiles.js';
import { type ServiceProcess, startServiceProcess } from '../support/service-process.js';

const GROUPS = 8;
const MIRRORS_PER_GROUP = 5;

describe('the matcher killed with SIGKILL mid-stream', () => {
  let infra: TestInfra;
  let pipeline: RunningPipeline;
  let matcher: ServiceProcess | undefined;

  beforeAll(async () => {
    infra = await connectInfra();
    // Ingest and alerts in this process; the matcher as its own process, so it can be killed.
    pipeline = await startPipeline(infra, { matcher: false });
  });

  afterAll(async () => {
    await matcher?.kill('SIGKILL');
    await pipeline?.close();
    await infra?.close();
  });

  it('loses nothing: every mirror sent before the kill gets its alert after the restart', async () => {
    const env = serviceEnv(infra, { MATCHER_GROUP_ID: infra.unique('matcher'), MATCHER_CHUNK_SIZE: '4' });
    matcher = await startServiceProcess('matcher', env);

    const run = randomUUID().slice(0, 8);
    const groups = Array.from({ length: GROUPS }, (_, n) => groupProfile(`${run}g${n}`));
    for (const group of groups)
      await sendEvent(pipeline.ingest, 'telegram', 'account.banned', group, { entity: `entity-${group.id}` });

    const mirrors = groups.flatMap((group) =>
      Array.from({ length: MIRRORS_PER_GROUP }, (_, n) => ({
        group,
        mirror: mirrorOf(group, `${group.id}-m${n}`),
      })),
    );
    // Half the mirrors, then the kill as soon as the first alert shows the matcher is mid-stream
    // (its later chunks not yet committed), then the other half while it is down.
    const half = mirrors.length / 2;
    for (const { mirror } of mirrors.slice(0, half))
      await sendEvent(pipeline.ingest, 'telegram', 'account.created', mirror);
    const first = mirrors[0]?.mirror.id ?? '';
    await expect
      .poll(async () => (await alertsFor(pipeline.alerts, 'telegram', first)).length, { timeout: 30_000 })
      .toBe(1);
    await matcher.kill('SIGKILL');
    for (const { mirror } of mirrors.slice(half))
      await sendEvent(pipeline.ingest, 'telegram', 'account.created', mirror);
    expect(matcher.child.signalCode).toBe('SIGKILL');

    matcher = await startServiceProcess('matcher', env);
    const missing = async () => {
      const absent: string[] = [];
      for (const { mirror } of mirrors)
        if ((await alertsFor(pipeline.alerts, 'telegram', mirror.id)).length === 0) absent.push(mirror.id);
      return absent;
    };
    await expect.poll(missing, { timeout: 60_000, interval: 500 }).toEqual([]);
    for (const { group, mirror } of mirrors) {
      const [alert] = await alertsFor(pipeline.alerts, 'telegram', mirror.id);
      expect(alert?.matches.map((match) => match.accountId)).toEqual([group.id]);
    }
  });
});
