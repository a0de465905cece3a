/** The hash slot function ioredis itself routes cluster commands with (the package has no types). */
declare module 'cluster-key-slot' {
  /** The Redis Cluster hash slot (0–16383) of `key`, hash tags included. */
  function calculateSlot(key: string | Buffer): number;
  export = calculateSlot;
}
