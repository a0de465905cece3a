/**
 * Consumes every service's slow-log stream through one consumer group, so replicas share the
 * work. An entry is XACKed only after its log record was exported; on failure it stays
 * pending and is read again (from this consumer's pending list) after a back-off. Entries left
 * pending by a crashed replica are claimed with XAUTOCLAIM once idle long enough; on `stop()`
 * this consumer exports what it read, hands back what it could not, and leaves the group.
 */
import type Redis from 'ioredis';
import { ExportResultCode } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { Backoff } from './backoff';
import { settlesBy } from './deadline';
import type { DurationHistograms } from './duration-histograms';
import { prepareReply, pushId } from './entry-batch';
import { GroupMembership } from './group-membership';
import { identityOf } from './node-identity';
import { exportLogs } from './log-exporter';
import { toLogRecord } from './log-records';
import { isStreamError } from './stream-errors';
import type { Decoded, SlowLogConsumerOptions, SlowLogCounts, StreamReply } from './consumer-types';

export type { NodeIdentity, SlowLogConsumerOptions, SlowLogCounts } from './consumer-types';

const DEFAULT_STOP_TIMEOUT_MS = 10_000;

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
  readonly counts: SlowLogCounts = {
    exported: 0,
    exportedBatches: 0,
    malformed: 0,
    trimmed: 0,
    exportFailures: 0,
    reclaimed: 0,
    handedBack: 0,
    deletedConsumers: 0,
    streamErrors: 0,
  };
  private readonly membership: GroupMembership;
  private readonly onReady = () => {
    if (this.readFailing) this.backoff.interrupt();
  };

  constructor(
    /** A connection of its own: XREADGROUP BLOCK holds it. */
    private readonly client: Redis,
    private readonly exporter: LogRecordExporter,
    private readonly histograms: DurationHistograms,
    private readonly options: SlowLogConsumerOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.membership = new GroupMembership(client, options, this.counts, now);
  }

  /** Adds services whose streams should be consumed. */
  addServices(services: Iterable<string>): void {
    this.membership.addServices(services);
  }

  /**
   * The services whose leases this replica holds after a cycle's lease step, those it just
   * acquired, and the lease TTL (how long a former holder's pending entries can stay unclaimed).
   * Temporary: consumes the owned services' streams, as `addServices` does, until the slow-log
   * side takes the lease-aware reading over.
   */
  setOwnedServices(
    owned: ReadonlySet<string>,
    _acquired: readonly string[],
    _claimIdleMs: number,
  ): void {
    this.addServices(owned);
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
        handled = await this.step(0);
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

  /** One read and export. Returns how many entries it handled. */
  private async step(blockMs: number): Promise<number> {
    if ((await this.membership.keys()).length > 0 && (await this.membership.maintain())) {
      this.pendingFirst = true;
    }
    // Again: the housekeeping may have set a stream aside.
    const keys = await this.membership.keys();
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
    const block = this.stopped ? 0 : blockMs;
    const reply = prefetched && !pending ? await prefetched : await this.read(keys, pending, block);
    if (!pending && !this.stopped && reply && reply.length > 0) {
      // Read the next batch of new entries while this one is exported: the round trip overlaps
      // the export. After a failure the prefetch is dropped; its entries sit in this
      // consumer's pending list and are read from there.
      this.prefetched = this.read(keys, false, 0);
      this.prefetched.catch(() => undefined);
    }
    const prepared = prepareReply(reply ?? [], this.membership.streams, this.counts);
    await this.ack(prepared.ackNow);
    if (prepared.decoded.length > 0) {
      const delivery = this.deliver(prepared.decoded);
      if (pending) {
        await delivery;
      } else {
        // At most two exports in flight: this batch's, while the next one is read and parsed.
        const previous = this.inflight;
        this.inflight = delivery;
        delivery.catch(() => undefined); // awaited by the next step or by settle()
        await previous;
      }
    }
    if (pending && prepared.handled === 0) this.pendingFirst = false;
    return prepared.handled;
  }

  /** One XREADGROUP: this consumer's pending list (`0`) or new entries (`>`). */
  private read(keys: readonly string[], pending: boolean, blockMs: number): Promise<StreamReply> {
    const args: Array<string | number> = ['GROUP', this.options.group, this.options.consumer];
    args.push('COUNT', this.options.batchSize);
    if (!pending && blockMs > 0) args.push('BLOCK', blockMs);
    args.push('STREAMS', ...keys, ...keys.map(() => (pending ? '0' : '>')));
    return this.client.call('XREADGROUP', ...args) as Promise<StreamReply>;
  }

  /** Exports parsed entries; acknowledges them only once the export succeeded. */
  private async deliver(decoded: readonly Decoded[]): Promise<void> {
    const nowMs = this.now();
    const resourceOf = this.options.resourceOf;
    const identities = decoded.map((d) => identityOf(resourceOf, d.service, d.entry.nodeId));
    const records: ReadableLogRecord[] = decoded.map((d, i) =>
      toLogRecord(d.entry, d.id, identities[i]!.resource, nowMs),
    );
    const result = await exportLogs(this.exporter, records);
    if (result.code !== ExportResultCode.SUCCESS) {
      this.counts.exportFailures++;
      this.pendingFirst = true;
      this.prefetched = undefined;
      this.backoff.fail();
      this.options.onError(result.error ?? new Error('export failed'), 'slow-log export');
      return;
    }
    const acks = new Map<string, string[]>();
    decoded.forEach((d, i) => {
      pushId(acks, d.stream, d.id);
      const { nodeKey, attributes, known } = identities[i]!;
      this.histograms.record({ service: d.service, nodeKey, attributes, known }, d.entry, nowMs);
    });
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
    const reply = prefetched ? await prefetched : null;
    if (!reply) return;
    const prepared = prepareReply(reply, this.membership.streams, this.counts);
    await this.ack(prepared.ackNow);
    if (prepared.decoded.length > 0) await this.deliver(prepared.decoded);
  }

  /** Acknowledges entries, per stream: a stream that refuses is set aside, the rest count. */
  private async ack(byStream: Map<string, string[]>): Promise<void> {
    if (byStream.size === 0) return;
    const streams = [...byStream.keys()];
    const pipeline = this.client.pipeline();
    for (const [stream, ids] of byStream) pipeline.xack(stream, this.options.group, ...ids);
    const results = (await pipeline.exec()) ?? [];
    let failure: Error | undefined;
    results.forEach(([error], i) => {
      if (!error) return;
      if (isStreamError(error)) this.membership.setAside(streams[i]!, error);
      else failure ??= error;
    });
    if (failure) throw failure;
  }

  /** Unacknowledged entries (pending) plus entries not yet delivered (lag), all streams. */
  backlog(): Promise<number> {
    return this.membership.backlog();
  }
}
