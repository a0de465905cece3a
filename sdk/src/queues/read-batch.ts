/**
 * One round trip of probe reads, sent as an explicit pipeline whatever the client's options
 * (ioredis only batches `Promise.all` of commands when auto-pipelining is on, which an
 * application's client may not have). Measured in docs/benchmarks.md: one pipeline costs Redis
 * about a third of the CPU of the same commands sent one by one.
 */
import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from '../redis/redis-client';

/** The read commands a probe may send: O(1), or bounded by an explicit range. */
export interface ReadCommands {
  llen(key: string): Promise<number>;
  lindex(key: string, index: number): Promise<string | null>;
  lrange(key: string, start: number, stop: number): Promise<string[]>;
  zcard(key: string): Promise<number>;
  zrange(key: string, start: number, stop: number): Promise<string[]>;
  zrevrange(key: string, start: number, stop: number): Promise<string[]>;
  hexists(key: string, field: string): Promise<number>;
  hmget(key: string, ...fields: string[]): Promise<(string | null)[]>;
  exists(key: string): Promise<number>;
  get(key: string): Promise<string | null>;
}

type Reply = [error: Error | null, result: unknown];

/** Queues commands on one pipeline; each returns a promise settled when the pipeline replies. */
class ReadBatch implements ReadCommands {
  private readonly pipeline: ChainableCommander;
  private readonly settlers: Array<(reply: Reply) => void> = [];

  constructor(redis: RedisClient) {
    this.pipeline = redis.pipeline();
  }

  private queue<T>(add: (pipeline: ChainableCommander) => unknown): Promise<T> {
    add(this.pipeline);
    return new Promise<T>((resolve, reject) => {
      this.settlers.push(([error, result]) => (error ? reject(error) : resolve(result as T)));
    });
  }

  llen(key: string) {
    return this.queue<number>((p) => p.llen(key));
  }
  lindex(key: string, index: number) {
    return this.queue<string | null>((p) => p.lindex(key, index));
  }
  lrange(key: string, start: number, stop: number) {
    return this.queue<string[]>((p) => p.lrange(key, start, stop));
  }
  zcard(key: string) {
    return this.queue<number>((p) => p.zcard(key));
  }
  zrange(key: string, start: number, stop: number) {
    return this.queue<string[]>((p) => p.zrange(key, start, stop));
  }
  zrevrange(key: string, start: number, stop: number) {
    return this.queue<string[]>((p) => p.zrevrange(key, start, stop));
  }
  hexists(key: string, field: string) {
    return this.queue<number>((p) => p.hexists(key, field));
  }
  hmget(key: string, ...fields: string[]) {
    return this.queue<(string | null)[]>((p) => p.hmget(key, ...fields));
  }
  exists(key: string) {
    return this.queue<number>((p) => p.exists(key));
  }
  get(key: string) {
    return this.queue<string | null>((p) => p.get(key));
  }

  /** Sends the pipeline and settles every queued command; a failed send rejects them all. */
  async exec(): Promise<void> {
    if (this.settlers.length === 0) return;
    let replies: Reply[];
    try {
      replies = (await this.pipeline.exec()) ?? [];
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      replies = [];
      for (let i = 0; i < this.settlers.length; i++) replies.push([failure, undefined]);
    }
    this.settlers.forEach((settle, i) => settle(replies[i] ?? [new Error('no reply'), undefined]));
  }
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
