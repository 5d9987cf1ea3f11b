import { pipelined, type Redis } from '@mirrorwatch/redis';

/**
 * Integer ids handed out from blocks reserved with one `INCRBY` on a counter that never expires,
 * so a writer needs no round trip per batch to name its entries. Ids are never reused; a block's
 * unused ids are simply skipped when the process stops.
 */
export class IdBlocks {
  /** The next id to hand out and the last of the block; none reserved yet. */
  private next = 1;
  private end = 0;

  constructor(
    private readonly redis: Redis,
    private readonly counterKey: string,
    private readonly blockSize: number,
  ) {
    if (!Number.isInteger(blockSize) || blockSize < 1)
      throw new TypeError(`id block size must be a positive integer, got ${blockSize}`);
  }

  /** `count` fresh ids; reserves a block (one round trip) only when the current one runs out. */
  async take(count: number): Promise<string[]> {
    const ids: string[] = [];
    while (ids.length < count) {
      if (this.next > this.end) await this.reserve(Math.max(this.blockSize, count - ids.length));
      const upTo = Math.min(this.end, this.next + (count - ids.length) - 1);
      for (let id = this.next; id <= upTo; id += 1) ids.push(String(id));
      this.next = upTo + 1;
    }
    return ids;
  }

  /** The largest id handed out so far could have this many digits (sizes the bucket cap). */
  get maxDigits(): number {
    return String(Math.max(this.end, 1)).length;
  }

  private async reserve(size: number): Promise<void> {
    const [last] = await pipelined(this.redis, (pipeline) => pipeline.incrby(this.counterKey, size));
    this.end = Number(last);
    this.next = this.end - size + 1;
  }
}
