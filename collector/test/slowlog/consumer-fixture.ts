/**
 * What the slow-log consumer tests share: entries encoded as the SDK encodes them, a node
 * identity per (service, node), the stock OTLP/HTTP exporter pointed at a local receiver, and a
 * rig that owns every connection, exporter and consumer a test creates, so one `dispose()`
 * releases them all and jest exits with no open handle.
 */
import Redis from 'ioredis';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import type { ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { QuasarKeys, slowEntryToFields } from '@gravito/quasar/schema';
import type { SlowEntry } from '@gravito/quasar/schema';
import { SlowLogConsumer } from '../../src/slowlog/consumer';
import type { NodeIdentity, SlowLogConsumerOptions } from '../../src/slowlog/consumer';
import { DurationHistograms } from '../../src/slowlog/duration-histograms';
import { attributeMap, startOtlpReceiver } from '../../../testing/otlp-receiver';
import type { OtlpReceiver, ReceivedLogRecord } from '../../../testing/otlp-receiver';

export const GROUP = 'quasar-collector';
/** The log attribute carrying the stream entry id: how duplicates are told apart. */
export const ENTRY_ID = 'quasar.slow.entry_id';

/** A slow request as `recordSlow()` would have stamped it. */
export function slowRequest(overrides: Partial<SlowEntry> = {}): SlowEntry {
  return {
    kind: 'request',
    name: 'GET /orders/:id',
    durationMs: 1834,
    thresholdMs: 1000,
    nodeId: 'web-1',
    timestamp: 1_700_000_000_000,
    method: 'GET',
    route: '/orders/:id',
    status: 200,
    ...overrides,
  };
}

/** A slow job as `recordSlow()` would have stamped it. */
export function slowJob(overrides: Partial<SlowEntry> = {}): SlowEntry {
  return {
    kind: 'job',
    name: 'SendWelcome',
    durationMs: 7200,
    thresholdMs: 5000,
    nodeId: 'worker-1',
    timestamp: 1_700_000_000_000,
    queue: 'emails',
    ...overrides,
  };
}

/**
 * An entry's stream fields with some replaced, or removed when the new value is undefined: how
 * a malformed entry (a writer's bug, or another tool) looks.
 */
export function fieldsWith(
  entry: SlowEntry,
  changes: Record<string, string | undefined>,
): string[] {
  const fields = slowEntryToFields(entry);
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!, fields[i + 1]!);
  for (const [field, value] of Object.entries(changes)) {
    if (value === undefined) map.delete(field);
    else map.set(field, value);
  }
  return [...map].flat();
}

/**
 * `service/stream-id`: an entry's identity across streams. Stream ids are only unique within a
 * stream (two services' entries written in the same millisecond share one), so the exported
 * `quasar.slow.entry_id` is told apart by the resource's `service.name`.
 */
export type EntryKey = `${string}/${string}`;

export const entryKey = (service: string, id: string): EntryKey => `${service}/${id}`;

/** The stream id of an entry key. */
export const streamIdOf = (key: EntryKey): string => key.slice(key.lastIndexOf('/') + 1);

/** Appends raw field/value pairs to a service's stream; resolves with the entry's key. */
export async function addFields(
  redis: Redis,
  service: string,
  fields: string[],
): Promise<EntryKey> {
  const id = await redis.xadd(QuasarKeys.slowLog(service), '*', ...fields);
  if (id === null) throw new Error('XADD returned no id');
  return entryKey(service, id);
}

/** Appends entries to a service's stream in order; resolves with their keys. */
export async function addEntries(
  redis: Redis,
  service: string,
  entries: readonly SlowEntry[],
): Promise<EntryKey[]> {
  const keys: EntryKey[] = [];
  for (const entry of entries) keys.push(await addFields(redis, service, slowEntryToFields(entry)));
  return keys;
}

/** Appends many entries in one pipeline, when their keys do not matter. */
export async function appendEntries(
  redis: Redis,
  service: string,
  entries: Iterable<SlowEntry>,
): Promise<void> {
  const pipeline = redis.pipeline();
  for (const entry of entries) {
    pipeline.xadd(QuasarKeys.slowLog(service), '*', ...slowEntryToFields(entry));
  }
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([error]) => error)?.[0];
  if (failed) throw failed;
}

/** The names of the group's consumers on a service's stream, sorted. */
export async function consumerNames(redis: Redis, service: string): Promise<string[]> {
  const rows = (await redis.call('XINFO', 'CONSUMERS', QuasarKeys.slowLog(service), GROUP)) as
    unknown[][] | null;
  return (rows ?? []).map((row) => String(row[row.indexOf('name') + 1])).sort();
}

/** How many entries of a service's stream the group has delivered but not acknowledged. */
export async function pendingCount(redis: Redis, service: string): Promise<number> {
  const summary = await redis.xpending(QuasarKeys.slowLog(service), GROUP);
  return Number(summary[0]);
}

/** `id → consumer` of the group's pending entries on a service's stream, with their idle time. */
export async function pendingEntries(
  redis: Redis,
  service: string,
): Promise<Array<{ id: string; consumer: string; idleMs: number }>> {
  const rows = (await redis.xpending(QuasarKeys.slowLog(service), GROUP, '-', '+', 1000)) as Array<
    [string, string, number, number]
  >;
  return rows.map(([id, consumer, idleMs]) => ({ id, consumer, idleMs }));
}

