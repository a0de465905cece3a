/**
 * The slow-duration limits end to end: a collector run with small limits exports the overflow
 * series in its metrics request and counts the overflow in its own `/metrics`.
 */
import Redis from 'ioredis';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { COLLECTOR_DEFAULTS } from '../../src/config/options';
import { QuasarCollector } from '../../src/cycle/quasar-collector';
import { MetricBatchExporter } from '../../src/otlp/metric-exporter';
import { renderPrometheus } from '../../src/self/prometheus-text';
import { statsFamilies } from '../../src/self/stats';
import { attributeMap, startOtlpReceiver } from '../../../testing/otlp-receiver';
import type { OtlpAttribute, OtlpReceiver } from '../../../testing/otlp-receiver';
import { claimDatabase, describeWithRedis } from '../../../testing/redis';
import { parsePrometheus, sampleValue } from '../self/prometheus-parse';
import { appendEntries, consumerNames, slowRequest } from './consumer-fixture';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

interface MetricsBody {
  resourceMetrics: Array<{
    resource: { attributes: OtlpAttribute[] };
    scopeMetrics: Array<{
      metrics: Array<{
        name: string;
        histogram?: { dataPoints: Array<{ count: string; attributes?: OtlpAttribute[] }> };
      }>;
    }>;
  }>;
}

describeWithRedis('the slow-duration limits of a collector run', () => {
  let receiver: OtlpReceiver;
  let url: string;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    url = await claimDatabase();
  });

  afterAll(async () => {
    await receiver?.close();
  });

  it('exports the overflow series and counts the overflow in /metrics', async () => {
    const redis = new Redis(url);
    const blockingRedis = new Redis(url);
    await appendEntries(
      redis,
      'checkout',
      Array.from({ length: 5 }, (_, i) => slowRequest({ nodeId: `ghost-${i}` })),
    );
    const metricExporter = new MetricBatchExporter('http/json', { url: receiver.metricsUrl });
    const logExporter = new OTLPLogExporter({ url: receiver.logsUrl });
    const limited = new QuasarCollector(
      {
        ...COLLECTOR_DEFAULTS,
        slowUnknownNodes: 2,
        forgetAfterMs: 60_000,
        skipSelfExporting: true,
        consumerName: 'collector-1',
      },
      { redis, blockingRedis, metricExporter, logExporter, logger: silent },
    );
    try {
      const outcome = await limited.runOnce();
      expect(outcome).toMatchObject({ ok: true, slowExported: 5 });

      const text = renderPrometheus(statsFamilies(await limited.stats()));
      const samples = parsePrometheus(text);
      const overflow = (limit: string) =>
        sampleValue(samples, 'quasar_collector_slowlog_overflow_total', { limit });
      expect(overflow('unknown_nodes')).toBe(3);
      expect(overflow('series_per_node')).toBe(0);
      expect(overflow('max_series')).toBe(0);
      expect(sampleValue(samples, 'quasar_collector_slowlog_series')).toBe(3);

      const [request] = receiver.requests.filter((r) => r.signal === 'metrics');
      const slow = (request!.json as MetricsBody).resourceMetrics.flatMap((rm) =>
        rm.scopeMetrics
          .flatMap((sm) => sm.metrics)
          .filter((m) => m.name === 'quasar.slow.duration')
          .flatMap((m) => m.histogram!.dataPoints)
          .map((p) => ({
            resource: attributeMap(rm.resource.attributes),
            attributes: attributeMap(p.attributes),
            count: Number(p.count),
          })),
      );
      expect(slow).toHaveLength(3);
      expect(slow.at(-1)).toEqual({
        resource: expect.objectContaining({ 'service.name': 'checkout' }),
        attributes: { 'otel.metric.overflow': true },
        count: 3,
      });
      expect(slow.at(-1)!.resource['service.instance.id']).toBeUndefined();

      await limited.stop();
      expect(await consumerNames(redis, 'checkout')).toEqual([]);
    } finally {
      await limited.stop();
      await metricExporter.shutdown();
      await logExporter.shutdown();
      await Promise.all([redis.quit(), blockingRedis.quit()]);
    }
  });
});
