export {
  ACCOUNT_EVENT_TYPES,
  AccountEventMessage,
  AccountEventType,
  IdentifierHash,
  ReportInfo,
} from './account-event.js';
export { ALERT_STATUSES, Alert, AlertStatus } from './alert.js';
export { type AlertFilter, alertMatchesFilter } from './alert-filter.js';
export { DeadLetterMessage } from './dead-letter.js';
export { DECISIONS, Decision, DecisionMessage } from './decision.js';
export {
  Account,
  Ban,
  EVENT_TYPES,
  Event,
  EventType,
  MAX_AVATAR_IMAGE_BYTES,
  MAX_EVENTS_PER_REQUEST,
  MAX_FOLLOWEES,
  PdqHex,
  Report,
  ReportsBody,
  WebhookBody,
} from './event.js';
export { Evidence, MatchMessage } from './match.js';
export { isPlatform, PLATFORMS, Platform } from './platforms.js';
export { TOPICS, type TopicKey, type TopicMessage } from './topics.js';
