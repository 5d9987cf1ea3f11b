import { buildApp as buildIngest } from '@mirrorwatch/ingest/app';
import { loadIngestConfig } from '@mirrorwatch/ingest/config';
import { createKafkaClient, createProducer } from '@mirrorwatch/kafka';
import type { FastifyInstance } from 'fastify';
import { serviceEnv, type TestInfra } from './fixtures.js';
import { freePort } from './processes.js';

/**
 * An ingest on the suite's Redis whose Kafka is a port nobody listens on: every publish times out
 * (after 1.5 s), so requests get the 503 a Kafka outage causes. Close it when done.
 */
export async function ingestWithoutKafka(infra: TestInfra): Promise<FastifyInstance> {
  const deadPort = await freePort();
  const env = serviceEnv(infra, { KAFKA_BROKERS: `127.0.0.1:${deadPort}`, PUBLISH_TIMEOUT_MS: '1500' });
  const kafka = createKafkaClient({
    brokers: [`127.0.0.1:${deadPort}`],
    clientId: 'unreachable',
    logger: infra.logger,
  });
  const producer = createProducer(kafka, { logger: infra.logger, retries: 1 });
  return buildIngest({ config: loadIngestConfig(env), ...infra, kafka, producer });
}
