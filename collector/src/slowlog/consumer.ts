/**
 * Consumes the slow-log streams of the services it owns through one consumer group shared by
 * the replicas. An entry is XACKed only after its log record was exported; on failure it stays
 * pending and is read again (from this consumer's pending list) after a back-off. A service just
 * acquired first has what its previous owner left pending claimed and exported; entries left
 * pending by a crashed replica are claimed with XAUTOCLAIM once idle long enough; on `stop()`
 * this consumer exports what it read, hands back what it could not, and leaves the group. Only
 * the owner of a service counts its durations, so each histogram series has one writer.
 */
import { isClusterClient } from '@gravito/quasar';
import type { RedisClient } from '@gravito/quasar';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import { Backoff } from './backoff';
import { exportBatch } from './batch-export';
import type { BatchTarget } from './batch-export';
import { settlesBy } from './deadline';
import type { DurationHistograms } from './duration-histograms';
import { prepareReply } from './entry-batch';
import { GroupMembership } from './group-membership';
import { PollInterval } from './poll-interval';
import { ackPerStream, readGroup } from './read-commands';
import { isStreamError } from './stream-errors';
import { emptyCounts } from './consumer-types';
import type { Decoded, SlowLogConsumerOptions, SlowLogCounts, StreamReply } from './consumer-types';

export type { NodeIdentity, SlowLogConsumerOptions, SlowLogCounts } from './consumer-types';

const DEFAULT_STOP_TIMEOUT_MS = 10_000;
const DEFAULT_CLUSTER_POLL_MS = 500;

/** Reads the slow-log streams into OTLP log records and the duration histograms. */
export class SlowLogConsumer {
  /** Read this consumer's pending list before new entries (at start, after a failure or a claim). */
  private pendingFirst = true;
  private readonly backoff = new Backoff();
  /** From a failed read to the next good step: a reconnect then ends the back-off at once. */
  private readFailing = false;
  /** A stream refused the last step: the groups are made again at once, but only once. */
  private regrouping = false;
  private running: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  /** The export of the previous batch, still running while the next one is prepared. */
  private inflight: Promise<void> | undefined;
  /** The next batch of new entries, read while the current one is exported. */
  private prefetched: Promise<StreamReply> | undefined;
  private stopped = false;
  readonly counts: SlowLogCounts = emptyCounts();
  private readonly membership: GroupMembership;
  private readonly target: BatchTarget;
  /** On a cluster, the wait between non-blocking reads; undefined on a single Redis. */
  private readonly poll: PollInterval | undefined;
  private readonly onReady = () => {
    if (this.readFailing) this.backoff.interrupt();
  };

  constructor(
    /** A connection of its own: XREADGROUP BLOCK holds it (a single Redis; a cluster polls). */
    private readonly client: RedisClient,
    exporter: LogRecordExporter,
    private readonly histograms: DurationHistograms,
    private readonly options: SlowLogConsumerOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.membership = new GroupMembership(client, options, this.counts, now);
    if (isClusterClient(client)) {
      const capMs = Math.min(options.blockMs, options.clusterPollMs ?? DEFAULT_CLUSTER_POLL_MS);
      this.poll = new PollInterval(Math.max(1, capMs));
    }
    this.target = {
      exporter,
      histograms,
      resourceOf: options.resourceOf,
      groups: options.groups,
      countsDurations: (stream) => this.membership.ownsStream(stream),
    };
  }

  /**
   * Adds services whose streams should be consumed, for callers that do not share services out
   * between replicas: this consumer owns every service added, and no acquisition claim is made.
   */
  addServices(services: Iterable<string>): void {
    this.membership.addServices(services);
  }

  /**
   * The services this replica owns from now on (it replaces what `addServices` and earlier
   * calls gave): only their streams are read. Of a service no longer owned, the entries already
   * read are still exported and acknowledged, and its duration series are forgotten, so its new
   * owner is their one writer and a later return here starts them afresh. Before new entries of
   * a service in `acquired` are read, the entries its previous owners left pending for
   * `claimIdleMs` are claimed and exported, until none is left under another consumer's name.
   * @throws RangeError when `claimIdleMs` is not a whole number of ms, 0 or more.
   */
  setOwnedServices(
    owned: ReadonlySet<string>,
    acquired: readonly string[],
    claimIdleMs: number,
  ): void {
    // Redis would refuse it at every claim, and the stream would never be read.
    if (!Number.isSafeInteger(claimIdleMs) || claimIdleMs < 0) {
      throw new RangeError(`claimIdleMs must be a whole number of ms, 0 or more: ${claimIdleMs}`);
    }
    for (const service of this.membership.setOwned(owned, acquired, claimIdleMs)) {
      this.histograms.forgetService(service);
      this.options.groups?.forgetService(service);
    }
  }

