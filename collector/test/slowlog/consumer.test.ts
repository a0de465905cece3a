import { QuasarAgent } from '@gravito/quasar';
import { QuasarKeys } from '@gravito/quasar/schema';
import { anyValue } from '../../../testing/otlp-receiver';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';
import {
  ConsumerRig,
  GatedExporter,
  addEntries,
  addFields,
  fieldsWith,
  pendingCount,
  slowJob,
  slowRequest,
} from './consumer-fixture';
import type { EntryKey } from './consumer-fixture';

const sorted = (keys: readonly EntryKey[]) => [...keys].sort();
const silent = { debug() {}, info() {}, warn() {}, error() {} };

describeWithRedis('SlowLogConsumer', () => {
  let url: string;
  let rig: ConsumerRig;

  beforeAll(async () => {
    url = await claimDatabase();
  });

  beforeEach(async () => {
    rig = await ConsumerRig.start(url);
  });

  afterEach(async () => {
    await rig?.dispose();
  });

  describe('exporting', () => {
    it("exports every entry of every service once, on its node's resource, and acknowledges it", async () => {
      const { redis } = rig;
      const checkout = await addEntries(redis, 'checkout', [
        slowRequest({ nodeId: 'web-1' }),
        slowRequest({ nodeId: 'web-2', name: 'POST /cart', route: '/cart', method: 'POST' }),
        slowRequest({ nodeId: 'web-1', durationMs: 2500 }),
      ]);
      const mailer = await addEntries(redis, 'mailer', [slowJob(), slowJob({ durationMs: 9100 })]);
      const consumer = rig.consumer({ services: ['checkout', 'mailer'] });

      expect(await consumer.drain()).toBe(5);

      expect(sorted(rig.exportedKeys())).toEqual(sorted([...checkout, ...mailer]));
      const nodeOf: Record<EntryKey, string> = {
        [checkout[0]!]: 'checkout/web-1',
        [checkout[1]!]: 'checkout/web-2',
        [checkout[2]!]: 'checkout/web-1',
        [mailer[0]!]: 'mailer/worker-1',
        [mailer[1]!]: 'mailer/worker-1',
      };
      for (const { key, resource, record } of rig.exported()) {
        expect(
          `${String(resource['service.name'])}/${String(resource['service.instance.id'])}`,
        ).toBe(nodeOf[key]);
        expect(record.severityText).toBe('WARN');
      }
      expect(await pendingCount(redis, 'checkout')).toBe(0);
      expect(await pendingCount(redis, 'mailer')).toBe(0);
      expect(consumer.counts).toMatchObject({ exported: 5, malformed: 0, exportFailures: 0 });

      expect(await consumer.drain()).toBe(0);
      expect(rig.exportedKeys()).toHaveLength(5);
    });

    it('exports what agent.recordSlow() wrote before the group existed, from the start of the stream', async () => {
      const agent = new QuasarAgent({
        service: 'orders',
        name: 'api',
        interval: 60_000,
        transport: { url },
        logger: silent,
        otel: { enabled: false },
        slowLog: { requestThresholdMs: 1000 },
      });
      try {
        await agent.start();
        expect(
          agent.recordSlow({
            kind: 'request',
            name: 'GET /orders/:id',
            durationMs: 1834,
            method: 'GET',
            route: '/orders/:id',
            status: 200,
          }),
        ).toBe(true);
        expect(agent.recordSlow({ kind: 'request', name: 'GET /orders', durationMs: 2400 })).toBe(
          true,
        );
        await eventually(
          async () =>
            (await rig.redis.xlen(QuasarKeys.slowLog('orders'))) === 2 ? true : undefined,
          5000,
          'both entries in the stream',
        );
      } finally {
        await agent.stop();
      }
      expect(await rig.redis.call('XINFO', 'GROUPS', QuasarKeys.slowLog('orders'))).toEqual([]);

      expect(await rig.consumer({ services: ['orders'] }).drain()).toBe(2);

      const records = rig.receiver.logRecords();
      expect(records.map(({ record }) => anyValue(record.body))).toEqual([
        'Slow request GET /orders/:id took 1834 ms (threshold 1000 ms)',
        'Slow request GET /orders took 2400 ms (threshold 1000 ms)',
      ]);
      expect(records[0]!.resource).toMatchObject({
        'service.name': 'orders',
        'service.instance.id': agent.getNodeId(),
      });
    });

    it('never creates a stream for a service that has none', async () => {
      const ghost = QuasarKeys.slowLog('ghost');
      const alone = rig.consumer({ services: ['ghost'] });
      expect(await alone.drain()).toBe(0);
      expect(await rig.redis.exists(ghost)).toBe(0);

      await addEntries(rig.redis, 'checkout', [slowRequest()]);
      const both = rig.consumer({ services: ['ghost', 'checkout'], consumer: 'collector-b' });
      expect(await both.drain()).toBe(1);
      both.start();
      await addEntries(rig.redis, 'checkout', [slowRequest()]);
      await rig.receiver.waitFor((r) => r.logRecords().length === 2);
      expect(await rig.redis.exists(ghost)).toBe(0);
    });

    it('starts consuming a stream that appears after it started', async () => {
      const consumer = rig.consumer({ services: ['late'] });
      consumer.start();
      const [id] = await addEntries(rig.redis, 'late', [slowJob()]);

      await rig.receiver.waitFor((r) => r.logRecords().length === 1);
      expect(rig.exportedKeys()).toEqual([id]);
    });

    it('acknowledges and counts malformed entries without exporting them or holding back valid ones', async () => {
      const { redis } = rig;
      const [first] = await addEntries(redis, 'checkout', [slowRequest()]);
      await addFields(redis, 'checkout', fieldsWith(slowRequest(), { kind: undefined }));
      await addFields(redis, 'checkout', fieldsWith(slowRequest(), { durationMs: 'slow' }));
      const [last] = await addEntries(redis, 'checkout', [slowRequest()]);
      const consumer = rig.consumer({ services: ['checkout'] });

      expect(await consumer.drain()).toBe(2);

      expect(rig.exportedKeys()).toEqual([first, last]);
      expect(consumer.counts).toMatchObject({ exported: 2, malformed: 2 });
      expect(await pendingCount(redis, 'checkout')).toBe(0);
    });
  });

  describe('start() and stop()', () => {
    it('exports entries added while it runs', async () => {
      const consumer = rig.consumer({ services: ['checkout', 'mailer'] });
      consumer.start();
      const ids: EntryKey[] = [];
      for (let round = 1; round <= 3; round++) {
        ids.push(...(await addEntries(rig.redis, 'checkout', [slowRequest()])));
        ids.push(...(await addEntries(rig.redis, 'mailer', [slowJob()])));
        await rig.receiver.waitFor((r) => r.logRecords().length === ids.length);
      }
      expect(sorted(rig.exportedKeys())).toEqual(sorted(ids));
    });

    it('returns from stop() within one block interval when idle, and stops only once', async () => {
      await addEntries(rig.redis, 'checkout', [slowRequest()]);
      const blockMs = 500;
      const consumer = rig.consumer({ services: ['checkout'], blockMs });
      consumer.start();
      consumer.start();
      await rig.receiver.waitFor((r) => r.logRecords().length === 1);
      await eventually(
        async () => {
          const clients = String(await rig.redis.call('CLIENT', 'LIST'));
          return /flags=b\b.*cmd=xreadgroup/.test(clients) ? true : undefined;
        },
        5000,
        'the consumer to block in XREADGROUP',
      );

      const started = Date.now();
      await Promise.all([consumer.stop(), consumer.stop()]);
      expect(Date.now() - started).toBeLessThan(blockMs + 500);
      await consumer.stop();
      expect(rig.exportedKeys()).toHaveLength(1);
    });

    it('finishes the batch in flight before stop() resolves, exporting and acknowledging it', async () => {
      const gate = new GatedExporter(rig.exporter());
      const consumer = rig.consumer({ services: ['checkout'], exporter: gate });
      const ids = await addEntries(rig.redis, 'checkout', [slowRequest(), slowRequest()]);
      consumer.start();
      await eventually(() => (gate.calls === 1 ? true : undefined), 5000, 'an export in flight');

      let stopped = false;
      const stopping = consumer.stop().then(() => (stopped = true));
      await new Promise((resolve) => setImmediate(resolve));
      expect(stopped).toBe(false);
      gate.open();
      await stopping;

      expect(sorted(rig.exportedKeys())).toEqual(sorted(ids));
      expect(await pendingCount(rig.redis, 'checkout')).toBe(0);
      expect(gate.calls).toBe(1);
    });
  });

  it('reports pending and undelivered entries as its backlog', async () => {
    await addEntries(rig.redis, 'checkout', [slowRequest(), slowRequest()]);
    await addEntries(rig.redis, 'mailer', [slowJob()]);
    const consumer = rig.consumer({
      services: ['checkout', 'mailer'],
      exporter: rig.exporter(500),
    });
    rig.receiver.failWith(503);
    await expect(consumer.drain()).rejects.toThrow(/export failed/);
    await addEntries(rig.redis, 'checkout', [slowRequest()]);
    await addEntries(rig.redis, 'mailer', [slowJob(), slowJob()]);

    expect(await consumer.backlog()).toBe(6);

    rig.receiver.recover();
    expect(await consumer.drain()).toBe(6);
    expect(await consumer.backlog()).toBe(0);
  });

  it('counts each exported entry once in its node’s duration histogram, even after a retry', async () => {
    await addEntries(rig.redis, 'checkout', [
      slowRequest({ nodeId: 'web-1' }),
      slowRequest({ nodeId: 'web-1' }),
      slowRequest({ nodeId: 'web-2' }),
    ]);
    await addEntries(rig.redis, 'mailer', [slowJob({ nodeId: 'worker-1' })]);
    const consumer = rig.consumer({
      services: ['checkout', 'mailer'],
      exporter: rig.exporter(500),
    });
    rig.receiver.failWith(503);
    await expect(consumer.drain()).rejects.toThrow(/export failed/);
    expect(rig.histograms.total).toBe(0);
    rig.receiver.recover();
    expect(await consumer.drain()).toBe(4);

    const countByNode: Record<string, number> = {};
    for (const block of rig.histograms.resources(Date.now())) {
      const node = `${block.attributes['service.name']}/${block.attributes['service.instance.id']}`;
      expect(block.metrics.map((m) => m.descriptor.name)).toEqual(['quasar.slow.duration']);
      for (const point of block.metrics[0]!.points) {
        countByNode[node] = (countByNode[node] ?? 0) + ('count' in point ? point.count : 0);
      }
    }
    expect(countByNode).toEqual({
      'checkout/web-1': 2,
      'checkout/web-2': 1,
      'mailer/worker-1': 1,
    });
  });
});
