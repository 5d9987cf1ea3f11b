import type { Alert } from '@mirrorwatch/schemas';
import { SseParser } from './sse';

export type LiveState =
  | { state: 'connecting' }
  | { state: 'live' }
  | { state: 'waiting'; retryInMs: number; reason: string }
  | { state: 'stopped'; reason: string };

export interface LiveOptions {
  url: string;
  token: string;
  onAlert(alert: Alert): void;
  onState(state: LiveState): void;
  /** Called after a reconnect, so views can fetch what was published while the stream was down. */
  onResumed(): void;
  onUnauthorized(): void;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** The server comments every 15 s; silence longer than this means a dead connection. */
  idleTimeoutMs?: number;
}

/**
 * Follows `GET /v1/alerts/stream` with fetch (EventSource cannot send an Authorization header),
 * reconnecting with exponential backoff and jitter. The stream does not replay what was missed,
 * hence `onResumed`. Returns a function that stops it.
 */
export function followAlerts(options: LiveOptions): () => void {
  const { initialDelayMs = 1000, maxDelayMs = 30_000, idleTimeoutMs = 45_000 } = options;
  const stopped = new AbortController();
  let failures = 0;
  let connectedBefore = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      stopped.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });

  async function once(): Promise<'unauthorized' | 'ended'> {
    const attempt = new AbortController();
    const abort = () => attempt.abort();
    stopped.signal.addEventListener('abort', abort);
    let idle: ReturnType<typeof setTimeout> | undefined;
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(
        () => attempt.abort(new Error(`silent for ${idleTimeoutMs / 1000} s`)),
        idleTimeoutMs,
      );
    };
    try {
      touch();
      const response = await fetch(options.url, {
        headers: { authorization: `Bearer ${options.token}`, accept: 'text/event-stream' },
        cache: 'no-store',
        signal: attempt.signal,
      });
      if (response.status === 401) return 'unauthorized';
      if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
      failures = 0;
      options.onState({ state: 'live' });
      if (connectedBefore) options.onResumed();
      connectedBefore = true;
      const parser = new SseParser((event) => {
        if (event.event !== 'alert') return;
        try {
          options.onAlert(JSON.parse(event.data) as Alert);
        } catch {
          // A malformed event is skipped; the next one may be fine.
        }
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return 'ended';
        touch();
        parser.push(value);
      }
    } finally {
      clearTimeout(idle);
      stopped.signal.removeEventListener('abort', abort);
    }
  }

  void (async () => {
    while (!stopped.signal.aborted) {
      options.onState({ state: 'connecting' });
      let reason: string;
      try {
        const outcome = await once();
        if (outcome === 'unauthorized') {
          options.onState({ state: 'stopped', reason: 'token not accepted' });
          options.onUnauthorized();
          return;
        }
        reason = 'stream closed';
      } catch (error) {
        reason = (error as Error).message || 'connection failed';
      }
      if (stopped.signal.aborted) break;
      const ceiling = Math.min(maxDelayMs, initialDelayMs * 2 ** failures);
      const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
      failures += 1;
      options.onState({ state: 'waiting', retryInMs: delay, reason });
      await sleep(delay);
    }
    options.onState({ state: 'stopped', reason: 'signed out' });
  })();

  return () => stopped.abort();
}
