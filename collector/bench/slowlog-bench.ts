/**
 * Slow-log throughput: the bridge's consumer (read, parse, map to log records, OTLP export,
 * XACK) against a raw XREADGROUP + XACK loop over the same entries, in the same run.
 */
import Redis from 'ioredis';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { QuasarKeys, slowEntryToFields } from '@gravito/quasar/schema';
import { LogRecordsExporter } from '../src/otlp/logs-exporter';
import { DurationHistograms } from '../src/slowlog/duration-histograms';
import { SlowLogConsumer } from '../src/slowlog/consumer';
import type { SlowGroups } from '../src/slowlog/groups/slow-groups';

const SERVICES = 10;
const BATCH = 1000;

/** The benchmark's slow-log streams, one per service. */
export function slowLogKeys(): string[] {
  return Array.from({ length: SERVICES }, (_, i) => QuasarKeys.slowLog(`svc-${i}`));
}

export async function fillStreams(redis: Redis, entries: number): Promise<void> {
  for (let start = 0; start < entries; start += 1000) {
    const pipeline = redis.pipeline();
    for (let i = start; i < Math.min(entries, start + 1000); i++) {
      const service = `svc-${i % SERVICES}`;
      pipeline.xadd(
        QuasarKeys.slowLog(service),
        '*',
        ...slowEntryToFields({
          kind: i % 2 ? 'request' : 'job',
          name: i % 2 ? 'GET /orders/:id' : 'SendInvoice',
          durationMs: 1000 + (i % 5000),
          thresholdMs: 1000,
          nodeId: `node-${i % 100}`,
          timestamp: Date.now(),
          ...(i % 2 ? { method: 'GET', route: '/orders/:id', status: 200 } : { queue: 'billing' }),
        }),
      );
    }
    await pipeline.exec();
  }
}

/** Reference: read and acknowledge every entry, nothing else. Returns ms. */
export async function rawLoopMs(url: string, group: string): Promise<number> {
  const redis = new Redis(url);
  const keys = slowLogKeys();
  for (const key of keys) await redis.xgroup('CREATE', key, group, '0');
  const started = performance.now();
  for (;;) {
    const reply = (await redis.call(
      'XREADGROUP',
      'GROUP',
      group,
      'raw',
      'COUNT',
      BATCH,
      'STREAMS',
      ...keys,
      ...keys.map(() => '>'),
    )) as Array<[string, Array<[string, string[]]>]> | null;
    if (!reply) break;
    const pipeline = redis.pipeline();
    for (const [key, entries] of reply) {
      for (const [, fields] of entries) {
        // Touch the fields as a consumer would, so the reference is not a no-op.
        if (fields.length === 0) throw new Error('empty entry');
      }
      pipeline.xack(key, group, ...entries.map(([id]) => id));
    }
    await pipeline.exec();
  }
  const ms = performance.now() - started;
  await redis.quit();
  return ms;
}

/** The bridge's consumer, exporting to `receiverUrl`, feeding `groups` if given. Returns ms. */
export async function consumerMs(
  url: string,
  group: string,
  receiverUrl: string,
  groups?: SlowGroups,
): Promise<number> {
  const redis = new Redis(url);
  const exporter = new LogRecordsExporter('http/protobuf', { url: `${receiverUrl}/v1/logs` });
  const resources = new Map<string, ReturnType<typeof resourceFromAttributes>>();
  const consumer = new SlowLogConsumer(redis, exporter, new DurationHistograms(), {
    group,
    consumer: 'bench',
    batchSize: BATCH,
    reclaimIdleMs: 60_000,
    blockMs: 0,
    resourceOf: (service, nodeId) => {
      const nodeKey = `${service}:${nodeId}`;
      let resource = resources.get(nodeKey);
      const attributes = { 'service.name': service, 'service.instance.id': nodeId };
      if (!resource) resources.set(nodeKey, (resource = resourceFromAttributes(attributes)));
      return { nodeKey, attributes, resource, known: true };
    },
    groups,
    onError: (error) => {
      throw error;
    },
  });
  consumer.addServices(Array.from({ length: SERVICES }, (_, i) => `svc-${i}`));
  const started = performance.now();
  const exported = await consumer.drain();
  const ms = performance.now() - started;
  await exporter.shutdown();
  await redis.quit();
  if (exported === 0) throw new Error('the consumer exported nothing');
  return ms;
}
