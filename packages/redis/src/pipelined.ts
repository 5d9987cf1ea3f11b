/// <reference path="./cluster-key-slot.d.ts" />
import calculateSlot from 'cluster-key-slot';
import { type ChainableCommander, type Cluster, type Command, Pipeline } from 'ioredis';
import { isCluster, type Redis } from './client.js';

export class RedisPipelineError extends Error {
  override readonly name = 'RedisPipelineError';
}

/**
 * The one way Mirrorwatch sends a pipeline: queue commands with `build` (scripts registered with
 * `defineCommand` included), send them, and get the replies in the order they were queued
 * (throwing on the first failed command).
 *
 * On a single Redis that is one pipeline, one round trip. A Redis Cluster refuses a pipeline whose
 * keys live on different nodes, so there the queued commands are split by the node that owns
 * their slot, the parts are sent concurrently (still one round trip of wall time), and the
 * replies are stitched back into the original order. Each command's own keys must share one slot
 * (one key, or keys of one `{hash tag}`), as Redis Cluster requires of any command.
 */
export async function pipelined(
  redis: Redis,
  build: (pipeline: ChainableCommander) => void,
): Promise<unknown[]> {
  const replies = isCluster(redis)
    ? await clusterPipelined(redis, build)
    : await singlePipelined(redis, build);
  return replies.map(([error, reply], position) => {
    if (error) throw new RedisPipelineError(`command ${position} of a pipeline failed`, { cause: error });
    return reply;
  });
}

type Reply = [error: Error | null, reply: unknown];

async function singlePipelined(
  redis: Redis,
  build: (pipeline: ChainableCommander) => void,
): Promise<Reply[]> {
  const pipeline = redis.pipeline();
  build(pipeline);
  if (pipeline.length === 0) return [];
  return ((await pipeline.exec()) ?? []) as Reply[];
}

async function clusterPipelined(
  cluster: Cluster,
  build: (pipeline: ChainableCommander) => void,
): Promise<Reply[]> {
  const commands = queuedCommands(cluster, build);
  if (commands.length === 0) return [];
  const parts = splitByOwner(
    commands.map((command) => command.getKeys()),
    // The master owning the slot while the slot map is known (it is, once connected); before that,
    // one part per slot is correct too.
    (slot) => cluster.slots[slot]?.join(';') ?? `slot ${slot}`,
  );
  const replies: Reply[] = new Array(commands.length);
  await Promise.all(
    parts.map(async (positions) => {
      const part = cluster.pipeline() as unknown as Pipeline;
      for (const position of positions) part.sendCommand(commands[position]!);
      const partReplies = ((await part.exec()) ?? []) as Reply[];
      positions.forEach((position, n) => {
        replies[position] = partReplies[n] ?? [new Error('no reply'), null];
      });
    }),
  );
  return replies;
}

/**
 * Runs `build` against a pipeline that only collects the commands it is given. A pipeline turns
 * every call (scripts included) into a Command with the client's keyPrefix already applied to its
 * keys and hands it to `sendCommand`; collecting them there means the keys read back are exactly
 * the prefixed keys Redis will see.
 */
function queuedCommands(cluster: Cluster, build: (pipeline: ChainableCommander) => void): Command[] {
  const collector = new Pipeline(cluster);
  const commands: Command[] = [];
  collector.sendCommand = (command: Command) => {
    const name = command.name.toLowerCase();
    if (name === 'multi' || name === 'exec')
      throw new TypeError('pipelined() does not run MULTI/EXEC transactions on a Redis Cluster');
    commands.push(command);
    return collector;
  };
  build(collector as unknown as ChainableCommander);
  return commands;
}

/**
 * Groups command positions into parts, one per owner of the commands' slots (slots computed on the
 * prefixed keys, `{hash tags}` honoured), keeping the queued order within each part. Commands
 * without keys (PUBLISH) may go anywhere and join the first part. Throws when one command's keys
 * span several slots, which no Redis Cluster node would accept.
 */
export function splitByOwner(
  keysPerCommand: readonly (readonly (string | Buffer)[])[],
  ownerOfSlot: (slot: number) => string,
): number[][] {
  const parts = new Map<string, number[]>();
  const keyless: number[] = [];
  keysPerCommand.forEach((keys, position) => {
    const [first] = keys;
    if (first === undefined) {
      keyless.push(position);
      return;
    }
    const slot = calculateSlot(first);
    for (const key of keys) {
      if (calculateSlot(key) !== slot)
        throw new RedisPipelineError(
          `command ${position} of a pipeline touches keys of several Redis Cluster slots; ` +
            'give them one {hash tag} or send one command per key',
        );
    }
    const owner = ownerOfSlot(slot);
    const part = parts.get(owner);
    if (part) part.push(position);
    else parts.set(owner, [position]);
  });
  const all = [...parts.values()];
  const [first] = all;
  if (first) {
    // Keep the first part in queue order.
    first.push(...keyless);
    first.sort((a, b) => a - b);
  } else if (keyless.length > 0) all.push(keyless);
  return all;
}
