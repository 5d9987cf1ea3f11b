import type { z } from 'zod';
import { AccountEventMessage } from './account-event.js';
import { Alert } from './alert.js';
import { DeadLetterMessage } from './dead-letter.js';
import { DecisionMessage } from './decision.js';
import { MatchMessage } from './match.js';

/**
 * The topic catalogue: every Kafka topic Mirrorwatch writes, with the one schema its messages
 * follow. Producers are typed from it; consumers validate with it and dead-letter what fails.
 *
 * Keys: account events by `platform:accountId` (one account's events stay in order); matches by
 * candidate account (one alert's matches reach one alerts replica); alerts and decisions by alert id.
 */
export const TOPICS = {
  accountEvents: { name: 'mirrorwatch.account-events.v1', schema: AccountEventMessage },
  matches: { name: 'mirrorwatch.matches.v1', schema: MatchMessage },
  alerts: { name: 'mirrorwatch.alerts.v1', schema: Alert },
  decisions: { name: 'mirrorwatch.decisions.v1', schema: DecisionMessage },
  deadLetters: { name: 'mirrorwatch.dead-letters.v1', schema: DeadLetterMessage },
} as const satisfies Record<string, { name: string; schema: z.ZodType }>;

export type TopicKey = keyof typeof TOPICS;
export type TopicMessage<K extends TopicKey> = z.infer<(typeof TOPICS)[K]['schema']>;
