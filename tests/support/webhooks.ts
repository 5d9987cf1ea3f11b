import { signWebhook } from '@mirrorwatch/ingest/signature';

/** Headers a platform sends with a webhook body, signed with `secret` at `timestamp`. */
export function signedHeaders(
  body: string,
  {
    secret = 'dev-secret',
    timestamp = Math.floor(Date.now() / 1000),
  }: { secret?: string; timestamp?: number } = {},
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-mirrorwatch-timestamp': String(timestamp),
    'x-mirrorwatch-signature': signWebhook(secret, timestamp, body),
  };
}

let counter = 0;

/** A valid contract Event with a unique eventId and account id. */
export function accountEvent(overrides: Record<string, unknown> = {}, account: Record<string, unknown> = {}) {
  counter += 1;
  const id = `${Date.now().toString(36)}-${counter}`;
  return {
    eventId: `evt-${id}`,
    type: 'account.created',
    occurredAt: new Date().toISOString(),
    account: { id: `acct-${id}`, handle: `handle_${counter}`, ...account },
    ...overrides,
  };
}
