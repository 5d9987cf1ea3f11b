/**
 * Paths pino censors before a line is written. Raw identifiers are hashed at ingest and should
 * never be logged at all; these paths are the second line of defence, so a careless
 * `log.info({ account })` still cannot leak them.
 */
const PII_FIELDS = ['email', 'phone', 'deviceId', 'ip', 'avatarImage'];
const PII_PARENTS = ['account', '*.account', 'event.account', 'events[*].account', 'body.events[*].account'];

export const REDACT_PATHS: string[] = [
  ...PII_FIELDS,
  ...PII_FIELDS.flatMap((field) => PII_PARENTS.map((parent) => `${parent}.${field}`)),
  ...PII_FIELDS.map((field) => `*.${field}`),
  'req.headers.authorization',
  'req.headers["x-mirrorwatch-signature"]',
  'headers.authorization',
];

export const REDACT_CENSOR = '[redacted]';
