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
    let killedAfter = -1;
    for (const [position, { mirror }] of mirrors.entries()) {
      await sendEvent(pipeline.ingest, 'telegram', 'account.created', mirror);
      // Kill as soon as the first alert shows the matcher is mid-stream.
      if (
        killedAfter < 0 &&
        (await alertsFor(pipeline.alerts, 'telegram', mirrors[0]?.mirror.id ?? '')).length > 0
      ) {
        await matcher.kill('SIGKILL');
        killedAfter = position;
      }
    }
    if (killedAfter < 0) {
      await matcher.kill('SIGKILL');
      killedAfter = mirrors.length;
    }
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
    // It was really killed mid-stream: some mirrors were sent after the kill.
    expect(killedAfter).toBeLessThan(mirrors.length);
  });
});
