/**
 * End to end against the real thing: SDK agents and the original agents' payloads in a real
 * Redis, the bridge exporting into the real OpenTelemetry Collector (built from Go modules),
 * Prometheus scraping the collector, and slow-log entries arriving as OTLP log records. Both
 * hand-written encoders (metrics and logs, protobuf and JSON) are proven here against the real
 * collector's decoder.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import { QuasarAgent } from '@gravito/quasar';
import type { Heartbeat } from '@gravito/quasar/schema';
import { QuasarKeys } from '@gravito/quasar/schema';
import { QuasarCollector } from '../../src/cycle/quasar-collector';
import { COLLECTOR_DEFAULTS } from '../../src/config/options';
import { LogRecordsExporter } from '../../src/otlp/logs-exporter';
import { MetricBatchExporter } from '../../src/otlp/metric-exporter';
import { startTestOtelcol } from '../../../testing/otelcol';
import type { TestOtelcol } from '../../../testing/otelcol';
import { anyValue, attributeMap, startOtlpReceiver } from '../../../testing/otlp-receiver';
import type { OtlpReceiver, ReceivedLogRecord } from '../../../testing/otlp-receiver';

const bodyOf = (r: ReceivedLogRecord) => String(anyValue(r.record.body));
import { startPrometheus } from '../../../testing/prometheus';
import type { PromSample, Prometheus } from '../../../testing/prometheus';
import { claimDatabase, eventually } from '../../../testing/redis';
import { describeWithStack } from '../../../testing/stack';
import { original } from '../support/fixtures';

const TIMEOUT_MS = 90_000;
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const quietLogger = { warn: () => undefined, info: () => undefined, error: () => undefined };

/** A collector with its own connections and exporters, and a way to release all of them. */
function bridge(
  url: string,
  consumerName: string,
  metricExporter: MetricBatchExporter,
  logExporter: LogRecordExporter,
) {
  const redis = new Redis(url);
  const blockingRedis = new Redis(url);
  const collector = new QuasarCollector(settings(consumerName), {
    redis,
    blockingRedis,
    metricExporter,
    logExporter,
    logger: quietLogger,
  });
  const dispose = async () => {
    await collector.stop();
    await Promise.all([metricExporter.shutdown(), logExporter.shutdown()]);
    await Promise.all([redis.quit(), blockingRedis.quit()]);
  };
  return { collector, dispose };
}

function settings(consumerName: string) {
  return {
    ...COLLECTOR_DEFAULTS,
    forgetAfterMs: 60_000,
    skipSelfExporting: true,
    consumerName,
  };
}

async function samples(prometheus: Prometheus, promql: string, count = 1): Promise<PromSample[]> {
  return eventually(
    async () => {
      const found = await prometheus.query(promql);
      return found.length >= count ? found : undefined;
    },
    45_000,
    `Prometheus to return ${promql}`,
  );
}

async function value(prometheus: Prometheus, promql: string): Promise<number> {
  const [sample] = await samples(prometheus, promql);
  return sample!.value;
}

/** The PromQL of every panel of the Grafana plugin's bundled dashboard. */
function dashboardExpressions(): string[] {
  const file = join(
    __dirname,
    '..',
    '..',
    '..',
    'grafana-plugin',
    'src',
    'dashboards',
    'overview.json',
  );
  const dashboard = JSON.parse(readFileSync(file, 'utf8')) as {
    panels: Array<{ targets?: Array<{ expr?: string }> }>;
  };
  return dashboard.panels.flatMap((p) =>
    (p.targets ?? []).flatMap((t) => (t.expr ? [t.expr] : [])),
  );
}

