/**
 * One offset commit for the chunks that finish together. A commit carries every partition's
 * resolved offsets, and the chunks of one merged handler call (see `mergeConcurrentChunks`)
 * resolve theirs in the same turn of the event loop; committing after each partition's batch,
 * as kafkajs does on its own, sent one request per partition with nearly the same offsets.
 *
 * Callers in the same turn share the next commit, which runs once that turn is over and reports
 * its outcome to each of them; a caller arriving while a commit is on the wire waits for a
 * later one, so its own offsets are always included.
 */
export function createSharedCommit(): (commit: () => Promise<void>) => Promise<void> {
  let next: Promise<void> | undefined;
  return (commit) => {
    next ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      next = undefined;
      return commit();
    });
    return next;
  };
}
