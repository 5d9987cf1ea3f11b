import { TOPICS, type TopicKey } from '@mirrorwatch/schemas';
import type { Kafka } from 'kafkajs';

export interface TopicSpec {
  topic: TopicKey;
  partitions: number;
}

export interface PartitionCounts {
  ACCOUNT_EVENTS_PARTITIONS: number;
  MATCHES_PARTITIONS: number;
  ALERTS_PARTITIONS: number;
  DECISIONS_PARTITIONS: number;
  DEAD_LETTERS_PARTITIONS: number;
}

/** Every topic of the catalogue with its configured partition count. */
export function catalogueTopics(counts: PartitionCounts): TopicSpec[] {
  return [
    { topic: 'accountEvents', partitions: counts.ACCOUNT_EVENTS_PARTITIONS },
    { topic: 'matches', partitions: counts.MATCHES_PARTITIONS },
    { topic: 'alerts', partitions: counts.ALERTS_PARTITIONS },
    { topic: 'decisions', partitions: counts.DECISIONS_PARTITIONS },
    { topic: 'deadLetters', partitions: counts.DEAD_LETTERS_PARTITIONS },
  ];
}

/**
 * Creates the topics that do not exist yet; existing ones are left as they are. Every service
 * calls this at start-up, so the order in which they start does not matter.
 */
export async function ensureTopics(kafka: Kafka, specs: TopicSpec[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(TOPICS[spec.topic].name));
    if (missing.length === 0) return [];
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: TOPICS[spec.topic].name,
        numPartitions: spec.partitions,
        replicationFactor: -1, // the broker's default, so one config serves a single node and a cluster
      })),
    });
    return missing.map((spec) => TOPICS[spec.topic].name);
  } finally {
    await admin.disconnect();
  }
}

/** Resolves when a broker answers a metadata request within `timeoutMs`; for readiness probes. */
export async function pingKafka(kafka: Kafka, timeoutMs = 2000): Promise<void> {
  const admin = kafka.admin({ retry: { retries: 0 } });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      (async () => {
        await admin.connect();
        await admin.describeCluster();
      })(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Kafka did not answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * How many messages of `topic` the consumer group has not committed yet, summed over partitions
 * (a partition the group never committed counts from its low watermark). For drain checks and
 * scaling on lag.
 */
export async function groupLag(kafka: Kafka, groupId: string, topic: TopicKey): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const name = TOPICS[topic].name;
    const [ends, [committed]] = await Promise.all([
      admin.fetchTopicOffsets(name),
      admin.fetchOffsets({ groupId, topics: [name] }),
    ]);
    const done = new Map((committed?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    let lag = 0;
    for (const { partition, high, low } of ends) {
      const at = done.get(partition) ?? -1;
      lag += Number(high) - (at >= 0 ? at : Number(low));
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}
