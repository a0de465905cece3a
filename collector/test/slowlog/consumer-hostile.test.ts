/**
 * The slow-log consumer against what a broken or hostile agent can write to its stream (any
 * agent may XADD there): oversized ids, impossible numbers, floods of distinct nodes and routes,
 * and keys that stop being streams. Each case reached the collector's exports before.
 */
import { QuasarKeys } from '@gravito/quasar/schema';
import { encodeMetricsJson, encodeMetricsProtobuf } from '../../src/otlp/encode';
import type { HistogramPoint, ResourceBlock } from '../../src/otlp/metric-batch';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';
import {
  ConsumerRig,
  addEntries,
  addFields,
  appendEntries,
  fieldsWith,
  pendingCount,
  slowJob,
  slowRequest,
} from './consumer-fixture';

const OVERFLOW = 'otel.metric.overflow';

/** Every point of the histograms, with its resource. */
function pointsOf(blocks: readonly ResourceBlock[]) {
  return blocks.flatMap((block) =>
    block.metrics[0]!.points.map((point) => ({
      resource: block.attributes,
      point: point as HistogramPoint,
    })),
  );
}

const countOf = (points: ReturnType<typeof pointsOf>) =>
  points.reduce((sum, { point }) => sum + point.count, 0);

describeWithRedis('SlowLogConsumer against hostile entries', () => {
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

  it('acknowledges a 5 MB node id as malformed: no log record, no resource, no series', async () => {
    const huge = 'n'.repeat(5 * 1024 * 1024);
    const [good] = await addEntries(rig.redis, 'checkout', [slowRequest()]);
    await addFields(rig.redis, 'checkout', fieldsWith(slowRequest(), { nodeId: huge }));
    const consumer = rig.consumer({ services: ['checkout'] });

    expect(await consumer.drain()).toBe(1);

    expect(rig.exportedKeys()).toEqual([good]);
    expect(consumer.counts).toMatchObject({ exported: 1, malformed: 1 });
    const resources = rig.histograms.resources(Date.now()).map((b) => b.attributes);
    expect(resources).toEqual([{ 'service.name': 'checkout', 'service.instance.id': 'web-1' }]);
    const largest = Math.max(...rig.receiver.requests.map((r) => r.body.length));
    expect(largest).toBeLessThan(64 * 1024);
    expect(await pendingCount(rig.redis, 'checkout')).toBe(0);
  });

  it('acknowledges negative, infinite and out-of-range numbers as malformed, never counting them', async () => {
    const [good] = await addEntries(rig.redis, 'checkout', [slowRequest({ durationMs: 1500 })]);
    for (const change of [
      { durationMs: '-5000' },
      { durationMs: 'Infinity' },
      { thresholdMs: '-1' },
      { timestamp: '-1' },
      { timestamp: '1e300' },
    ]) {
      await addFields(rig.redis, 'checkout', fieldsWith(slowRequest(), change));
    }
    const consumer = rig.consumer({ services: ['checkout'] });

    expect(await consumer.drain()).toBe(1);

    expect(rig.exportedKeys()).toEqual([good]);
    expect(consumer.counts).toMatchObject({ exported: 1, malformed: 5 });
    const [only] = pointsOf(rig.histograms.resources(Date.now()));
    expect(only!.point).toMatchObject({ count: 1, sum: 1.5, min: 1.5 });
    expect(await pendingCount(rig.redis, 'checkout')).toBe(0);
  });

  it('bounds the resources and the request of 20,000 entries from 20,000 unknown nodes and routes, keeping every count', async () => {
    const total = 20_000;
    await appendEntries(
      rig.redis,
      'checkout',
      Array.from({ length: total }, (_, i) =>
        slowRequest({ nodeId: `ghost-${i}`, route: `/r/${i}`, name: `GET /r/${i}` }),
      ),
    );
    const consumer = rig.consumer({ services: ['checkout'], batchSize: 1000 });

    expect(await consumer.drain()).toBe(total);

    const blocks = rig.histograms.resources(Date.now());
    // 50 unknown nodes of their own (the default), then the service's overflow resource.
    expect(blocks).toHaveLength(51);
    const points = pointsOf(blocks);
    expect(countOf(points)).toBe(total);
    const overflow = points.filter(({ point }) => point.attributes?.[OVERFLOW] === true);
    expect(overflow).toEqual([
      {
        resource: { 'service.name': 'checkout' },
        point: expect.objectContaining({ count: total - 50, attributes: { [OVERFLOW]: true } }),
      },
    ]);
    expect(rig.histograms.overflows).toEqual({
      series_per_node: 0,
      unknown_nodes: total - 50,
      max_series: 0,
    });
    for (const encode of [encodeMetricsProtobuf, encodeMetricsJson]) {
      expect(encode({ resources: blocks }).length).toBeLessThan(64 * 1024);
    }
    expect(await pendingCount(rig.redis, 'checkout')).toBe(0);
  }, 120_000);

  it('keeps at most 200 series for a node with a heartbeat, counting 20,000 distinct routes exactly', async () => {
    const total = 20_000;
    rig.identities.live.add('checkout/web-1');
    await appendEntries(
      rig.redis,
      'checkout',
      Array.from({ length: total }, (_, i) => slowRequest({ route: `/r/${i}` })),
    );
    const consumer = rig.consumer({ services: ['checkout'], batchSize: 1000 });

    expect(await consumer.drain()).toBe(total);

    const blocks = rig.histograms.resources(Date.now());
    expect(blocks.map((b) => b.attributes)).toEqual([
      { 'service.name': 'checkout', 'service.instance.id': 'web-1' },
    ]);
    const points = pointsOf(blocks);
    expect(points).toHaveLength(201);
    expect(countOf(points)).toBe(total);
    expect(points.at(-1)!.point).toMatchObject({
      count: total - 200,
      attributes: { [OVERFLOW]: true },
    });
    expect(rig.histograms.overflows.series_per_node).toBe(total - 200);
    expect(encodeMetricsJson({ resources: blocks }).length).toBeLessThan(256 * 1024);
  }, 120_000);

  it('exports a batch whole when looking up one node’s resource throws, that node under a bare resource', async () => {
    const ids = await addEntries(rig.redis, 'checkout', [
      slowRequest({ nodeId: 'web-1' }),
      slowRequest({ nodeId: 'cursed' }),
    ]);
    const consumer = rig.consumer({
      services: ['checkout'],
      resourceOf: (service, nodeId) => {
        if (nodeId === 'cursed') throw new Error('no such heartbeat shape');
        return rig.identities.of(service, nodeId);
      },
    });

    expect(await consumer.drain()).toBe(2);

    expect(rig.exportedKeys()).toEqual(ids);
    expect(rig.exported()[1]!.resource).toEqual({
      'service.name': 'checkout',
      'service.instance.id': 'cursed',
    });
    expect(await pendingCount(rig.redis, 'checkout')).toBe(0);
  });

  it('keeps exporting every other service when a stream key is replaced by a string', async () => {
    await addEntries(rig.redis, 'checkout', [slowRequest()]);
    await addEntries(rig.redis, 'mailer', [slowJob()]);
    const consumer = rig.consumer({ services: ['checkout', 'mailer'] });
    consumer.start();
    await rig.receiver.waitFor((r) => r.logRecords().length === 2);

    await rig.redis.del(QuasarKeys.slowLog('mailer'));
    await rig.redis.set(QuasarKeys.slowLog('mailer'), 'not a stream');
    const later = await addEntries(rig.redis, 'checkout', [slowRequest(), slowRequest()]);

    await rig.receiver.waitFor((r) => r.logRecords().length === 4, 10_000);
    expect(rig.exportedKeys().slice(2)).toEqual(later);
    await eventually(
      async () => ((await pendingCount(rig.redis, 'checkout')) === 0 ? true : undefined),
      5000,
      'the entries to be acknowledged',
    );

    // Once it is a stream again, it is read again.
    await rig.redis.del(QuasarKeys.slowLog('mailer'));
    const [back] = await addEntries(rig.redis, 'mailer', [slowJob()]);
    await rig.receiver.waitFor((r) => r.logRecords().length === 5, 15_000);
    expect(rig.exportedKeys().at(-1)).toBe(back);
  }, 30_000);

  it('drains the other services when a stream key is replaced by a hash', async () => {
    await addEntries(rig.redis, 'checkout', [slowRequest()]);
    await addEntries(rig.redis, 'mailer', [slowJob()]);
    const consumer = rig.consumer({ services: ['checkout', 'mailer'] });
    expect(await consumer.drain()).toBe(2);

    await rig.redis.del(QuasarKeys.slowLog('mailer'));
    await rig.redis.hset(QuasarKeys.slowLog('mailer'), 'field', 'value');
    const later = await addEntries(rig.redis, 'checkout', [slowRequest()]);

    expect(await consumer.drain()).toBe(1);
    expect(rig.exportedKeys().slice(2)).toEqual(later);
    expect(await consumer.backlog()).toBe(0);
  });
});
