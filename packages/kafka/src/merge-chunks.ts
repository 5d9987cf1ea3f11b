import type { TopicKey } from '@mirrorwatch/schemas';
import type { BatchContext, BatchHandler, HandlerFailure, ReceivedMessage } from './consumer.js';

/**
 * Hands the chunks of partitions consumed at the same time to `handleBatch` together: chunks
 * arriving in the same turn of the event loop, or while a call is running, make up the next
 * call, one call at a time. A handler's cost is largely per call (a few round trips to Redis, a
 * script call per index shard), and kafkajs hands over each partition's batch on its own, so
 * six partitions would otherwise mean six calls of a sixth of the messages each.
 *
 * Each caller gets back the failures of its own messages, indexed into its own chunk; when the
 * call throws, every caller of it sees the error (and retries). Chunks are never split or
 * reordered, so order within a partition holds. A call takes whole chunks up to `maxMessages`
 * (the first chunk always goes, whatever its size).
 */
export function mergeConcurrentChunks<K extends TopicKey>(
  handleBatch: BatchHandler<K>,
  maxMessages: number,
): BatchHandler<K> {
  interface Pending {
    messages: ReceivedMessage<K>[];
    context: BatchContext;
    resolve: (failures: HandlerFailure[]) => void;
    reject: (error: unknown) => void;
  }
  const pending: Pending[] = [];
  let running = false;

  async function drain(): Promise<void> {
    while (pending.length > 0) {
      const call: Pending[] = [];
      let size = 0;
      while (pending.length > 0) {
        const next = pending[0] as Pending;
        if (call.length > 0 && size + next.messages.length > maxMessages) break;
        call.push(next);
        size += next.messages.length;
        pending.shift();
      }
      try {
        const failures =
          (await handleBatch(
            call.flatMap(({ messages }) => messages),
            // Heartbeats are the group member's, not a partition's: any caller's context serves.
            (call[0] as Pending).context,
          )) ?? [];
        let start = 0;
        for (const caller of call) {
          const end = start + caller.messages.length;
          caller.resolve(
            failures
              .filter(({ index }) => index >= start && index < end)
              .map((failure) => ({ ...failure, index: failure.index - start })),
          );
          start = end;
        }
      } catch (error) {
        for (const caller of call) caller.reject(error);
      }
    }
    running = false;
  }

  return (messages, context) =>
    new Promise<HandlerFailure[]>((resolve, reject) => {
      pending.push({ messages, context, resolve, reject });
      if (!running) {
        running = true;
        // kafkajs hands over the partitions of one fetch a few promise steps apart.
        setImmediate(() => void drain());
      }
    });
}