/**
 * One stable identity per node, as the collector derives it when it never saw a heartbeat; the
 * nodes a test names in `live` are reported as known (a heartbeat is held for them).
 */
export class NodeIdentities {
  private readonly seen = new Map<string, NodeIdentity>();
  /** `service/nodeId` of the nodes with a heartbeat. */
  readonly live = new Set<string>();

  readonly of = (service: string, nodeId: string): NodeIdentity => {
    const nodeKey = QuasarKeys.node(service, nodeId);
    let identity = this.seen.get(nodeKey);
    if (!identity) {
      const attributes = { 'service.name': service, 'service.instance.id': nodeId };
      const known = this.live.has(`${service}/${nodeId}`);
      identity = { nodeKey, attributes, resource: resourceFromAttributes(attributes), known };
      this.seen.set(nodeKey, identity);
    }
    return identity;
  };
}

/**
 * The real exporter behind a door the test opens: puts an export in flight for as long as the
 * test needs, which a receiver that answers at once cannot.
 */
export class GatedExporter implements LogRecordExporter {
  calls = 0;
  private opened = false;
  private readonly held: Array<() => void> = [];

  constructor(private readonly inner: LogRecordExporter) {}

  export(logs: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    this.calls++;
    const send = () => this.inner.export(logs, resultCallback);
    if (this.opened) send();
    else this.held.push(send);
  }

  open(): void {
    this.opened = true;
    for (const send of this.held.splice(0)) send();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  async shutdown(): Promise<void> {
    this.open();
    await this.inner.shutdown();
  }
}

export type RigConsumerOptions = Partial<SlowLogConsumerOptions> & {
  /** Services to consume, all owned (`addServices`); none when ownership is given later. */
  services: readonly string[];
  /** The consumer's own histograms, as a replica holds; defaults to the rig's shared ones. */
  histograms?: DurationHistograms;
  /** Defaults to a stock OTLP/HTTP exporter aimed at the rig's receiver. */
  exporter?: LogRecordExporter;
  /** The reading connection; defaults to a new one. The rig closes it either way. */
  connection?: Redis;
};

/** A flushed database, a receiver, and every consumer of a test with its own connection. */
export class ConsumerRig {
  readonly histograms = new DurationHistograms();
  readonly identities = new NodeIdentities();
  /** `what: message` of every error a consumer reported through `onError`. */
  readonly errors: string[] = [];
  private readonly consumers: SlowLogConsumer[] = [];
  private readonly exporters: LogRecordExporter[] = [];
  private readonly connections: Redis[] = [];

  private constructor(
    private readonly url: string,
    /** For writing and inspecting streams; never used by a consumer. */
    readonly redis: Redis,
    readonly receiver: OtlpReceiver,
  ) {}

  static async start(url: string): Promise<ConsumerRig> {
    const redis = new Redis(url);
    await redis.flushdb();
    return new ConsumerRig(url, redis, await startOtlpReceiver());
  }

  /** A stock exporter aimed at the receiver. A 503 is retried until `timeoutMillis` runs out. */
  exporter(timeoutMillis = 2000): OTLPLogExporter {
    const exporter = new OTLPLogExporter({ url: this.receiver.logsUrl, timeoutMillis });
    this.exporters.push(exporter);
    return exporter;
  }

  /** A consumer on a connection of its own, as XREADGROUP BLOCK requires. */
  consumer(options: RigConsumerOptions): SlowLogConsumer {
    const {
      services,
      exporter,
      connection = new Redis(this.url),
      histograms,
      ...overrides
    } = options;
    this.connections.push(connection);
    if (exporter) this.exporters.push(exporter);
    const target = histograms ?? this.histograms;
    const consumer = new SlowLogConsumer(connection, exporter ?? this.exporter(), target, {
      group: GROUP,
      consumer: 'collector-a',
      batchSize: 50,
      reclaimIdleMs: 60_000,
      blockMs: 200,
      resourceOf: this.identities.of,
      onError: (error, what) => this.errors.push(`${what}: ${String(error)}`),
      ...overrides,
    });
    consumer.addServices(services);
    this.consumers.push(consumer);
    return consumer;
  }

  /** Every log record the receiver accepted, in arrival order, with the key of its entry. */
  exported(): Array<ReceivedLogRecord & { key: EntryKey }> {
    return this.receiver.logRecords().map((received) => {
      const id = String(attributeMap(received.record.attributes)[ENTRY_ID]);
      return { ...received, key: entryKey(String(received.resource['service.name']), id) };
    });
  }

  /** The keys of every exported entry, in arrival order: a duplicate shows up twice. */
  exportedKeys(): EntryKey[] {
    return this.exported().map(({ key }) => key);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.stop()));
    await Promise.all(this.exporters.map((e) => e.shutdown()));
    await Promise.all(
      [this.redis, ...this.connections].map((c) => c.quit().catch(() => undefined)),
    );
    await this.receiver.close();
  }
}
