import { readFile } from 'node:fs/promises';
import {
  defaultModel,
  type LabelledPair,
  parseModel,
  refineWithLabels,
  type ScoringModel,
} from '@mirrorwatch/engine';
import { createLogger } from '@mirrorwatch/logger';
import { closeRedis, createRedisClient, type Redis } from '@mirrorwatch/redis';
import { z } from 'zod';

/** One moderator decision on one pair, as the alerts service keeps it (`labels` stream). */
const StoredLabel = z.object({
  match: z.boolean(),
  levels: z.record(z.string(), z.string()),
  modelVersion: z.string().optional(),
});

/** One shadow-model disagreement, as the matcher keeps it (`shadow:differences` stream). */
const StoredDifference = z.object({
  candidate: z.string(),
  banned: z.string(),
  entity: z.string(),
  outcome: z.enum(['live-only', 'shadow-only']),
  shadowProbability: z.number(),
  shadowVersion: z.string(),
  liveVersion: z.string(),
});
type StoredDifference = z.infer<typeof StoredDifference>;

export interface RedisTarget {
  url: string;
  keyPrefix: string;
}

async function withRedis<T>(target: RedisTarget, work: (redis: Redis) => Promise<T>): Promise<T> {
  const logger = createLogger({ name: 'mirrorwatch-cli', level: 'warn' });
  const redis = createRedisClient({ url: target.url, keyPrefix: target.keyPrefix, logger });
  await redis.connect();
  try {
    return await work(redis);
  } finally {
    await closeRedis(redis);
  }
}

/** Every entry of a stream, oldest first, a page at a time; `field` holds the JSON. */
async function readStream<T>(
  redis: Redis,
  stream: string,
  field: string,
  schema: z.ZodType<T>,
): Promise<T[]> {
  const found: T[] = [];
  let start = '-';
  for (;;) {
    const page = await redis.xrange(stream, start, '+', 'COUNT', 1000);
    for (const [, fields] of page) {
      const at = fields.indexOf(field);
      const parsed = schema.safeParse(JSON.parse(fields[at + 1] ?? 'null'));
      if (parsed.success) found.push(parsed.data);
    }
    if (page.length < 1000) return found;
    start = `(${page[page.length - 1]?.[0]}`;
  }
}

/** The moderators' labelled pairs: comparison levels and verdicts only. */
export async function readLabels(target: RedisTarget): Promise<LabelledPair[]> {
  return withRedis(target, async (redis) =>
    (await readStream(redis, 'labels', 'label', StoredLabel)).map(({ match, levels }) => ({ match, levels })),
  );
}

export async function loadBaseModel(path: string | undefined): Promise<ScoringModel> {
  return path ? parseModel(JSON.parse(await readFile(path, 'utf8'))) : defaultModel();
}

export interface LabelTraining {
  model: ScoringModel;
  confirmed: number;
  dismissed: number;
}

/** A new model version: the base model refined with every stored label. */
export function trainFromLabels(
  base: ScoringModel,
  labels: readonly LabelledPair[],
  version: string,
  now = new Date(),
): LabelTraining {
  const confirmed = labels.filter((label) => label.match).length;
  const dismissed = labels.length - confirmed;
  const model = refineWithLabels({
    model: base,
    labels,
    version,
    trainedOn: `${base.version} refined with ${confirmed} confirmed and ${dismissed} dismissed moderator labels`,
    now,
  });
  return { model, confirmed, dismissed };
}

export interface ShadowReport {
  differences: number;
  liveOnly: number;
  shadowOnly: number;
  byEntity: Array<{ entity: string; liveOnly: number; shadowOnly: number }>;
  versions: Array<{ live: string; shadow: string }>;
}

/** Where the shadow model and the live one disagreed, summed up (no account list: counts only). */
export async function shadowReport(target: RedisTarget): Promise<ShadowReport> {
  const differences = await withRedis(target, (redis) =>
    readStream(redis, 'shadow:differences', 'difference', StoredDifference),
  );
  return summariseShadow(differences);
}

export function summariseShadow(differences: readonly StoredDifference[]): ShadowReport {
  const byEntity = new Map<string, { liveOnly: number; shadowOnly: number }>();
  const versions = new Map<string, { live: string; shadow: string }>();
  for (const difference of differences) {
    const counts = byEntity.get(difference.entity) ?? { liveOnly: 0, shadowOnly: 0 };
    if (difference.outcome === 'live-only') counts.liveOnly += 1;
    else counts.shadowOnly += 1;
    byEntity.set(difference.entity, counts);
    versions.set(`${difference.liveVersion}|${difference.shadowVersion}`, {
      live: difference.liveVersion,
      shadow: difference.shadowVersion,
    });
  }
  const liveOnly = differences.filter((difference) => difference.outcome === 'live-only').length;
  return {
    differences: differences.length,
    liveOnly,
    shadowOnly: differences.length - liveOnly,
    byEntity: [...byEntity]
      .map(([entity, counts]) => ({ entity, ...counts }))
      .sort((a, b) => b.liveOnly + b.shadowOnly - (a.liveOnly + a.shadowOnly)),
    versions: [...versions.values()],
  };
}
