/**
 * Consumes every service's slow-log stream through one consumer group, so replicas share the
 * work. An entry is XACKed only after its log record was exported; on failure it stays
 * pending and is read again (from this consumer's pending list) after a back-off. Entries left
 * pending by a crashed replica are claimed with XAUTOCLAIM once idle long enough.
 */
import type Redis from 'ioredis';
import { QuasarKeys, parseSlowEntry } from '@gravito/quasar/schema';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { DurationHistograms } from './duration-histograms';
import { claimIdle, createGroup, groupBacklog } from './group-commands';
import { exportLogs } from './log-exporter';
import { toLogRecord } from './log-records';
import type {
  Decoded,
  Prepared,
  SlowLogConsumerOptions,
  SlowLogCounts,
  StreamReply,
} from './consumer-types';

export type { NodeIdentity, SlowLogConsumerOptions, SlowLogCounts } from './consumer-types';

const MAX_BACKOFF_MS = 30_000;
/** How long a stream that did not exist (or was not a stream) waits before another try. */
const GROUP_RETRY_MS = 5_000;

export class SlowLogConsumer {
  private readonly streams = new Map<string, string>();
  private readonly grouped = new Set<string>();
  private readonly retryGroupAt = new Map<string, number>();
  /** Read this consumer's pending list before new entries (at start, after a failure or a claim). */
  private pendingFirst = true;
  private backoffMs = 0;
  private lastReclaimAt = 0;
  private running: Promise<void> | undefined;
  /** The export of the previous batch, still running while the next one is prepared. */
  private inflight: Promise<void> | undefined;
  /** The next batch of new entries, read while the current one is exported. */
  private prefetched: Promise<StreamReply> | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  readonly counts: SlowLogCounts = {
    exported: 0,
    exportedBatches: 0,
    malformed: 0,
    trimmed: 0,
    exportFailures: 0,
    reclaimed: 0,
  };

