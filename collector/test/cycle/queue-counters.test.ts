/**
 * The cycle counts the queue snapshots' periods and exports the counters (a real Redis and a
 * local OTLP/HTTP receiver); `--once` counts nothing, since one read cannot tell which periods
 * the previous exporter counted.
 */
import Redis from 'ioredis';
import { QuasarKeys } from '@gravito/quasar/schema';
import type { QueuePeriod } from '@gravito/quasar/schema';
import { COLLECTOR_DEFAULTS } from '../../src/config/options';
import { QuasarCollector } from '../../src/cycle/quasar-collector';
import { MetricBatchExporter } from '../../src/otlp/metric-exporter';
import { renderPrometheus } from '../../src/self/prometheus-text';
import { statsFamilies } from '../../src/self/stats';
import { attributeMap, startOtlpReceiver } from '../../../testing/otlp-receiver';
import type { OtlpAttribute, OtlpReceiver } from '../../../testing/otlp-receiver';
import { claimDatabase, describeWithRedis } from '../../../testing/redis';
import { beat, writeV1 } from '../support/beats';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

interface JsonPoint {
  asInt?: string | number;
  attributes?: OtlpAttribute[];
}
interface JsonBody {
  resourceMetrics: Array<{
    resource: { attributes: OtlpAttribute[] };
    scopeMetrics: Array<{ metrics: Array<{ name: string; sum?: { dataPoints: JsonPoint[] } }> }>;
  }>;
}

describeWithRedis('queue counters in the cycle', () => {
  let receiver: OtlpReceiver;
  let redis: Redis;
  let url: string;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    url = await claimDatabase();
    redis = new Redis(url);
  });

  afterAll(async () => {
    await redis?.quit();
    await receiver?.close();
  });

  const writeQueue = async (periods: QueuePeriod[]) => {
    await writeV1(redis, beat('mailer', 'node-1'));
    await redis.hset(
      QuasarKeys.queues('mailer'),
      'emails',
      JSON.stringify({ name: 'emails', size: { waiting: 0 }, periods, observedAt: Date.now() }),
    );
  };

  const collector = () => {
    const exporter = new MetricBatchExporter('http/json', { url: receiver.metricsUrl });
    const client = new Redis(url);
    const c = new QuasarCollector(
      { ...COLLECTOR_DEFAULTS, forgetAfterMs: 60_000, skipSelfExporting: true, consumerName: 'x' },
      { redis: client, metricExporter: exporter, logger: silent },
    );
    const close = async () => {
      await c.stop();
      await exporter.shutdown();
      await client.quit();
    };
    return { collector: c, close };
  };

  /** The `quasar.queue.jobs.added` values of the last request, by queue. */
  const lastAdded = () => {
    const requests = receiver.requests.filter((r) => r.signal === 'metrics');
    const body = requests[requests.length - 1]!.json as JsonBody;
    const values: Record<string, number> = {};
    for (const rm of body.resourceMetrics) {
      if (attributeMap(rm.resource.attributes)['service.name'] !== 'mailer') continue;
      for (const metric of rm.scopeMetrics.flatMap((s) => s.metrics)) {
        if (metric.name !== 'quasar.queue.jobs.added') continue;
        for (const p of metric.sum!.dataPoints) {
          values[String(attributeMap(p.attributes ?? [])['quasar.queue.name'])] = Number(p.asInt);
        }
      }
    }
    return values;
  };

  it('adds the periods ending after its first read, once each, cycle after cycle', async () => {
    await writeQueue([]);
    const { collector: c, close } = collector();
    try {
      await c.cycle({ forceExport: true, awaitExport: true });
      const t = Date.now();
      const p = (k: number, added: number): QueuePeriod => ({
        startMs: t + k * 10,
        endMs: t + (k + 1) * 10,
        in: added,
        source: 'events',
      });
      await writeQueue([p(0, 3), p(1, 4)]);
      await c.cycle({ forceExport: true, awaitExport: true });
      expect(lastAdded()).toEqual({ emails: 7 });
      await writeQueue([p(1, 4), p(2, 5)]);
      await c.cycle({ forceExport: true, awaitExport: true });
      expect(lastAdded()).toEqual({ emails: 12 });
      const stats = await c.stats();
      expect(stats.queueCounters).toEqual({ queues: 1, counted: 3, evicted: 0, dropped: 0 });
      const text = renderPrometheus(statsFamilies(stats));
      expect(text).toContain('quasar_collector_queue_periods_counted_total 3\n');
      expect(text).toContain('quasar_collector_queue_counters 1\n');
    } finally {
      await close();
    }
  });

  it('exports no counters from --once', async () => {
    const t = Date.now();
    await writeQueue([{ startMs: t - 20, endMs: t - 10, in: 9, source: 'events' }]);
    const { collector: c, close } = collector();
    try {
      const outcome = await c.runOnce();
      expect(outcome.ok).toBe(true);
      expect(lastAdded()).toEqual({});
    } finally {
      await close();
    }
  });
});
