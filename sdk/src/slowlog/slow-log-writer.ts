/**
 * Moves slow entries from memory to Redis. Recording only appends to a bounded queue; this
 * writer drains it in the background, a batch (one pipeline) at a time, never two at once.
 * While Redis is away entries wait, oldest dropped first when the queue is full, and go out in
 * order, with their original timestamps, once the connection is ready again.
 */
import type { RedisClient } from '../redis/redis-client';
import { OutageLog } from '../agent/logger';
import type { QuasarLogger } from '../options/types';
import type { SlowEntry } from '../schema';
import { appendSlowEntries } from '../transport/slow-log-store';
import { withDeadline } from '../util/deadline';
import { BoundedQueue } from './bounded-queue';

/** Entries per pipeline: large enough to empty a default buffer in four round trips. */
const MAX_BATCH = 256;
/** A batch Redis has not answered by then is retried (possibly written twice, never lost). */
const WRITE_TIMEOUT_MS = 5000;
/** Backstop retry while Redis is away; the connection's 'ready' (see `wake()`) is quicker. */
const RETRY_MS = 1000;
/** How long `stop()` keeps trying to write what is left. */
const STOP_DEADLINE_MS = 2000;

/** Where and how much the writer writes; see `ResolvedSlowLog` for the values. */
export interface SlowLogWriterOptions {
  /** The stream, from `serviceKeys(service, layout).slowLog`. */
  key: string;
  /** `MAXLEN ~` of every XADD. */
  maxLen: number;
  /** Capacity of the in-memory queue. */
  bufferSize: number;
  /** Where write failures and overflows are reported, once per episode. */
  logger: QuasarLogger;
}

/** Drains queued slow entries to their stream, in order, one pipelined batch at a time. */
export class SlowLogWriter {
  private readonly queue: BoundedQueue<SlowEntry>;
  private readonly writeLog: OutageLog;
  private client: RedisClient | undefined;
  private active = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<boolean> | undefined;
  /**
   * A pipeline sent but not yet answered, kept past its deadline: a new batch waits for it
   * (its reply, or the connection dropping), so a Redis that holds the socket open without
   * answering cannot make pipelines of the same entries pile up.
   */
  private outstanding: Promise<unknown> | undefined;
  /** Entries at the queue's front that belong to the batch being written. */
  private inFlight = 0;
  /** Entries of that batch already pushed out of the queue by newer ones. */
  private evictedInFlight = 0;
  /** Entries dropped since the queue last drained, so the overflow is logged once. */
  private droppedInEpisode = 0;
  private written = 0;
  private dropped = 0;

  constructor(private readonly options: SlowLogWriterOptions) {
    this.queue = new BoundedQueue(options.bufferSize);
    this.writeLog = new OutageLog(options.logger, 'slow log write', 'retrying');
  }

  /** Queues an entry; cheap and synchronous. Before `start()` it simply waits in the queue. */
  enqueue(entry: SlowEntry): void {
    if (this.queue.push(entry) !== undefined) {
      if (this.inFlight > 0) {
        // Already on the wire: counted written or dropped when its reply arrives.
        this.inFlight--;
        this.evictedInFlight++;
      } else {
        this.noteDropped(1);
      }
    }
    this.schedule(0);
  }

  /** Counters for `getSlowLogStats()`. */
  counts(): { written: number; dropped: number; pending: number } {
    return {
      written: this.written,
      dropped: this.dropped,
      pending: this.queue.length + this.evictedInFlight,
    };
  }

  /** Starts writing through the agent's connection, beginning with anything queued before. */
  start(client: RedisClient): void {
    if (this.closed) return;
    this.client = client;
    this.active = true;
    this.schedule(0);
  }

  /** The connection is ready again: write now rather than at the next retry. */
  wake(): void {
    if (!this.active) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.schedule(0);
  }

  /**
   * Stops the background writes, then writes what is left within `STOP_DEADLINE_MS`. Whatever
   * still could not be written is counted as dropped and logged once. Never rejects.
   */
  async stop(): Promise<void> {
    this.active = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await withDeadline(this.drain(), STOP_DEADLINE_MS, 'slow log flush').catch(() => undefined);
    this.closed = true;
    const { pending } = this.counts();
    if (pending > 0) {
      this.dropped += pending;
      this.queue.clear();
      this.inFlight = 0;
      this.evictedInFlight = 0;
      this.options.logger.warn(
        `slow log: ${pending} entries were not written before stop (Redis unreachable)`,
      );
    }
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && (await this.flush()));
    // A batch whose entries were all evicted is still awaiting its replies.
    await this.flushing;
  }

  private schedule(delayMs: number): void {
    if (!this.active || this.timer || this.flushing) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().then((ok) => {
        if (this.queue.length > 0) this.schedule(ok ? 0 : RETRY_MS);
      });
    }, delayMs);
    this.timer.unref();
  }

  /** Writes one batch, or joins the one in progress; resolves true when it was written. */
  private flush(): Promise<boolean> {
    this.flushing ??= this.writeBatch()
      .catch(() => false)
      .finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async writeBatch(): Promise<boolean> {
    const client = this.client;
    // Not an error of ours: the heartbeat already reports the connection; wait for 'ready'.
    if (!client || client.status !== 'ready' || this.closed || this.outstanding) return false;
    const batch = this.queue.peek(MAX_BATCH);
    if (batch.length === 0) return true;
    this.inFlight = batch.length;
    this.evictedInFlight = 0;
    let replies: (Error | null)[];
    try {
      const write = appendSlowEntries(client, this.options.key, this.options.maxLen, batch);
      this.outstanding = write;
      write.then(
        () => (this.outstanding = undefined),
        () => (this.outstanding = undefined),
      );
      replies = await withDeadline(write, WRITE_TIMEOUT_MS, 'slow log write');
    } catch (error) {
      replies = batch.map(() => (error instanceof Error ? error : new Error(String(error))));
    }
    if (this.closed) return false;
    return this.settle(batch, replies);
  }

  /** Accounts for a batch's replies; failed entries go back to the front, in order. */
  private settle(batch: readonly SlowEntry[], replies: readonly (Error | null)[]): boolean {
    const evicted = this.evictedInFlight;
    let firstError: Error | undefined;
    const retry: SlowEntry[] = [];
    batch.forEach((entry, i) => {
      const error = replies[i] ?? null;
      firstError ??= error ?? undefined;
      if (error === null) this.written++;
      else if (i < evicted) this.noteDropped(1);
      else retry.push(entry);
    });
    this.queue.replaceFront(this.inFlight, retry);
    this.inFlight = 0;
    this.evictedInFlight = 0;
    if (firstError) {
      this.writeLog.failed(firstError);
      return false;
    }
    this.writeLog.succeeded();
    if (this.queue.length === 0) this.endOverflow();
    return true;
  }

  private noteDropped(count: number): void {
    this.dropped += count;
    if (this.droppedInEpisode === 0) {
      this.options.logger.warn(
        `slow log buffer is full (${this.options.bufferSize} entries): dropping the oldest ` +
          'until Redis catches up',
      );
    }
    this.droppedInEpisode += count;
  }

  private endOverflow(): void {
    if (this.droppedInEpisode === 0) return;
    this.options.logger.info(
      `slow log caught up; ${this.droppedInEpisode} entries were dropped meanwhile`,
    );
    this.droppedInEpisode = 0;
  }
}
