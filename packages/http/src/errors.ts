import createError from '@fastify/error';

/**
 * The one catalogue of errors a Mirrorwatch HTTP API answers with. Codes are stable: clients and
 * dashboards key on them, never on messages. `retriable` tells a caller whether trying the same
 * request again later can succeed.
 */
export const Errors = {
  BadSignature: createError('MW_BAD_SIGNATURE', 'missing or invalid webhook signature', 401),
  StaleTimestamp: createError('MW_STALE_TIMESTAMP', 'webhook timestamp is outside the %s s window', 401),
  UnknownPlatform: createError('MW_UNKNOWN_PLATFORM', 'unknown platform "%s"', 404),
  InvalidJson: createError('MW_INVALID_JSON', 'body is not valid JSON: %s', 400),
  Unauthorized: createError('MW_UNAUTHORIZED', 'missing or invalid bearer token', 401),
  Forbidden: createError('MW_FORBIDDEN', 'this token may not %s', 403),
  NotFound: createError('MW_NOT_FOUND', '%s not found', 404),
  KafkaUnavailable: createError('MW_KAFKA_UNAVAILABLE', 'event log unavailable, retry later', 503),
  IdempotencyUnavailable: createError(
    'MW_REDIS_UNAVAILABLE',
    'deduplication store unavailable, retry later',
    503,
  ),
} as const;

/** Errors that the client may repeat unchanged later. */
export const RETRIABLE_CODES = new Set(['MW_KAFKA_UNAVAILABLE', 'MW_REDIS_UNAVAILABLE']);

export interface InvalidField {
  /** Path inside the request part, e.g. `['events', 3, 'account', 'avatarImage']`. */
  path: ReadonlyArray<string | number>;
  message: string;
}

/**
 * A 400 naming fields that passed schema validation but failed a later check (an avatar image
 * that does not decode), in the same `fields` shape as schema errors.
 */
export function invalidFields(context: 'body' | 'querystring' | 'params', fields: InvalidField[]): Error {
  return Object.assign(new Error('invalid request'), {
    statusCode: 400,
    validationContext: context,
    validation: fields.map((field) => ({ instancePath: `/${field.path.join('/')}`, message: field.message })),
  });
}