describeWithStack(['otelcol', 'prometheus'])('the bridge into a real OTel pipeline', () => {
  let receiver: OtlpReceiver;
  let otelcol: TestOtelcol;
  let prometheus: Prometheus;
  let url: string;
  let redis: Redis;
  const agents: QuasarAgent[] = [];
  const beats: Record<string, Heartbeat> = {};
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    otelcol = await startTestOtelcol({ logsForwardUrl: receiver.logsUrl });
    prometheus = await startPrometheus({ scrapeTargets: [otelcol.prometheusEndpoint] });
    url = await claimDatabase();
    redis = new Redis(url);

    // Two services with real SDK agents; a third agent exports its own OTel metrics.
    for (const [service, name] of [
      ['checkout-api', 'api-1'],
      ['mailer', 'mailer-1'],
    ] as const) {
      const agent = new QuasarAgent({
        service,
        name,
        interval: 1000,
        transport: { url },
        logger: silent,
        otel: { enabled: false },
      });
      agents.push(agent);
      await agent.start();
    }
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = otelcol.otlpEndpoint;
    process.env.OTEL_METRIC_EXPORT_INTERVAL = '1000';
    const selfExporting = new QuasarAgent({
      service: 'self-exporter',
      name: 'self-1',
      interval: 500,
      transport: { url },
      logger: silent,
      otel: { exportOtlp: true },
    });
    agents.push(selfExporting);
    await selfExporting.start();

    // The original agents never write the index; their keys are found by SCAN.
    for (const which of ['goLaravel', 'nodeBun'] as const) {
      const hb = original(which);
      beats[which] = hb;
      await redis.set(QuasarKeys.node(hb.service, hb.id), JSON.stringify(hb), 'EX', 30);
    }
  }, TIMEOUT_MS);

  afterAll(async () => {
    process.env = { ...savedEnv };
    for (const agent of agents) await agent.stop();
    await redis?.quit();
    await prometheus?.stop();
    await otelcol?.stop();
    await receiver?.close();
  });

  it(
    'exports every node as its own resource, slow entries as log records, in one --once cycle',
    async () => {
      const [api, mailer] = agents;
      // The agents beat every second, while the collector reads and exports too: each beat api
      // builds until the export is done may be the one exported (it is told by its memory
      // reading below), not only the last one built when the test looks.
      const apiBeats = new Map<number, Heartbeat>();
      const recordBeat = () => {
        const beat = api!.getLastHeartbeat();
        if (beat) apiBeats.set(beat.timestamp, beat);
      };
      recordBeat();
      const recording = setInterval(recordBeat, 20);
      recording.unref();
      // Wait for a beat with event-loop readings, so the table is complete.
      await eventually(
        () => (api!.getLastHeartbeat()?.eventLoop ? true : undefined),
        10_000,
        'beat',
      );
      expect(
        api!.recordSlow({
          kind: 'request',
          name: 'GET /orders/:id',
          durationMs: 1834,
          method: 'GET',
          route: '/orders/:id',
          status: 200,
        }),
      ).toBe(true);
      expect(
        mailer!.recordSlow({ kind: 'job', name: 'SendWelcome', durationMs: 7200, queue: 'emails' }),
      ).toBe(true);
      // Each agent writes its own entry: both are in Redis before the cycle that exports them.
      await eventually(
        async () =>
          (await redis.xlen(QuasarKeys.slowLog('mailer'))) > 0 &&
          (await redis.xlen(QuasarKeys.slowLog('checkout-api'))) > 0
            ? true
            : undefined,
        15_000,
        'the slow entries in Redis',
      );
      // The mailer's workers ran jobs (in-process counts), and its queue's probe measured
      // throughput (a current agent's snapshot in the service's queue hash): the dashboard's
      // rate, ratio and percentile panels read these series.
      expect(
        mailer!.recordJob({ queue: 'emails', outcome: 'completed', waitMs: 40, runMs: 180 }),
      ).toBe(true);
      expect(
        mailer!.recordJob({ queue: 'emails', outcome: 'failed', waitMs: 60, runMs: 900 }),
      ).toBe(true);
      await eventually(
        () => (mailer!.getLastHeartbeat()?.jobs?.length ? true : undefined),
        10_000,
        'a beat with the job counts',
      );
      await redis.hset(
        QuasarKeys.queues('mailer'),
        'emails',
        JSON.stringify({
          name: 'emails',
          driver: 'bullmq',
          size: { waiting: 3, active: 1, failed: 1, delayed: 0 },
          throughput: { in: 12, out: 10, failed: 1, source: 'events', windowMs: 10_000 },
          observedAt: Date.now(),
        }),
      );

      const { collector, dispose } = bridge(
        url,
        'it-protobuf',
        new MetricBatchExporter('http/protobuf', { url: `${otelcol.otlpEndpoint}/v1/metrics` }),
        new LogRecordsExporter('http/protobuf', { url: `${otelcol.otlpEndpoint}/v1/logs` }),
      );
      const outcome = await collector.runOnce();
      clearInterval(recording);
      recordBeat();
      await dispose();
      expect(outcome).toMatchObject({ ok: true, nodes: 5, slowExported: 2 });

      // SDK-agent nodes, identified by job (service.name) and instance (service.instance.id).
      const apiSel = `job="checkout-api",instance="${api!.getNodeId()}"`;
      // The beat exported: one of those api built meanwhile, whose memory, CPU and RSS readings
      // are all the exported ones (two beats may share one reading, as their system memory).
      const used = await value(
        prometheus,
        `system_memory_usage_bytes{${apiSel},system_memory_state="used"}`,
      );
      const cpu = await value(prometheus, `system_cpu_utilization_ratio{${apiSel}}`);
      const rss = await value(prometheus, `process_memory_usage_bytes{${apiSel}}`);
      const micro = (ratio: number) => Math.round(ratio * 1e6);
      const readings = (b: Heartbeat) => [
        b.memory.system.used,
        micro(b.cpu.system / 100),
        b.memory.process.rss,
      ];
      expect([...apiBeats.values()].map(readings)).toContainEqual([used, micro(cpu), rss]);
      const hb = [...apiBeats.values()].find(
        (b) => JSON.stringify(readings(b)) === JSON.stringify([used, micro(cpu), rss]),
      )!;
      expect(hb.id).toBe(api!.getNodeId());
      expect(await value(prometheus, `quasar_node_up{${apiSel}}`)).toBe(1);
      const mailerId = mailer!.getNodeId();
      expect(await value(prometheus, `quasar_node_up{job="mailer",instance="${mailerId}"}`)).toBe(
        1,
      );

      // The Go agent: "free" is its available memory; runtime.status as a state set.
      const go = beats.goLaravel!;
      const goSel = `job="my-laravel-app",instance="${go.id}"`;
      expect(
        await value(prometheus, `system_memory_usage_bytes{${goSel},system_memory_state="free"}`),
      ).toBe(go.memory.system.free);
      expect(await value(prometheus, `system_memory_limit_bytes{${goSel}}`)).toBe(
        go.memory.system.total,
      );
      expect(await value(prometheus, `system_cpu_utilization_ratio{${goSel}}`)).toBeCloseTo(
        go.cpu.system / 100,
        6,
      );
      expect(
        await value(prometheus, `quasar_node_status{${goSel},quasar_node_status="online"}`),
      ).toBe(1);
      // No V8 heap for a Go process.
      expect(await prometheus.query(`v8js_memory_heap_used_bytes{${goSel}}`)).toEqual([]);

      // Bun, through the Node SDK 1.0 payload.
      const bun = beats.nodeBun!;
      const bunSel = `job="worker-orders",instance="${bun.id}"`;
      expect(await value(prometheus, `process_memory_usage_bytes{${bunSel}}`)).toBe(
        bun.memory.process.rss,
      );

      // Resource attributes land on target_info.
      const [info] = await samples(prometheus, `target_info{${goSel}}`);
      expect(info!.metric).toMatchObject({
        host_name: go.hostname,
        process_pid: String(go.pid),
        process_runtime_name: 'go',
        process_runtime_version: go.version,
        os_type: 'linux',
      });

      // Queue depth per service, once, with bounded attributes.
      const waiting = await samples(
        prometheus,
        `quasar_queue_jobs{job="my-laravel-app",quasar_queue_name="default",quasar_queue_state="waiting"}`,
      );
      expect(waiting).toHaveLength(1);
      expect(waiting[0]!.value).toBe(5);
      expect(waiting[0]!.metric.quasar_queue_driver).toBe('redis');

      // The slow durations as a histogram on the node's resource.
      expect(
        await value(
          prometheus,
          `quasar_slow_duration_seconds_count{job="mailer",instance="${mailerId}",quasar_slow_kind="job"}`,
        ),
      ).toBe(1);

      // The Grafana plugin's bundled dashboard queries these same series: each of its PromQL
      // expressions is valid, and every metric it names exists in this Prometheus.
      const exprs = dashboardExpressions();
      expect(exprs.length).toBeGreaterThan(0);
      const names = new Set(await prometheus.metricNames());
      const checked = new Set<string>();
      for (const expr of exprs) {
        const promql = expr.replace(/\$__rate_interval/g, '1m').replace(/\$service/g, '.*');
        await prometheus.query(promql);
        // Label names appear only in `by (…)` clauses; what is left are metric names.
        const withoutGrouping = promql.replace(/\bby\s*\([^)]*\)/g, '');
        for (const metric of withoutGrouping.match(
          /\b(?:quasar|system|process|messaging)_[a-z_]+(?=\s*[{)])/g,
        ) ?? []) {
          expect([metric, names.has(metric)]).toEqual([metric, true]);
          checked.add(metric);
        }
      }

      expect([...checked].sort()).toEqual([
        'messaging_process_duration_seconds_bucket',
        'process_memory_usage_bytes',
        'quasar_node_up',
        'quasar_queue_job_wait_duration_seconds_bucket',
        'quasar_queue_jobs',
        'quasar_queue_jobs_processed_total',
        'quasar_queue_throughput_per_min',
        'quasar_slow_duration_seconds_count',
        'system_cpu_utilization_ratio',
      ]);
      // The throughput panel's series holds what the probe measured.
      expect(
        await value(
          prometheus,
          'quasar_queue_throughput_per_min{job="mailer",quasar_queue_name="emails",quasar_queue_flow="in"}',
        ),
      ).toBe(12);
      expect(
        await value(
          prometheus,
          `quasar_queue_jobs_processed_total{job="mailer",instance="${mailerId}",messaging_destination_name="emails",quasar_job_outcome="failed"}`,
        ),
      ).toBe(1);

      // Slow-log entries reached the collector as log records with their node's resource.
      const records = await receiver.waitFor(() => {
        const found = receiver.logRecords().filter((r) => bodyOf(r).startsWith('Slow '));
        return found.length >= 2 ? found : undefined;
      }, 20_000);
      const request = records.find((r) => bodyOf(r).includes('GET /orders/:id'))!;
      expect(request.resource).toMatchObject({
        'service.name': 'checkout-api',
        'service.instance.id': hb.id,
        'host.name': hb.hostname,
      });
      expect(attributeMap(request.record.attributes)).toMatchObject({
        'quasar.slow.kind': 'request',
        'quasar.slow.duration_ms': 1834,
        'http.route': '/orders/:id',
        'http.response.status_code': 200,
      });
      expect(request.record.severityText).toBe('WARN');

      // Exported entries were acknowledged: nothing stays pending in the group.
      const pending = (await redis.xpending(QuasarKeys.slowLog('mailer'), 'quasar-collector')) as [
        number,
      ];
      expect(pending[0]).toBe(0);
    },
    TIMEOUT_MS,
  );

  it(
    'exports nodes the same way an SDK that exports itself does, and never twice',
    async () => {
      const self = agents[2]!;
      const selfSel = `job="self-exporter",instance="${self.getNodeId()}"`;
      const namesOf = async (selector: string) => {
        const found = await prometheus.query(`{${selector}}`);
        return new Set(
          found
            .map((s) => s.metric.__name__!)
            .filter((n) => !n.startsWith('quasar_node_') && n !== 'target_info'),
        );
      };
      const selfNames = await eventually(
        async () => {
          const names = await namesOf(selfSel);
          return names.has('nodejs_eventloop_delay_p99_seconds') ? names : undefined;
        },
        45_000,
        'the self-exporting node in Prometheus',
      );
      const api = agents[0]!;
      const bridged = await namesOf(`job="checkout-api",instance="${api.getNodeId()}"`);
      bridged.delete('quasar_slow_duration_seconds_bucket');
      bridged.delete('quasar_slow_duration_seconds_count');
      bridged.delete('quasar_slow_duration_seconds_sum');
      expect([...bridged].sort()).toEqual([...selfNames].sort());

      // The bridge skipped the self-exporting node's table metrics: one series per name, not two.
      const cpu = await prometheus.query(`system_cpu_utilization_ratio{${selfSel}}`);
      expect(cpu).toHaveLength(1);
      expect(cpu[0]!.metric.otel_scope_name).toBe('@gravito/quasar');
      const bridgedCpu = await prometheus.query(
        `system_cpu_utilization_ratio{job="checkout-api",instance="${api.getNodeId()}"}`,
      );
      expect(bridgedCpu[0]!.metric.otel_scope_name).toBe('@gravito/quasar');
    },
    TIMEOUT_MS,
  );

  it(
    'round-trips the http/json encoding through the collector too',
    async () => {
      const hb = original('nodeBun', { id: 'json-node-1', service: 'json-svc' });
      await redis.set(QuasarKeys.node(hb.service, hb.id), JSON.stringify(hb), 'EX', 30);
      await redis.xadd(
        QuasarKeys.slowLog('json-svc'),
        '*',
        'kind',
        'job',
        'name',
        'Reindex',
        'durationMs',
        '9000',
        'thresholdMs',
        '5000',
        'nodeId',
        'json-node-1',
        'timestamp',
        String(Date.now()),
      );
      const { collector, dispose } = bridge(
        url,
        'it-json',
        new MetricBatchExporter('http/json', { url: `${otelcol.otlpEndpoint}/v1/metrics` }),
        new LogRecordsExporter('http/json', { url: `${otelcol.otlpEndpoint}/v1/logs` }),
      );
      const outcome = await collector.runOnce();
      await dispose();
      expect(outcome.ok).toBe(true);
      expect(
        await value(
          prometheus,
          `process_memory_usage_bytes{job="json-svc",instance="json-node-1"}`,
        ),
      ).toBe(hb.memory.process.rss);
      const record = await receiver.waitFor(
        () => receiver.logRecords().find((r) => bodyOf(r).includes('Reindex')),
        20_000,
      );
      expect(record.resource['service.instance.id']).toBe('json-node-1');
    },
    TIMEOUT_MS,
  );
});
