import { createHmac } from 'node:crypto';
import type { Platform } from '@mirrorwatch/schemas';

/**
 * Posts signed batches to ingest, the way a platform does: `x-mirrorwatch-timestamp` and
 * `x-mirrorwatch-signature: sha256=HMAC(secret, "${timestamp}.${body}")` (DESIGN.md, contract v1),
 * signed afresh on every attempt so a retry never falls outside the replay window.
 */

export type Route = 'webhooks' | 'reports';

export type SendResult =
  | { kind: 'accepted'; accepted: number; duplicates: number }
  /** 400 naming fields: `index` is the item's position in the batch, `field` the path inside it. */
  | { kind: 'invalid'; fields: Array<{ index: number | undefined; field: string; message: string }> }
  | { kind: 'too-large' }
  /** Any other refusal (401, 404, …): retrying the same request cannot succeed. */
  | { kind: 'refused'; status: number; code: string; message: string };

/** Ingest stayed unreachable or answered 503 through every retry. */
export class IngestUnavailableError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
  ) {
    super(message);
  }
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface SenderOptions {
  /** Base URL of ingest, e.g. http://127.0.0.1:8080. */
  url: string;
  secretFor(platform: Platform): string;
  retry: RetryPolicy;
  /** Longest wait for one answer. */
  requestTimeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  nowSeconds?: () => number;
  /** Told before each wait, for the user. */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
}

export interface Sender {
  send(route: Route, platform: Platform, items: unknown[]): Promise<SendResult>;
}

const RETRIABLE_STATUS = new Set([429, 502, 503, 504]);

export function signBody(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/** Delay asked for by a `Retry-After` header (seconds or an HTTP date), if any. */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

export function createSender(options: SenderOptions): Sender {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  const base = options.url.replace(/\/+$/, '');
  const { retry } = options;

  return {
    async send(route, platform, items) {
      const body = JSON.stringify(route === 'webhooks' ? { events: items } : { reports: items });
      const url = `${base}/v1/${route}/${platform}`;
      let delay = retry.initialDelayMs;
      for (let attempt = 1; ; attempt += 1) {
        let reason: string;
        let asked: number | undefined;
        try {
          const timestamp = nowSeconds();
          const response = await doFetch(url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-mirrorwatch-timestamp': String(timestamp),
              'x-mirrorwatch-signature': signBody(options.secretFor(platform), timestamp, body),
            },
            body,
            signal: AbortSignal.timeout(options.requestTimeoutMs ?? 60_000),
          });
          if (!RETRIABLE_STATUS.has(response.status)) return await interpret(response);
          await response.body?.cancel();
          reason = `ingest answered ${response.status}`;
          asked = retryAfterMs(response.headers.get('retry-after'), Date.now());
        } catch (error) {
          reason = `ingest unreachable (${describe(error)})`;
        }
        if (attempt >= retry.attempts) {
          throw new IngestUnavailableError(`${reason}; gave up after ${attempt} attempts`, attempt);
        }
        // Exponential backoff with full jitter; a Retry-After from the server is a floor.
        const backoff = Math.round(delay * (0.5 + random() / 2));
        const wait = Math.max(backoff, asked ?? 0);
        options.onRetry?.({ attempt, delayMs: wait, reason });
        await sleep(wait);
        delay = Math.min(delay * 2, retry.maxDelayMs);
      }
    },
  };
}

async function interpret(response: Response): Promise<SendResult> {
  const json = (await response.json().catch(() => undefined)) as
    | {
        accepted?: number;
        duplicates?: number;
        error?: { code?: string; message?: string; fields?: Array<{ field: string; message: string }> };
      }
    | undefined;
  if (response.status === 202 && typeof json?.accepted === 'number') {
    return { kind: 'accepted', accepted: json.accepted, duplicates: json.duplicates ?? 0 };
  }
  if (response.status === 413) return { kind: 'too-large' };
  const error = json?.error;
  if (response.status === 400 && Array.isArray(error?.fields)) {
    return {
      kind: 'invalid',
      fields: error.fields.map(({ field, message }) => {
        // `body.events.3.account.handle` → item 3, field `account.handle`.
        const match = /^body\.(?:events|reports)\.(\d+)(?:\.(.*))?$/.exec(field);
        return match
          ? { index: Number(match[1]), field: match[2] ?? '(row)', message }
          : { index: undefined, field, message };
      }),
    };
  }
  return {
    kind: 'refused',
    status: response.status,
    code: error?.code ?? 'unknown',
    message: error?.message ?? response.statusText,
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'no answer in time';
    // fetch reports the socket's error (ECONNREFUSED, ENOTFOUND…) as its cause, sometimes grouped.
    const cause = (
      error as Error & { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } }
    ).cause;
    return cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
