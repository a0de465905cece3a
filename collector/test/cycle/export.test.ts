/**
 * One cycle's metrics go out as one OTLP request holding every node's resource, never one
 * request per node (a real local OTLP/HTTP receiver counts the requests).
 */
import Redis from 'ioredis';
import { QuasarKeys } from '@gravito/quasar/schema';
import { COLLECTOR_DEFAULTS } from '../../src/config/options';
import { QuasarCollector } from '../../src/cycle/quasar-collector';
import { MetricBatchExporter } from '../../src/otlp/metric-exporter';
import { attributeMap, startOtlpReceiver } from '../../../testing/otlp-receiver';
import type { OtlpAttribute, OtlpReceiver } from '../../../testing/otlp-receiver';
import { claimDatabase, describeWithRedis } from '../../../testing/redis';
import { original } from '../support/fixtures';

const NODES = 50;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describeWithRedis('the metrics export of a cycle', () => {
  let receiver: OtlpReceiver;
  let redis: Redis;
  let url: string;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    url = await claimDatabase();
    redis = new Redis(url);
    for (let i = 0; i < NODES; i++) {
      const hb = original('nodeBun', { id: `node-${i}`, service: `svc-${i % 5}` });
      const key = QuasarKeys.node(hb.service, hb.id);
      await redis.set(key, JSON.stringify(hb), 'EX', 30);
      await redis.zadd(QuasarKeys.nodeIndex, hb.timestamp, key);
    }
  });

  afterAll(async () => {
    await redis?.quit();
    await receiver?.close();
  });

  it('sends every node as its own resource in a single request', async () => {
    const exporter = new MetricBatchExporter('http/json', { url: receiver.metricsUrl });
    const client = new Redis(url);
    const collector = new QuasarCollector(
      { ...COLLECTOR_DEFAULTS, forgetAfterMs: 60_000, skipSelfExporting: true, consumerName: 'x' },
      { redis: client, metricExporter: exporter, logger: silent },
    );
    const outcome = await collector.runOnce();
    await collector.stop();
    await exporter.shutdown();
    await client.quit();

    expect(outcome.ok).toBe(true);
    const requests = receiver.requests.filter((r) => r.signal === 'metrics');
    expect(requests).toHaveLength(1);
    const body = requests[0]!.json as {
      resourceMetrics: Array<{ resource: { attributes: OtlpAttribute[] } }>;
    };
    const instances = body.resourceMetrics
      .map((rm) => attributeMap(rm.resource.attributes)['service.instance.id'])
      .filter((id) => id !== undefined);
    expect(new Set(instances).size).toBe(NODES);
  });
});