  start(): void {
    if (this.running) return;
    this.stopped = false;
    this.stopping = undefined;
    this.client.on('ready', this.onReady);
    this.running = this.loop();
  }

  /**
   * Finishes the batch in flight and exports the one read ahead, both within `stopTimeoutMs`;
   * then hands back whatever is still pending (marked idle, so a live replica claims it on its
   * next pass) or, with nothing pending, deletes this consumer from the group. Idempotent.
   */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.stopped = true;
    this.client.off('ready', this.onReady);
    this.backoff.interrupt();
    const deadline = Date.now() + (this.options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
    const running = this.running;
    this.running = undefined;
    // A loop still in its step past the deadline owns the batches: leave them to the hand-back.
    if (!running || (await settlesBy(running, deadline))) {
      const flushed = this.flush();
      flushed.catch((error: unknown) => this.options.onError(error, 'slow-log stop'));
      await settlesBy(flushed, deadline);
    }
    await this.membership
      .retire()
      .catch((error: unknown) => this.options.onError(error, 'slow-log stop'));
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const failures = this.counts.exportFailures;
      try {
        await this.step(this.options.blockMs);
        this.readFailing = false;
        this.regrouping = false;
        if (this.counts.exportFailures === failures) this.backoff.reset();
      } catch (error) {
        this.options.onError(error, 'slow-log read');
        this.setAside();
        if (isStreamError(error) && !this.regrouping) {
          // A stream deleted or replaced (a Redis restart, a stray SET): the others are read
          // again at once. Twice in a row is no longer that, and backs off.
          this.regrouping = true;
        } else {
          this.readFailing = !isStreamError(error);
          this.backoff.fail();
        }
      }
      if (!this.stopped) await this.backoff.pause();
    }
  }

  /**
   * After a failed step: every group is checked again (a stream that refuses is set aside), and
   * this consumer's pending list is read first, since a lost reply may have left entries in it.
   */
  private setAside(): void {
    this.membership.recheck();
    this.pendingFirst = true;
    this.prefetched = undefined;
  }

  /**
   * Drains everything available now (pending and new), without blocking: `--once` and tests.
   * Resolves with the number of entries exported; rejects if an export failed.
   */
  async drain(): Promise<number> {
    const before = this.counts.exported;
    const failures = this.counts.exportFailures;
    this.pendingFirst = true;
    let setAside = false;
    for (;;) {
      const readingPending = this.pendingFirst;
      let handled: number;
      try {
        // A drain never waits for another consumer: each claim is made for what is idle now.
        handled = await this.step(0, true);
        setAside = false;
      } catch (error) {
        if (!isStreamError(error) || setAside) throw error;
        setAside = true;
        this.setAside();
        continue;
      }
      if (this.counts.exportFailures !== failures) {
        throw new Error('slow-log export failed; entries stay pending');
      }
      // Done once a read of new entries (not of the pending list) comes back empty, or at once
      // when no service has a stream yet: there is nothing to read, pending or new.
      const nothingToRead = this.membership.readable === 0;
      if (handled === 0 && ((!readingPending && !this.pendingFirst) || nothingToRead)) {
        break;
      }
    }
    await this.settle();
    if (this.counts.exportFailures !== failures) {
      throw new Error('slow-log export failed; entries stay pending');
    }
    return this.counts.exported - before;
  }

  /**
   * One read and export. Returns how many entries it handled. With `final` (a drain), the
   * claims of services just acquired take what is idle now and end.
   */
  private async step(blockMs: number, final = false): Promise<number> {
    if ((await this.membership.keys()).length > 0 && (await this.membership.maintain(final))) {
      this.pendingFirst = true;
    }
    // Again: the housekeeping may have set a stream aside.
    const keys = await this.membership.keys();
    // New entries of a stream just acquired wait until its previous owner's are claimed.
    const fresh = keys.filter((key) => this.membership.readsNew(key));
    if (keys.length === 0) {
      if (blockMs > 0 && !this.stopped) await this.backoff.sleep(blockMs);
      return 0;
    }

    // The pending list is read only once no export is in flight (its entries would be in it).
    // An ack that failed back then (Redis away) left its entries in that list: read them now.
    if (this.pendingFirst) {
      await this.settle().catch((error: unknown) => this.options.onError(error, 'slow-log ack'));
    }
    const pending = this.pendingFirst;
    const prefetched = this.prefetched;
    this.prefetched = undefined;
    if (prefetched && pending) {
      // Read ahead before a claim: exported now rather than read again from the pending list,
      // which is no longer read for a stream given up since. A read ahead that failed left its
      // entries, if any, in the pending lists.
      await this.handle(await prefetched.catch(() => null), true);
    } else if (!pending && !prefetched && fresh.length === 0) {
      if (blockMs > 0 && !this.stopped) await this.backoff.sleep(blockMs);
      return 0;
    }
    const block = this.stopped ? 0 : blockMs;
    const reply =
      prefetched && !pending
        ? await prefetched
        : await readGroup(this.client, this.options, pending ? keys : fresh, pending, block);
    if (!pending && !this.stopped && fresh.length > 0 && reply && reply.length > 0) {
      // Read the next batch of new entries while this one is exported: the round trip overlaps
      // the export. After a failure the prefetch is dropped; its entries sit in this
      // consumer's pending list and are read from there.
      this.prefetched = readGroup(this.client, this.options, fresh, false, 0);
      this.prefetched.catch(() => undefined);
    }
    const handled = await this.handle(reply, pending);
    if (pending && handled === 0) this.pendingFirst = false;
    if (this.poll && !pending) await this.pollPause(handled, block);
    return handled;
  }

  /**
   * On a cluster the read of new entries never blocks: after an empty one the loop waits the
   * poll interval instead (cut short by `stop()`), as long as a BLOCK would have let it wait.
   */
  private async pollPause(handled: number, blockMs: number): Promise<void> {
    if (handled > 0) this.poll?.reset();
    else if (this.poll && blockMs > 0 && !this.stopped) await this.backoff.sleep(this.poll.next());
  }

  /**
   * Acknowledges what needs no export and exports the rest. A batch of the pending list is
   * awaited; one of new entries stays in flight while the next is read, at most two at a time.
   */
  private async handle(reply: StreamReply, awaitExport: boolean): Promise<number> {
    const prepared = prepareReply(reply ?? [], this.membership.streams, this.counts);
    await this.ack(prepared.ackNow);
    if (prepared.decoded.length > 0) {
      const delivery = this.deliver(prepared.decoded);
      if (awaitExport) {
        await delivery;
      } else {
        const previous = this.inflight;
        this.inflight = delivery;
        delivery.catch(() => undefined); // awaited by the next step or by settle()
        await previous;
      }
    }
    return prepared.handled;
  }

  /** Exports parsed entries; acknowledges them only once the export succeeded. */
  private async deliver(decoded: readonly Decoded[]): Promise<void> {
    const acks = await exportBatch(this.target, decoded, this.now());
    if (acks instanceof Error) {
      this.counts.exportFailures++;
      this.pendingFirst = true;
      this.prefetched = undefined;
      this.backoff.fail();
      this.options.onError(acks, 'slow-log export');
      return;
    }
    this.counts.exported += decoded.length;
    this.counts.exportedBatches++;
    await this.ack(acks);
  }

  /** Waits for the export still in flight, if any. */
  private async settle(): Promise<void> {
    const inflight = this.inflight;
    this.inflight = undefined;
    await inflight;
  }

  /** What was read but not exported yet: the batch in flight, then the one read ahead. */
  private async flush(): Promise<void> {
    await this.settle().catch((error: unknown) => this.options.onError(error, 'slow-log ack'));
    const prefetched = this.prefetched;
    this.prefetched = undefined;
    if (prefetched) await this.handle(await prefetched, true);
  }

  /** Acknowledges entries, per stream: a stream that refuses is set aside, the rest count. */
  private async ack(byStream: Map<string, string[]>): Promise<void> {
    let failure: Error | undefined;
    for (const [stream, error] of await ackPerStream(this.client, this.options.group, byStream)) {
      if (isStreamError(error)) this.membership.setAside(stream, error);
      else failure ??= error;
    }
    if (failure) throw failure;
  }

  /** Unacknowledged entries (pending) plus entries not yet delivered (lag), all streams. */
  backlog(): Promise<number> {
    return this.membership.backlog();
  }
}
