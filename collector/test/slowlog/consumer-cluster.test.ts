import { keySlot as calculateSlot } from '@gravito/quasar';
import type { Cluster } from 'ioredis';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { createRedisClient } from '@gravito/quasar';
import type { RedisClient } from '@gravito/quasar';
import { serviceKeys, slowEntryToFields } from '@gravito/quasar/schema';
import type { KeyLayout, SlowEntry } from '@gravito/quasar/schema';
import { SlowLogConsumer } from '../../src/slowlog/consumer';
import { DurationHistograms } from '../../src/slowlog/duration-histograms';
import { attributeMap, startOtlpReceiver } from '../../../testing/otlp-receiver';
import type { OtlpReceiver } from '../../../testing/otlp-receiver';
import {
  describeWithRedisCluster,
  eventually,
  testClusterUrl,
  uniqueName,
} from '../../../testing/redis';
import {
  ENTRY_ID,
  GROUP,
  NodeIdentities,
  entryKey,
  slowJob,
  slowRequest,
} from './consumer-fixture';
import type { EntryKey } from './consumer-fixture';

interface Stream {
  service: string;
  layout: KeyLayout;
  key: string;
}

const sorted = (keys: readonly EntryKey[]) => [...keys].sort();

describeWithRedisCluster('SlowLogConsumer on a Redis Cluster', () => {
  let writer: Cluster;
  let receiver: OtlpReceiver;
  let identities: NodeIdentities;
  let errors: string[];
  const clients: RedisClient[] = [];
  const consumers: SlowLogConsumer[] = [];
  const exporters: OTLPLogExporter[] = [];

  /** The primary serving `key`'s slot, from the client's slot map. */
  const primaryOf = (key: string) => writer.slots[calculateSlot(key)]![0]!;

  /**
   * Services whose streams, v1 and v2, cover every primary: each primary serves at least one
   * stream of each layout.
   */
  function spreadStreams(): Stream[] {
    const primaries = new Set(
      writer.nodes('master').map((n) => `${n.options.host}:${n.options.port}`),
    );
    const streams: Stream[] = [];
    for (const layout of ['v1', 'v2'] as const) {
      const covered = new Set<string>();
      while (covered.size < primaries.size) {
        const service = uniqueName(`slow-${layout}`);
        const key = serviceKeys(service, layout).slowLog;
        const primary = primaryOf(key);
        if (covered.has(primary)) continue;
        covered.add(primary);
        streams.push({ service, layout, key });
      }
    }
    return streams;
  }

  async function write(stream: Stream, entries: readonly SlowEntry[]): Promise<EntryKey[]> {
    const keys: EntryKey[] = [];
    for (const entry of entries) {
      const id = await writer.xadd(stream.key, '*', ...slowEntryToFields(entry));
      keys.push(entryKey(stream.service, id!));
    }
    return keys;
  }

  function consumer(name: string, services: readonly string[] = []): SlowLogConsumer {
    const client = createRedisClient(testClusterUrl()!, { maxRetriesPerRequest: 1 });
    clients.push(client);
    const exporter = new OTLPLogExporter({ url: receiver.logsUrl, timeoutMillis: 2000 });
    exporters.push(exporter);
    const made = new SlowLogConsumer(client, exporter, new DurationHistograms(), {
      group: GROUP,
      consumer: name,
      batchSize: 20,
      reclaimIdleMs: 60_000,
      blockMs: 1000,
      clusterPollMs: 200,
      resourceOf: identities.of,
      onError: (error, what) => errors.push(`${what}: ${String(error)}`),
    });
    made.addServices(services);
    consumers.push(made);
    return made;
  }

  const exportedKeys = (): EntryKey[] =>
    receiver.logRecords().map(({ resource, record }) => {
      const id = String(attributeMap(record.attributes)[ENTRY_ID]);
      return entryKey(String(resource['service.name']), id);
    });

  const pending = async (stream: Stream) => Number((await writer.xpending(stream.key, GROUP))[0]);

  beforeAll(async () => {
    writer = createRedisClient(testClusterUrl()!) as Cluster;
    await writer.ping();
  });

  beforeEach(async () => {
    receiver = await startOtlpReceiver();
    identities = new NodeIdentities();
    errors = [];
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
    await Promise.all(exporters.splice(0).map((e) => e.shutdown()));
    await Promise.all(clients.splice(0).map((c) => c.quit().catch(() => undefined)));
    await receiver.close();
  });

  afterAll(async () => {
    await writer?.quit();
  });

  it('drains v1 and v2 streams spread over every primary, exporting and acknowledging each entry once', async () => {
    const streams = spreadStreams();
    expect(new Set(streams.map((s) => primaryOf(s.key))).size).toBe(writer.nodes('master').length);
    const written: EntryKey[] = [];
    for (const [i, stream] of streams.entries()) {
      // More than one batch in some streams: reads go on past the first COUNT.
      const count = i % 2 === 0 ? 45 : 3;
      const entries = Array.from({ length: count }, (_, n) =>
        (n % 2 ? slowJob : slowRequest)({ durationMs: 1000 + n, nodeId: `node-${i}` }),
      );
      written.push(...(await write(stream, entries)));
    }
    const reader = consumer('collector-a', [...new Set(streams.map((s) => s.service))]);

    expect(await reader.drain()).toBe(written.length);

    expect(sorted(exportedKeys())).toEqual(sorted(written));
    for (const stream of streams) expect(await pending(stream)).toBe(0);
    expect(await reader.backlog()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('polls while running: entries written before and after an idle spell are exported and acknowledged', async () => {
    const streams = spreadStreams();
    const reader = consumer(
      'collector-a',
      streams.map((s) => s.service),
    );
    reader.start();
    const first: EntryKey[] = [];
    for (const stream of streams) first.push(...(await write(stream, [slowRequest()])));
    await receiver.waitFor(() => exportedKeys().length >= first.length, 10_000);
    // Idle long enough for the poll interval to reach its cap, then a second wave.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const second: EntryKey[] = [];
    for (const stream of streams) second.push(...(await write(stream, [slowJob()])));
    await receiver.waitFor(() => exportedKeys().length >= first.length + second.length, 10_000);

    expect(sorted(exportedKeys())).toEqual(sorted([...first, ...second]));
    for (const stream of streams) {
      await eventually(async () => ((await pending(stream)) === 0 ? true : undefined), 5000);
    }
    await reader.stop();
    // Stopping with nothing pending leaves every group: the scripts ran on each stream's slot.
    for (const stream of streams) {
      expect(await writer.xinfo('CONSUMERS', stream.key, GROUP)).toEqual([]);
    }
    expect(errors).toEqual([]);
  });

  it('claims what another consumer left pending when it acquires the services, on every primary', async () => {
    const streams = spreadStreams();
    const written: EntryKey[] = [];
    for (const stream of streams)
      written.push(...(await write(stream, [slowRequest(), slowJob()])));
    // A replica that read every entry and died before exporting them.
    for (const stream of streams) {
      await writer.xgroup('CREATE', stream.key, GROUP, '0');
      await writer.xreadgroup('GROUP', GROUP, 'collector-gone', 'STREAMS', stream.key, '>');
      expect(await pending(stream)).toBe(2);
    }
    const heir = consumer('collector-b');
    const services = new Set(streams.map((s) => s.service));
    heir.setOwnedServices(services, [...services], 0);

    expect(await heir.drain()).toBe(written.length);

    expect(sorted(exportedKeys())).toEqual(sorted(written));
    expect(heir.counts.claimedOnAcquire).toBe(written.length);
    for (const stream of streams) expect(await pending(stream)).toBe(0);
    expect(errors).toEqual([]);
  });
});
