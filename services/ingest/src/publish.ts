import { Errors, type InvalidField, invalidFields } from '@mirrorwatch/http';
import type { TypedProducer } from '@mirrorwatch/kafka';
import type { Account, AccountEventMessage, Platform } from '@mirrorwatch/schemas';
import type { FastifyBaseLogger } from 'fastify';
import { hashAvatar } from './avatars.js';
import { withFolloweesSignature } from './followees.js';
import type { IdempotencyStore } from './idempotency.js';
import type { IngestMetrics } from './metrics.js';

/** One item of a signed request (a platform event or a report) on its way to the account-events topic. */
export interface Submission {
  /** The id it is claimed and published under, unique per platform. */
  eventId: string;
  /** The account as sent: it may still carry an `avatarImage`. */
  account: Account;
  /** Where the item sits in the body (`['events', 3]`, or `[]` for a single item), for 400s. */
  path: ReadonlyArray<string | number>;
  /** The Kafka message, built from the account once its image has become a PDQ hash (its follow list becomes a signature after). */
  toMessage(account: Account): AccountEventMessage;
}

export interface PublishRequest {
  platform: Platform;
  /** What the submissions are, for metrics. */
  kind: 'event' | 'report';
  submissions: Submission[];
  log: FastifyBaseLogger;
  receivedAtMs: number;
}

export interface PublisherOptions {
  producer: TypedProducer;
  idempotency: IdempotencyStore;
  metrics: IngestMetrics;
  publishTimeoutMs: number;
  now: () => Date;
}

export interface Publisher {
  /**
   * Turns avatar images into PDQ hashes (400 naming every image that does not decode, nothing
   * claimed), claims each `(platform, eventId)`, publishes what this request owns and resolves
   * once Kafka acknowledged. Repeats within the request and ids already accepted are counted as
   * duplicates. Throws the catalogue's 503 errors when Redis or Kafka is away, the claims released.
   */
  publish(request: PublishRequest): Promise<{ accepted: number; duplicates: number }>;
}

/** The one path from a verified, validated request to the account-events topic, for every route. */
export function createPublisher(options: PublisherOptions): Publisher {
  const { producer, idempotency, metrics, now } = options;
  return {
    async publish({ platform, kind, submissions, log, receivedAtMs }) {
      const unique = uniqueSubmissions(submissions);
      const withImages = unique.some((item) => item.account.avatarImage !== undefined);
      const stopTimer = withImages ? metrics.avatarHashSeconds.startTimer() : undefined;
      const hashed = await Promise.all(unique.map((item) => hashAvatar(item.account)));
      stopTimer?.();
      const invalid: InvalidField[] = [];
      const ready: Array<{ submission: Submission; account: Account }> = [];
      hashed.forEach((result, index) => {
        const submission = unique[index] as Submission;
        if (result.ok) ready.push({ submission, account: result.account });
        else invalid.push({ path: [...submission.path, 'account', 'avatarImage'], message: result.message });
      });
      if (invalid.length > 0) throw invalidFields('body', invalid);

      const owned = await claim(idempotency, platform, ready);
      const skipped = submissions.length - owned.length;
      if (owned.length > 0) {
        const ids = owned.map(({ submission }) => submission.eventId);
        const sent = producer.send(
          'accountEvents',
          owned.map(({ submission, account }) => ({
            key: `${platform}:${account.id}`,
            value: withFolloweesSignature(submission.toMessage(account)),
          })),
        );
        // The claim follows the real outcome, even when the client has already been answered 503.
        const settled = sent.then(
          () => idempotency.commit(platform, ids),
          async (error: unknown) => {
            await idempotency.release(platform, ids).catch(() => undefined);
            throw error;
          },
        );
        try {
          await withTimeout(settled, options.publishTimeoutMs);
          metrics.publishSeconds.observe((now().getTime() - receivedAtMs) / 1000);
        } catch (error) {
          settled.catch(() => undefined);
          log.warn({ err: error, events: ids.length }, 'publishing to Kafka failed');
          throw new Errors.KafkaUnavailable();
        }
      }
      metrics.events.inc({ platform, kind, outcome: 'accepted' }, owned.length);
      metrics.events.inc({ platform, kind, outcome: 'duplicate' }, skipped);
      return { accepted: owned.length, duplicates: skipped };
    },
  };
}

/** Drops repeats of an eventId within one request; they count as duplicates. */
function uniqueSubmissions(submissions: Submission[]): Submission[] {
  const seen = new Set<string>();
  return submissions.filter((submission) => {
    if (seen.has(submission.eventId)) return false;
    seen.add(submission.eventId);
    return true;
  });
}

async function claim<T extends { submission: Submission }>(
  store: IdempotencyStore,
  platform: Platform,
  items: T[],
): Promise<T[]> {
  let claims: boolean[];
  try {
    claims = await store.claim(
      platform,
      items.map((item) => item.submission.eventId),
    );
  } catch {
    throw new Errors.IdempotencyUnavailable();
  }
  return items.filter((_, index) => claims[index]);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no acknowledgement within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
