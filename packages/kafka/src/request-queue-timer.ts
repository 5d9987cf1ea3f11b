import { createRequire } from 'node:module';

/**
 * kafkajs 2.2.4, its last release, keeps a 1 ms timer running on every broker connection for as
 * long as the connection lives: `RequestQueue.scheduleCheckPendingRequests` re-arms itself after
 * every check, and with no broker throttle its delay is negative, which Node runs as 1 ms
 * (kafkajs issues #1556 and #1704; the fixes were never released). Each service holds several
 * connections. Idle, each of ours woke about 800 times a second and spent 4 % of a core on it;
 * under load the wake-ups cut into the real work.
 *
 * The replacement arms a timer only while requests wait to be sent: until a broker throttle
 * ends, or for kafkajs's 10 ms when the connection merely has its most requests in flight (a
 * response checks the queue then anyway). A new request and every response still check the queue
 * as before.
 */
/** The version whose loop is replaced: its last release. */
const LOOPING_VERSION = '2.2.4';
/** kafkajs's own CHECK_PENDING_REQUESTS_INTERVAL. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

/** The part of kafkajs's RequestQueue the replacement touches. */
export interface RequestQueueInternals {
  pending: unknown[];
  /** Until when (ms since the epoch) the broker asked for no requests; -1 when it never did. */
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

const require = createRequire(import.meta.url);

/** kafkajs's RequestQueue class (not exported by its entry point). */
export function requestQueueClass(): { prototype: RequestQueueInternals } {
  return require('kafkajs/src/network/requestQueue/index.js') as { prototype: RequestQueueInternals };
}

export function installedKafkajsVersion(): string {
  return (require('kafkajs/package.json') as { version: string }).version;
}

function scheduleCheckPendingRequests(this: RequestQueueInternals): void {
  if (this.throttleCheckTimeoutId !== null || this.pending.length === 0) return;
  const untilUnthrottled = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL_MS,
  );
}

/**
 * Replaces the timer loop in kafkajs 2.2.4 (idempotent). Another version is left alone, and its
 * test says so: it must be checked for the loop before this is extended to it.
 */
export function stopIdleRequestQueueTimers(): void {
  if (installedKafkajsVersion() !== LOOPING_VERSION) return;
  requestQueueClass().prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
}
