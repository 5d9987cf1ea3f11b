import { createHmac } from 'node:crypto';

/** Headers of a signed Mirrorwatch webhook, inbound (platform → ingest) and outbound (alerts → platform). */
export const SIGNATURE_HEADER = 'x-mirrorwatch-signature';
export const TIMESTAMP_HEADER = 'x-mirrorwatch-timestamp';

/** `sha256=<hex>` of HMAC-SHA256(secret, `${timestamp}.${rawBody}`). */
export function signWebhook(secret: string, timestamp: number | string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}
