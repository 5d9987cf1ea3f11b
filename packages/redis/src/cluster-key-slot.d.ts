// cluster-key-slot (the slot function ioredis itself uses) ships no types.
declare module 'cluster-key-slot' {
  /** The Redis Cluster hash slot (0–16383) of a key, honouring a `{hash tag}`. */
  function calculateSlot(key: string | Buffer): number;
  namespace calculateSlot {
    /** The slot all `keys` share, or -1 when they do not share one. */
    function generateMulti(keys: (string | Buffer)[]): number;
  }
  export = calculateSlot;
}
