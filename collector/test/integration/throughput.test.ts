/**
 * Queue throughput end to end: a real BullMQ producer and worker, an SDK agent probing the
 * queue, the bridge exporting into the real OpenTelemetry Collector, Prometheus scraping it.
 * The gauge arrives as `quasar_queue_throughput_per_min` (the collector's Prometheus exporter
 * spells the unit `{job}/min` as `per_min`), one series per flow, with the values the probe
 * wrote into the service's queue hash.
 */
import Redis from 'ioredis';
import { Queue, Worker } from 'bullmq';
import { QuasarAgent } from '@gravito/quasar';
import { QuasarKeys, parseQueueSnapshot } from '@gravito/quasar/schema';
import type { QueueThroughput } from '@gravito/quasar/schema';
import { QuasarCollector } from '../../src/cycle/quasar-collector';
import { COLLECTOR_DEFAULTS } from '../../src/config/options';
import { LogRecordsExporter } from '../../src/otlp/logs-exporter';
import { MetricBatchExporter } from '../../src/otlp/metric-exporter';
import { startTestOtelcol } from '../../../testing/otelcol';
import type { TestOtelcol } from '../../../testing/otelcol';
import { startPrometheus } from '../../../testing/prometheus';
import type { Prometheus } from '../../../testing/prometheus';
import { bullmqConnection, claimDatabase, eventually } from '../../../testing/redis';
import { describeWithStack } from '../../../testing/stack';

const TIMEOUT_MS = 90_000;
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const quietLogger = { warn: () => undefined, info: () => undefined, error: () => undefined };
const prefix = '{bull}';

describeWithStack(['otelcol', 'prometheus'])('queue throughput into a real OTel pipeline', () => {
  let otelcol: TestOtelcol;
  let prometheus: Prometheus;
  let url: string;
  let redis: Redis;
  let agent: QuasarAgent;
  let queue: Queue;
  let worker: Worker;

  beforeAll(async () => {
    otelcol = await startTestOtelcol();
    prometheus = await startPrometheus({ scrapeTargets: [otelcol.prometheusEndpoint] });
    url = await claimDatabase();
    redis = new Redis(url);
    const connection = bullmqConnection(url);
    queue = new Queue('emails', { connection, prefix });
    worker = new Worker(
      'emails',
      (job) => (job.name === 'bad' ? Promise.reject(new Error('no')) : Promise.resolve('ok')),
      { connection, prefix, concurrency: 4 },
    );
    agent = new QuasarAgent({
      service: 'mailer',
      name: 'mailer-1',
      interval: 1000,
      transport: { url },
      logger: silent,
      otel: { enabled: false },
    });
    agent.monitorQueue('emails', 'bullmq', { prefix });
    await agent.start();
  }, TIMEOUT_MS);

  afterAll(async () => {
    await agent?.stop();
    await worker?.close();
    await queue?.close();
    await redis?.quit();
    await prometheus?.stop();
    await otelcol?.stop();
  });

  it(
    'exports in, out and failed per minute as quasar_queue_throughput_per_min',
    async () => {
      const field = async () => redis.hget(QuasarKeys.queues('mailer'), 'emails');
      const throughputOf = (json: string | null): QueueThroughput | undefined => {
        const parsed = json === null ? undefined : parseQueueSnapshot(json);
        return parsed?.ok ? parsed.value.throughput : undefined;
      };
      // Jobs keep arriving until a window the agent wrote holds all three flows.
      const written = await eventually(
        async () => {
          await queue.addBulk([
            { name: 'ok', data: {} },
            { name: 'ok', data: {} },
            { name: 'bad', data: {}, opts: { attempts: 1 } },
          ]);
          const t = throughputOf(await field());
          return t && (t.in ?? 0) > 0 && t.out > 0 && (t.failed ?? 0) > 0 ? true : undefined;
        },
        30_000,
        'a window with jobs added, finished and failed',
      );
      expect(written).toBe(true);

      // One export, of a snapshot the agent did not replace while the bridge read it.
      const exported = await eventually(
        async () => {
          const before = await field();
          const connections = [new Redis(url), new Redis(url)] as const;
          const metricExporter = new MetricBatchExporter('http/protobuf', {
            url: `${otelcol.otlpEndpoint}/v1/metrics`,
          });
          const logExporter = new LogRecordsExporter('http/protobuf', {
            url: `${otelcol.otlpEndpoint}/v1/logs`,
          });
          const collector = new QuasarCollector(
            {
              ...COLLECTOR_DEFAULTS,
              forgetAfterMs: 60_000,
              skipSelfExporting: true,
              consumerName: 'it-throughput',
            },
            {
              redis: connections[0],
              blockingRedis: connections[1],
              metricExporter,
              logExporter,
              logger: quietLogger,
            },
          );
          const outcome = await collector.runOnce();
          await collector.stop();
          await Promise.all([metricExporter.shutdown(), logExporter.shutdown()]);
          await Promise.all(connections.map((c) => c.quit()));
          expect(outcome).toMatchObject({ ok: true });
          return before === (await field()) ? throughputOf(before) : undefined;
        },
        30_000,
        'an export between two agent writes',
      );

      for (const flow of ['in', 'out', 'failed'] as const) {
        const promql = `quasar_queue_throughput_per_min{job="mailer",quasar_queue_name="emails",quasar_queue_flow="${flow}"}`;
        const expected = exported?.[flow];
        // Later exports of the same series may follow; this one's value must be among them.
        const found = await eventually(
          async () => {
            const samples = await prometheus.query(promql);
            return samples.some((s) => Math.abs(s.value - (expected ?? NaN)) < 1e-9)
              ? samples
              : undefined;
          },
          45_000,
          `Prometheus to return ${promql} = ${expected}`,
        );
        expect(found[0]!.metric).toMatchObject({
          __name__: 'quasar_queue_throughput_per_min',
          job: 'mailer',
          quasar_queue_name: 'emails',
          quasar_queue_flow: flow,
        });
      }
    },
    TIMEOUT_MS,
  );
});
