/**
 * Group commit for an idempotent producer. kafkajs keeps an idempotent producer to one request in
 * flight and turns every `send` into a request of its own, so concurrent senders (ingest's HTTP
 * requests, the matcher's partitions) would queue behind each other one round trip at a time.
 * Here every send made while a request is in flight joins the next request, and each caller is
 * answered when the request carrying its messages is acknowledged (or fails).
 */
export interface Coalescer<T> {
  /** Resolves once `items` were sent as part of one batch; rejects with that batch's error. */
  send(items: T[], bytes: number): Promise<void>;
}

export interface CoalescerOptions<T> {
  /** Sends one batch; may be called again only after the previous call settled. */
  sendBatch: (items: T[]) => Promise<void>;
  /**
   * A batch stops growing once it holds this many bytes (a sender's items are never split, so one
   * large send still goes alone). Keeps requests under the broker's size limits.
   */
  maxBatchBytes: number;
  /**
   * How long the first sender after a quiet spell waits for others to join its batch (default 0:
   * only those of the same tick). Senders arriving while a batch is in flight never wait longer
   * than that batch takes.
   */
  lingerMs?: number;
}

interface Waiting<T> {
  items: T[];
  bytes: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export function createCoalescer<T>({
  sendBatch,
  maxBatchBytes,
  lingerMs = 0,
}: CoalescerOptions<T>): Coalescer<T> {
  const waiting: Waiting<T>[] = [];
  let sending = false;

  async function drain(): Promise<void> {
    sending = true;
    while (waiting.length > 0) {
      const batch: Waiting<T>[] = [];
      let bytes = 0;
      while (waiting.length > 0) {
        const next = waiting[0] as Waiting<T>;
        if (batch.length > 0 && bytes + next.bytes > maxBatchBytes) break;
        batch.push(next);
        bytes += next.bytes;
        waiting.shift();
      }
      try {
        await sendBatch(batch.flatMap(({ items }) => items));
        for (const sender of batch) sender.resolve();
      } catch (error) {
        for (const sender of batch) sender.reject(error);
      }
    }
    sending = false;
  }

  return {
    send(items, bytes) {
      if (items.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        waiting.push({ items, bytes, resolve, reject });
        // Senders of the same tick (or of the linger) join the first batch.
        if (!sending) {
          sending = true;
          if (lingerMs > 0) setTimeout(() => void drain(), lingerMs);
          else queueMicrotask(() => void drain());
        }
      });
    },
  };
}
