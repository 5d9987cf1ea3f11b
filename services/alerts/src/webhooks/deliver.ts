import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from '@mirrorwatch/http';
import type { BatchHandler, HandlerFailure } from '@mirrorwatch/kafka';
import type { Logger } from '@mirrorwatch/logger';
import type { AlertsMetrics } from '../metrics.js';

export interface DeliveryOptions {
  urls: readonly string[];
  secret: string;
  attempts: number;
  backoffMs: number;
  timeoutMs: number;
  metrics: AlertsMetrics;
  logger: Logger;
}

/** The signature scheme of inbound webhooks, so a platform verifies ours as we verify theirs. */
export function signedHeaders(secret: string, body: string, timestamp: number): Record<string, string> {
  return {
    'content-type': 'application/json',
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
  };
}

const retriable = (status: number) => status === 429 || status >= 500;

/**
 * Posts every alert to every configured URL, from its own consumer group on the alerts topic so
 * a slow or dead endpoint never holds up matching or alerting. Network errors, 429 and 5xx are
 * retried with exponential backoff; after the last attempt the alert is dead-lettered with the
 * reason, so nothing is dropped silently.
 */
export function createWebhookDelivery(options: DeliveryOptions): BatchHandler<'alerts'> {
  const { urls, secret, attempts, backoffMs, timeoutMs, metrics, logger } = options;

  async function deliver(url: string, body: string): Promise<string | undefined> {
    let delay = backoffMs;
    let reason = '';
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: signedHeaders(secret, body, Math.floor(Date.now() / 1000)),
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.body?.cancel();
        if (response.ok) {
          metrics.webhookDeliveries.inc({ result: 'delivered' });
          return undefined;
        }
        reason = `${url} answered ${response.status}`;
        if (!retriable(response.status)) break;
      } catch (error) {
        reason = `${url}: ${(error as Error).message}`;
      }
      if (attempt < attempts) {
        metrics.webhookDeliveries.inc({ result: 'retried' });
        logger.warn({ url, attempt, reason }, 'alert webhook failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay *= 2;
      }
    }
    metrics.webhookDeliveries.inc({ result: 'failed' });
    return reason;
  }

  return async (messages) => {
    const failures: HandlerFailure[] = [];
    await Promise.all(
      messages.map(async ({ value }, index) => {
        const body = JSON.stringify(value);
        const reasons = (await Promise.all(urls.map((url) => deliver(url, body)))).filter(Boolean);
        if (reasons.length > 0) failures.push({ index, code: 'webhook_failed', reason: reasons.join('; ') });
      }),
    );
    return failures.sort((a, b) => a.index - b.index);
  };
}
