export { AccountEventMessage, IdentifierHash } from './account-event.js';
export { DeadLetterMessage } from './dead-letter.js';
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
  WebhookBody,
} from './event.js';
export { isPlatform, PLATFORMS, Platform } from './platforms.js';
export { TOPICS, type TopicKey, type TopicMessage } from './topics.js';
