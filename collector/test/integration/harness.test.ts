import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { startTestOtelcol } from '../../../testing/otelcol';
import type { TestOtelcol } from '../../../testing/otelcol';
import { startOtlpReceiver } from '../../../testing/otlp-receiver';
import type { OtlpReceiver } from '../../../testing/otlp-receiver';
import { startPrometheus } from '../../../testing/prometheus';
import type { Prometheus, PromSample } from '../../../testing/prometheus';
import { eventually } from '../../../testing/redis';
import { describeWithStack } from '../../../testing/stack';

const TIMEOUT_MS = 60_000;
const resource = resourceFromAttributes({
  'service.name': 'harness-svc',
  'service.instance.id': 'harness-1',
  'host.name': 'harness-host',
});

/** Polls Prometheus until `promql` returns at least one sample. */
function samplesOf(prometheus: Prometheus, promql: string): Promise<PromSample[]> {
  return eventually(
    async () => {
      const samples = await prometheus.query(promql);
      return samples.length > 0 ? samples : undefined;
    },
    30_000,
    `Prometheus to return ${promql}`,
  );
}

describeWithStack(['otelcol', 'prometheus'])('integration harness', () => {
  let receiver: OtlpReceiver;
  let otelcol: TestOtelcol;
  let prometheus: Prometheus;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    otelcol = await startTestOtelcol({ logsForwardUrl: receiver.logsUrl });
    prometheus = await startPrometheus({ scrapeTargets: [otelcol.prometheusEndpoint] });
  }, TIMEOUT_MS);

  afterAll(async () => {
    await prometheus?.stop();
    await otelcol?.stop();
    await receiver?.close();
  });

  describe('metrics through the collector into Prometheus', () => {
    let meterProvider: MeterProvider;

    beforeAll(async () => {
      const exporter = new OTLPMetricExporter({ url: `${otelcol.otlpEndpoint}/v1/metrics` });
      meterProvider = new MeterProvider({
        resource,
        readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 })],
      });
      const meter = meterProvider.getMeter('quasar-harness-test');
      meter
        .createObservableGauge('quasar.harness.depth', { description: 'no unit' })
        .addCallback((result) => result.observe(42, { queue: 'default' }));
      meter
        .createObservableGauge('quasar.harness.utilization', { unit: '1' })
        .addCallback((result) => result.observe(0.25));
      meter
        .createObservableGauge('quasar.harness.memory', { unit: 'By' })
        .addCallback((result) => result.observe(1024));
      meter
        .createObservableGauge('quasar.harness.latency', { unit: 's' })
        .addCallback((result) => result.observe(0.5));
      meter.createCounter('quasar.harness.jobs', { unit: '{job}' }).add(3);
      await meterProvider.forceFlush();
    }, TIMEOUT_MS);

    afterAll(async () => {
      await meterProvider?.shutdown();
    });

    it(
      'exposes the gauge with job and instance taken from the resource',
      async () => {
        const [sample, ...rest] = await samplesOf(prometheus, 'quasar_harness_depth');
        expect(rest).toEqual([]);
        expect(sample?.value).toBe(42);
        expect(sample?.metric).toMatchObject({
          job: 'harness-svc',
          instance: 'harness-1',
          queue: 'default',
        });
      },
      TIMEOUT_MS,
    );

    it(
      'keeps the other resource attributes on target_info',
      async () => {
        const [info] = await samplesOf(prometheus, 'target_info{job="harness-svc"}');
        expect(info?.metric).toMatchObject({ instance: 'harness-1', host_name: 'harness-host' });
      },
      TIMEOUT_MS,
    );

    it(
      'names metrics with the unit and type suffixes of the exporter',
      async () => {
        await samplesOf(prometheus, 'quasar_harness_jobs_total');
        const names = await prometheus.metricNames();
        // Dots become underscores; units `1`, `By` and `s` add `_ratio`, `_bytes` and
        // `_seconds`; annotations like `{job}` add nothing; monotonic sums add `_total`.
        expect(names.filter((n) => n.startsWith('quasar_harness_')).sort()).toEqual([
          'quasar_harness_depth',
          'quasar_harness_jobs_total',
          'quasar_harness_latency_seconds',
          'quasar_harness_memory_bytes',
          'quasar_harness_utilization_ratio',
        ]);
      },
      TIMEOUT_MS,
    );
  });

  describe('logs through the collector to an OTLP backend', () => {
    /** Sends one log record through the real SDK and exporter, and waits for the collector. */
    async function emitLog(body: string): Promise<void> {
      const loggerProvider = new LoggerProvider({
        resource,
        processors: [
          new BatchLogRecordProcessor({
            exporter: new OTLPLogExporter({ url: `${otelcol.otlpEndpoint}/v1/logs` }),
          }),
        ],
      });
      loggerProvider.getLogger('quasar-harness-test').emit({
        severityNumber: SeverityNumber.WARN,
        severityText: 'WARN',
        body,
        attributes: { 'quasar.test': 'harness' },
      });
      await loggerProvider.forceFlush();
      await loggerProvider.shutdown();
    }

    it(
      'forwards a log record as OTLP JSON with its resource',
      async () => {
        await emitLog('harness log line');

        const received = await receiver.waitFor(
          (r) => r.logRecords().find((l) => l.record.body?.stringValue === 'harness log line'),
          30_000,
        );
        expect(received.resource).toMatchObject({
          'service.name': 'harness-svc',
          'service.instance.id': 'harness-1',
        });
        expect(received.record.severityNumber).toBe(SeverityNumber.WARN);
        expect(receiver.requests.every((r) => r.contentType.startsWith('application/json'))).toBe(
          true,
        );
      },
      TIMEOUT_MS,
    );

    it(
      'delivers a log record once the backend recovers from an outage',
      async () => {
        receiver.failWith(503);
        const rejectedBefore = receiver.rejected.length;
        await emitLog('log line during outage');
        await receiver.waitFor((r) => r.rejected.length > rejectedBefore, 30_000);
        receiver.recover();

        const received = await receiver.waitFor(
          (r) =>
            r.logRecords().find((l) => l.record.body?.stringValue === 'log line during outage'),
          30_000,
        );
        expect(received.resource).toMatchObject({ 'service.name': 'harness-svc' });
      },
      TIMEOUT_MS,
    );
  });
});