  constructor(
    /** A connection of its own: XREADGROUP BLOCK holds it. */
    private readonly client: Redis,
    private readonly exporter: LogRecordExporter,
    private readonly histograms: DurationHistograms,
    private readonly options: SlowLogConsumerOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds services whose streams should be consumed. */
  addServices(services: Iterable<string>): void {
    for (const service of services) {
      const key = QuasarKeys.slowLog(service);
      if (!this.streams.has(key)) this.streams.set(key, service);
    }
  }

  start(): void {
    if (this.running) return;
    this.stopped = false;
    this.running = this.loop();
  }

  /** Finishes the export in flight (and its XACK), then returns. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
    this.running = undefined;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const failures = this.counts.exportFailures;
      try {
        await this.step(this.options.blockMs);
        if (this.counts.exportFailures === failures) this.backoffMs = 0;
      } catch (error) {
        this.options.onError(error, 'slow-log read');
        this.backoff();
      }
      if (this.backoffMs > 0 && !this.stopped) await this.sleep(this.backoffMs);
    }
    await this.settle().catch((error: unknown) => this.options.onError(error, 'slow-log ack'));
  }

  /**
   * Drains everything available now (pending and new), without blocking: `--once` and tests.
   * Resolves with the number of entries exported; rejects if an export failed.
   */
  async drain(): Promise<number> {
    const before = this.counts.exported;
    const failures = this.counts.exportFailures;
    this.pendingFirst = true;
    for (;;) {
      const readingPending = this.pendingFirst;
      const handled = await this.step(0);
      if (this.counts.exportFailures !== failures) {
        throw new Error('slow-log export failed; entries stay pending');
      }
      // Done once a read of new entries (not of the pending list) comes back empty, or at once
      // when no service has a stream yet: there is nothing to read, pending or new.
      if (handled === 0 && ((!readingPending && !this.pendingFirst) || this.grouped.size === 0)) {
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
    try {
      return await this.readAndExport(blockMs);
    } catch (error) {
      // A stream, and its group with it, is gone (DEL, FLUSHDB, a restart without persistence):
      // create the groups again next step, or no stream would ever be read again.
      if (error instanceof Error && error.message.startsWith('NOGROUP')) this.grouped.clear();
      throw error;
    }
  }

  private async readAndExport(blockMs: number): Promise<number> {
    await this.ensureGroups();
    const keys = [...this.grouped];
    if (keys.length === 0) {
      if (blockMs > 0) await this.sleep(blockMs);
      return 0;
    }
    if (this.now() - this.lastReclaimAt >= this.options.reclaimIdleMs / 2) await this.reclaim(keys);

    // The pending list is read only once no export is in flight (its entries would be in it).
    if (this.pendingFirst) await this.settle();
    const pending = this.pendingFirst;
    const prefetched = this.prefetched;
    this.prefetched = undefined;
    const reply =
      prefetched && !pending ? await prefetched : await this.read(keys, pending, blockMs);
    if (!pending && reply && reply.length > 0) {
      // Read the next batch of new entries while this one is exported: the round trip overlaps
      // the export. After a failure the prefetch is dropped; its entries sit in this
      // consumer's pending list and are read from there.
      this.prefetched = this.read(keys, false, 0);
      this.prefetched.catch(() => undefined);
    }
    const prepared = this.prepare(reply ?? []);
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

  private async ensureGroups(): Promise<void> {
    const now = this.now();
    for (const key of this.streams.keys()) {
      if (this.grouped.has(key) || (this.retryGroupAt.get(key) ?? 0) > now) continue;
      // A service without a stream yet (or a key that is not a stream) is tried again later,
      // not on every step: each try is a round trip.
      const created = await createGroup(this.client, key, this.options.group).catch(
        (error: Error) => {
          if (!error.message.startsWith('WRONGTYPE')) throw error;
          return false;
        },
      );
      if (created) {
        this.grouped.add(key);
        this.retryGroupAt.delete(key);
      } else {
        this.retryGroupAt.set(key, now + GROUP_RETRY_MS);
      }
    }
  }

  private async reclaim(keys: readonly string[]): Promise<void> {
    this.lastReclaimAt = this.now();
    for (const key of keys) {
      const claimed = await claimIdle(
        this.client,
        key,
        this.options.group,
        this.options.consumer,
        this.options.reclaimIdleMs,
        this.options.batchSize,
      );
      if (claimed > 0) {
        this.counts.reclaimed += claimed;
        this.pendingFirst = true;
      }
    }
  }

  /** Parses a read: entries to export, and malformed or trimmed ones to acknowledge now. */
  private prepare(reply: NonNullable<StreamReply>): Prepared {
    const decoded: Decoded[] = [];
    const ackNow = new Map<string, string[]>();
    let handled = 0;
    for (const [stream, entries] of reply) {
      const service = this.streams.get(stream) ?? stream;
      for (const [id, fields] of entries) {
        handled++;
        if (fields === null) {
          this.counts.trimmed++;
          push(ackNow, stream, id);
          continue;
        }
        const parsed = parseSlowEntry(fields);
        if (!parsed.ok) {
          // Never valid, so never worth a retry: acknowledged and counted.
          this.counts.malformed++;
          push(ackNow, stream, id);
          continue;
        }
        decoded.push({ stream, id, service, entry: parsed.value });
      }
    }
    return { handled, ackNow, decoded };
  }

  /** Exports parsed entries; acknowledges them only once the export succeeded. */
  private async deliver(decoded: readonly Decoded[]): Promise<void> {
    const nowMs = this.now();
    const identities = decoded.map((d) => this.options.resourceOf(d.service, d.entry.nodeId));
    const records: ReadableLogRecord[] = decoded.map((d, i) =>
      toLogRecord(d.entry, d.id, identities[i]!.resource, nowMs),
    );
    const result = await exportLogs(this.exporter, records);
    if (result.code !== 0) {
      this.counts.exportFailures++;
      this.pendingFirst = true;
      this.prefetched = undefined;
      this.backoff();
      this.options.onError(result.error ?? new Error('export failed'), 'slow-log export');
      return;
    }
    const acks = new Map<string, string[]>();
    decoded.forEach((d, i) => {
      push(acks, d.stream, d.id);
      const identity = identities[i]!;
      this.histograms.record(identity.nodeKey, identity.attributes, d.entry, nowMs);
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

  private async ack(byStream: Map<string, string[]>): Promise<void> {
    if (byStream.size === 0) return;
    const pipeline = this.client.pipeline();
    for (const [stream, ids] of byStream) pipeline.xack(stream, this.options.group, ...ids);
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
  }

  /** Unacknowledged entries (pending) plus entries not yet delivered (lag), all streams. */
  backlog(): Promise<number> {
    return groupBacklog(this.options.admin ?? this.client, this.grouped, this.options.group);
  }

  private backoff(): void {
    this.backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(500, this.backoffMs * 2));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

function push(map: Map<string, string[]>, key: string, id: string): void {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}
