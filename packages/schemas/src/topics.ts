import type { z } from 'zod';
import { AccountEventMessage } from './account-event.js';
import { DeadLetterMessage } from './dead-letter.js';

/**
 * The topic catalogue: every Kafka topic Mirrorwatch writes, with the one schema its messages
 * follow. Producers are typed from it; consumers validate with it and dead-letter what fails.
 * Later topics (matches, alerts, decisions) join here with their schemas.
 */
export const TOPICS = {
  accountEvents: { name: 'mirrorwatch.account-events.v1', schema: AccountEventMessage },
  deadLetters: { name: 'mirrorwatch.dead-letters.v1', schema: DeadLetterMessage },
} as const satisfies Record<string, { name: string; schema: z.ZodType }>;

export type TopicKey = keyof typeof TOPICS;
export type TopicMessage<K extends TopicKey> = z.infer<(typeof TOPICS)[K]['schema']>;
