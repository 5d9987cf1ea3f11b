import { timingSafeEqual } from 'node:crypto';
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from '@mirrorwatch/http';

export { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER };

export type SignatureVerdict = 'valid' | 'bad_signature' | 'stale_timestamp';

export interface VerifyInput {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  nowSeconds: number;
  toleranceSeconds: number;
}

/**
 * Checks a webhook signature in constant time, and that its timestamp is recent enough that a
 * captured request cannot be replayed later.
 */
export function verifyWebhook(input: VerifyInput): SignatureVerdict {
  const { secret, timestamp, signature, rawBody, nowSeconds, toleranceSeconds } = input;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !signature) return 'bad_signature';
  const expected = Buffer.from(signWebhook(secret, timestamp, rawBody));
  const given = Buffer.from(signature);
  // timingSafeEqual needs equal lengths; a length mismatch reveals nothing secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad_signature';
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return 'stale_timestamp';
  return 'valid';
}
