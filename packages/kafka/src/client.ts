import type { Logger } from '@mirrorwatch/logger';
import { Kafka, type LogEntry, logLevel } from 'kafkajs';
import { stopIdleRequestQueueTimers } from './request-queue-timer.js';

export type { Kafka } from 'kafkajs';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** How long to wait for a broker connection before a request fails (ms). */
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * A kafkajs client whose own logs go through our pino logger, bound once per namespace, and whose
 * connections keep no timer running while idle (see `request-queue-timer.ts`).
 */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  stopIdleRequestQueueTimers();
  const base = options.logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        const { message, ...extra } = log;
        base[LEVELS[level] ?? 'info']({ namespace, ...extra }, message);
      },
  });
}
