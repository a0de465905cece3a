/**
 * One round trip of probe reads, sent as an explicit pipeline whatever the client's options
 * (ioredis only batches `Promise.all` of commands when auto-pipelining is on, which an
 * application's client may not have). Measured in docs/benchmarks.md: one pipeline costs Redis
 * about a third of the CPU of the same commands sent one by one.
 */
import type { ChainableCommander } from 'ioredis';
import { keySlot } from '../redis/key-slot';
import { isClusterClient } from '../redis/redis-client';
import type { RedisClient } from '../redis/redis-client';

/** The read commands a probe may send: O(1), or bounded by an explicit range. */
export interface ReadCommands {
  llen(key: string): Promise<number>;
  lindex(key: string, index: number): Promise<string | null>;
  lrange(key: string, start: number, stop: number): Promise<string[]>;
  zcard(key: string): Promise<number>;
  zrange(key: string, start: number, stop: number): Promise<string[]>;
  zrevrange(key: string, start: number, stop: number): Promise<string[]>;
  /** `ZCOUNT key min max`; bounds in Redis's syntax (`-inf`, `(123`). */
  zcount(key: string, min: string, max: string): Promise<number>;
  /** `ZRANGEBYSCORE key min max LIMIT 0 count`: at most `count` members, lowest scores first. */
  zrangebyscore(key: string, min: string, max: string, count: number): Promise<string[]>;
  /** `ZREVRANGE … WITHSCORES`: `[member, score, …]`. */
  zrevrangeWithScores(key: string, start: number, stop: number): Promise<string[]>;
  /** `ZSCORE key member`: the member's score, null when it is not in the set. */
  zscore(key: string, member: string): Promise<string | null>;
  hexists(key: string, field: string): Promise<number>;
  hmget(key: string, ...fields: string[]): Promise<(string | null)[]>;
  exists(key: string): Promise<number>;
  get(key: string): Promise<string | null>;
  /** `XRANGE key start end COUNT count`: at most `count` entries, raw. */
  xrange(key: string, start: string, end: string, count: number): Promise<unknown>;
  /** `XINFO STREAM key`, raw; null when the stream does not exist. */
  xinfoStream(key: string): Promise<unknown>;
  /**
   * `TIME` of the node that holds `near` (a key of the same reads), as `[seconds, micros]`:
   * the clock stream ids are made from.
   */
  time(near: string): Promise<unknown>;
}

type Reply = [error: Error | null, result: unknown];

/** One queued read: its key (for its cluster slot) and how to add it to a pipeline. */
interface QueuedRead {
  key: string;
  add(pipeline: ChainableCommander): unknown;
  settle(reply: Reply): void;
}

/**
 * Queues commands, then sends them as one pipeline; each returns a promise settled when the
 * pipeline replies. On a Redis Cluster a pipeline may only hold keys of one slot, so the reads
 * go as one pipeline per slot, all at once: the keys of a queue that carries no hash tag sit
 * on several nodes, and a probe only reads, so nothing needs them together.
 */
class ReadBatch implements ReadCommands {
  private readonly reads: QueuedRead[] = [];

  constructor(private readonly redis: RedisClient) {}

  private queue<T>(key: string, add: (pipeline: ChainableCommander) => unknown): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.reads.push({
        key,
        add,
        settle: ([error, result]) => (error ? reject(error) : resolve(result as T)),
      });
    });
  }

  llen(key: string) {
    return this.queue<number>(key, (p) => p.llen(key));
  }
  lindex(key: string, index: number) {
    return this.queue<string | null>(key, (p) => p.lindex(key, index));
  }
  lrange(key: string, start: number, stop: number) {
    return this.queue<string[]>(key, (p) => p.lrange(key, start, stop));
  }
  zcard(key: string) {
    return this.queue<number>(key, (p) => p.zcard(key));
  }
  zrange(key: string, start: number, stop: number) {
    return this.queue<string[]>(key, (p) => p.zrange(key, start, stop));
  }
  zrevrange(key: string, start: number, stop: number) {
    return this.queue<string[]>(key, (p) => p.zrevrange(key, start, stop));
  }
  zcount(key: string, min: string, max: string) {
    return this.queue<number>(key, (p) => p.zcount(key, min, max));
  }
  zrangebyscore(key: string, min: string, max: string, count: number) {
    return this.queue<string[]>(key, (p) => p.zrangebyscore(key, min, max, 'LIMIT', 0, count));
  }
  zrevrangeWithScores(key: string, start: number, stop: number) {
    return this.queue<string[]>(key, (p) => p.zrevrange(key, start, stop, 'WITHSCORES'));
  }
  zscore(key: string, member: string) {
    return this.queue<string | null>(key, (p) => p.zscore(key, member));
  }
  hexists(key: string, field: string) {
    return this.queue<number>(key, (p) => p.hexists(key, field));
  }
  hmget(key: string, ...fields: string[]) {
    return this.queue<(string | null)[]>(key, (p) => p.hmget(key, ...fields));
  }
  exists(key: string) {
    return this.queue<number>(key, (p) => p.exists(key));
  }
  get(key: string) {
    return this.queue<string | null>(key, (p) => p.get(key));
  }

  xrange(key: string, start: string, end: string, count: number) {
    return this.queue<unknown>(key, (p) => p.xrange(key, start, end, 'COUNT', count));
  }
  xinfoStream(key: string) {
    return this.queue<unknown>(key, (p) => p.xinfo('STREAM', key)).catch((error: unknown) => {
      if (error instanceof Error && /no such key/i.test(error.message)) return null;
      throw error;
    });
  }
  time(near: string) {
    return this.queue<unknown>(near, (p) => p.time());
  }

  /** Sends the reads and settles every one; a failed send rejects those it carried. */
  async exec(): Promise<void> {
    const reads = this.reads.splice(0);
    if (reads.length === 0) return;
    if (!isClusterClient(this.redis)) return send(this.redis, reads);
    const bySlot = new Map<number, QueuedRead[]>();
    for (const read of reads) {
      const slot = keySlot(read.key);
      const group = bySlot.get(slot);
      if (group) group.push(read);
      else bySlot.set(slot, [read]);
    }
    await Promise.all([...bySlot.values()].map((group) => send(this.redis, group)));
  }
}

/** Sends `reads` as one pipeline and settles each with its reply. */
async function send(redis: RedisClient, reads: readonly QueuedRead[]): Promise<void> {
  const pipeline = redis.pipeline();
  for (const read of reads) read.add(pipeline);
  let replies: Reply[];
  try {
    replies = (await pipeline.exec()) ?? [];
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    replies = reads.map(() => [failure, undefined]);
  }
  reads.forEach((read, i) => read.settle(replies[i] ?? [new Error('no reply'), undefined]));
}

/**
 * Sends the commands `build` queues as one pipeline and resolves with their replies, in the
 * shape `build` returns them (like `Promise.all`, nested arrays of promises included when
 * wrapped in `Promise.all`). Rejects with the first command's error.
 */
export async function oneTrip<T extends readonly unknown[] | []>(
  redis: RedisClient,
  build: (commands: ReadCommands) => T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const batch = new ReadBatch(redis);
  const replies = Promise.all(build(batch));
  await batch.exec();
  return replies;
}
