import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { defaultModel, parseModel, type ScoringModel } from '@mirrorwatch/engine';
import type { Alert } from '@mirrorwatch/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectInfra, type TestInfra } from '../support/fixtures.js';
import {
  ADMIN,
  banAndIndex,
  type RunningPipeline,
  sendEvent,
  startPipeline,
  waitForAlert,
} from '../support/pipeline.js';
import { groupProfile, mirrorOf } from '../support/profiles.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(root, 'packages', 'cli', 'src', 'main.ts');
const run = promisify(execFile);

/** A model that has learnt nothing: every level weighs 0, so it never reaches the threshold. */
function blindModel(): ScoringModel {
  const model = defaultModel();
  const comparisons = Object.fromEntries(
    Object.entries(model.comparisons).map(([comparison, levels]) => [
      comparison,
      Object.fromEntries(Object.keys(levels).map((level) => [level, { m: 0.5, u: 0.5 }])),
    ]),
  );
  return { ...model, version: 'shadow-blind', comparisons };
}

describe('learning from decisions: labels → mirrorwatch train, and a shadow model beside the live one', () => {
  let infra: TestInfra;
  let pipeline: RunningPipeline;
  let dir: string;
  const cli = (...args: string[]) =>
    run(process.execPath, ['--conditions=source', '--import', 'tsx', CLI, ...args], {
      cwd: root,
      env: { ...process.env, REDIS_URL: infra.redisUrl, REDIS_KEY_PREFIX: infra.keyPrefix },
    });

  beforeAll(async () => {
    infra = await connectInfra();
    dir = await mkdtemp(join(tmpdir(), 'mirrorwatch-learning-'));
    const shadowPath = join(dir, 'shadow.json');
    await writeFile(shadowPath, JSON.stringify(blindModel()));
    pipeline = await startPipeline(infra, { env: { SHADOW_MODEL_PATH: shadowPath } });
  });

  afterAll(async () => {
    await pipeline?.close();
    await infra?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function alertFor(group: string): Promise<Alert> {
    const parent = groupProfile(group);
    await banAndIndex(pipeline, 'instagram', parent, `entity-${group}`);
    const mirror = mirrorOf(parent, `mirror-${group}`);
    await sendEvent(pipeline.ingest, 'instagram', 'account.created', mirror);
    return waitForAlert(pipeline.alerts, 'instagram', mirror.id);
  }

  it('trains a new model version from stored decisions, and reports where the shadow model disagrees', async () => {
    const empty = await cli('train', '--from-labels', '--out', join(dir, 'none.json')).catch(
      (error) => error,
    );
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/no moderator labels/);

    const confirmed = await alertFor(randomUUID().slice(0, 8));
    const dismissed = await alertFor(randomUUID().slice(0, 8));
    // Alerts record the model that scored them.
    expect(confirmed.matches[0]?.modelVersion).toBe(defaultModel().version);
    for (const [alert, decision] of [
      [confirmed, 'confirm'],
      [dismissed, 'dismiss'],
    ] as const) {
      const response = await pipeline.alerts.inject({
        method: 'POST',
        url: `/v1/alerts/${alert.id}/decision`,
        headers: ADMIN,
        payload: { decision },
      });
      expect(response.statusCode).toBe(200);
    }

    const out = join(dir, 'learnt.json');
    const trained = await cli('train', '--from-labels', '--out', out, '--version', 'learnt-1');
    expect(JSON.parse(trained.stdout)).toEqual({
      version: 'learnt-1',
      base: defaultModel().version,
      confirmed: 1,
      dismissed: 1,
    });
    const model = parseModel(JSON.parse(await readFile(out, 'utf8')));
    expect(model.version).toBe('learnt-1');
    expect(model.trainedOn).toMatch(/1 confirmed and 1 dismissed/);
    expect(model.comparisons).not.toEqual(defaultModel().comparisons);

    // The blind shadow model never alerts: every live alert is a live-only difference.
    const report = JSON.parse((await cli('shadow-report')).stdout);
    expect(report).toMatchObject({
      shadowOnly: 0,
      versions: [{ live: defaultModel().version, shadow: 'shadow-blind' }],
    });
    expect(report.liveOnly).toBeGreaterThanOrEqual(2);
    expect(report.byEntity.map((row: { entity: string }) => row.entity)).toEqual(
      expect.arrayContaining([confirmed.matches[0]?.entity, dismissed.matches[0]?.entity]),
    );
  });
});
