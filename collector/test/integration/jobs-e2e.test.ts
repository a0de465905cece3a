/**
 * In-process job counts end to end, with real parts only: a real BullMQ Worker instrumented by
 * an SDK agent, the built collector process reading the heartbeats from Redis and exporting
 * OTLP into the real OpenTelemetry Collector, and Prometheus scraping it. The counts and
 * latencies Prometheus returns are the jobs' own, and `increase()` over an agent restart (a
 * counter reset with a new start time) is exactly the jobs processed before and after it.
 */
import { Queue, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import { QuasarAgent } from '@gravito/quasar';
import { startTestOtelcol } from '../../../testing/otelcol';
import type { TestOtelcol } from '../../../testing/otelcol';
import { startPrometheus } from '../../../testing/prometheus';
import type { Prometheus } from '../../../testing/prometheus';
import { startCollectorProcess } from '../../../testing/quasar-collector';
import type { CollectorProcess } from '../../../testing/quasar-collector';
import { bullmqConnection, claimDatabase, eventually } from '../../../testing/redis';
import { describeWithStack } from '../../../testing/stack';

const TIMEOUT_MS = 120_000;
const SERVICE = 'billing';
const QUEUE = 'invoices';
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SELF_SERVICE = 'billing-self';
const SELF_QUEUE = 'invoices-self';
const processed = (outcome: string, service = SERVICE, queue = QUEUE) =>
  `quasar_queue_jobs_processed_total{job="${service}",messaging_system="bullmq",` +
  `messaging_destination_name="${queue}",quasar_job_outcome="${outcome}"}`;

async function processJob(job: Job<{ sleepMs: number; fail: boolean }>) {
  await sleep(job.data.sleepMs);
  if (job.data.fail) throw new Error('failed on purpose');
}

describeWithStack(['otelcol', 'prometheus'])('job counts into a real OTel pipeline', () => {
  let otelcol: TestOtelcol;
  let prometheus: Prometheus;
  let collector: CollectorProcess;
  let url: string;
  let queue: Queue;
  let worker: Worker;
  const agents: QuasarAgent[] = [];
  const closers: Array<() => Promise<unknown>> = [];
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    otelcol = await startTestOtelcol();
    prometheus = await startPrometheus({ scrapeTargets: [otelcol.prometheusEndpoint] });
    url = await claimDatabase();
    collector = await startCollectorProcess({
      redisUrl: url,
      refreshIntervalMs: 500,
      args: ['--export-metrics', 'true', '--export-interval', '2500'],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: otelcol.otlpEndpoint },
    });
    const connection = bullmqConnection(url);
    queue = new Queue(QUEUE, { connection });
    worker = new Worker(QUEUE, processJob, { connection, concurrency: 10 });
  }, TIMEOUT_MS);

  afterAll(async () => {
    process.env = { ...savedEnv };
    for (const agent of agents) await agent.stop();
    for (const close of closers) await close();
    await worker?.close();
    await queue?.close();
    await collector?.stop();
    await prometheus?.stop();
    await otelcol?.stop();
  });

  /** The one sample of `promql` once it equals `expected`. */
  async function until(promql: string, expected: number): Promise<number> {
    let last: number | undefined;
    return eventually(
      async () => {
        const [sample] = await prometheus.query(promql);
        last = sample?.value;
        return last === expected ? last : undefined;
      },
      45_000,
      `${promql} == ${expected} (last ${String(last)})`,
    );
  }

  /** An instant query evaluated at `timeS` (Unix seconds), through the HTTP API. */
  async function queryAt(promql: string, timeS: number): Promise<number> {
    const query = `query=${encodeURIComponent(promql)}&time=${timeS}`;
    const body = (await (await fetch(`${prometheus.url}/api/v1/query?${query}`)).json()) as {
      data: { result: Array<{ value: [number, string] }> };
    };
    const [sample] = body.data.result;
    if (!sample) throw new Error(`no result for ${promql} at ${timeS}`);
    return Number(sample.value[1]);
  }

  /** A new agent of the same node name, counting the worker. */
  async function startAgent(): Promise<QuasarAgent> {
    const agent = new QuasarAgent({
      service: SERVICE,
      name: 'worker-1',
      interval: 500,
      transport: { url },
      logger: silent,
      otel: { enabled: false },
    });
    agents.push(agent);
    agent.instrumentBullMQWorker(worker);
    await agent.start();
    return agent;
  }

  async function run(
    agent: QuasarAgent,
    completed: number,
    failed: number,
    into: Queue = queue,
  ): Promise<void> {
    const before = agent.getJobRecordStats().recorded;
    await into.addBulk([
      ...Array.from({ length: completed }, () => ({
        name: 'render',
        data: { sleepMs: 150, fail: false },
      })),
      ...Array.from({ length: failed }, () => ({
        name: 'render',
        data: { sleepMs: 0, fail: true },
        opts: { attempts: 1 },
      })),
    ]);
    await eventually(
      () => (agent.getJobRecordStats().recorded === before + completed + failed ? true : undefined),
      30_000,
      'the worker to finish the jobs',
    );
  }

  it(
    'gives Prometheus the exact counts and latencies, and the right increase() over a restart',
    async () => {
      const first = await startAgent();
      // The worker's series exist at zero before its first job, so increase() counts it.
      await until(processed('completed'), 0);
      await run(first, 20, 4);
      await until(processed('completed'), 20);
      await until(processed('failed'), 4);
      const selector = `{job="${SERVICE}",messaging_destination_name="${QUEUE}"}`;
      await until(`sum(messaging_process_duration_seconds_count${selector})`, 24);
      await until(`sum(quasar_queue_job_wait_duration_seconds_count${selector})`, 24);
      // 20 of 24 runs slept 150 ms: the median is in the (0.1 s, 0.25 s] bucket (150 ms, not
      // 200, so that a loaded machine's late timers keep the runs inside it).
      const p50 = await queryAt(
        `histogram_quantile(0.5, sum by (le) (messaging_process_duration_seconds_bucket${selector}))`,
        Date.now() / 1000,
      );
      expect(p50).toBeGreaterThan(0.1);
      expect(p50).toBeLessThanOrEqual(0.25);
      const [runSum] = await prometheus.query(
        `sum(messaging_process_duration_seconds_sum${selector})`,
      );
      expect(runSum!.value).toBeGreaterThanOrEqual(20 * 0.15);

      // A restart: a new agent of the same name counts from zero, with a new start time.
      await first.stop();
      const second = await startAgent();
      expect(second.getLastHeartbeat()?.jobs?.[0]?.since).toBeGreaterThan(
        first.getLastHeartbeat()?.jobs?.[0]?.since ?? Infinity,
      );
      await until(processed('completed'), 0);
      await run(second, 10, 2);
      await until(processed('completed'), 10);
      await until(processed('failed'), 2);

      // Evaluated at the last scrape, increase() has nothing to extrapolate: it is exact.
      const [last] = await prometheus.query(`timestamp(${processed('completed')})`);
      const at = last!.value;
      expect(await queryAt(`increase(${processed('completed')}[10m])`, at)).toBeCloseTo(30, 6);
      expect(await queryAt(`increase(${processed('failed')}[10m])`, at)).toBeCloseTo(6, 6);
      expect(
        await queryAt(
          `sum(increase(messaging_process_duration_seconds_count${selector}[10m]))`,
          at,
        ),
      ).toBeCloseTo(36, 6);

      const names = await prometheus.metricNames();
      expect(names).toEqual(
        expect.arrayContaining([
          'quasar_queue_jobs_processed_total',
          'messaging_process_duration_seconds_bucket',
          'messaging_process_duration_seconds_count',
          'messaging_process_duration_seconds_sum',
          'quasar_queue_job_wait_duration_seconds_bucket',
          'quasar_queue_job_wait_duration_seconds_count',
          'quasar_queue_job_wait_duration_seconds_sum',
        ]),
      );
    },
    TIMEOUT_MS,
  );
  it(
    'exports the same series from a node that exports its own metrics as from the bridge',
    async () => {
      process.env.OTEL_EXPORTER_OTLP_ENDPOINT = otelcol.otlpEndpoint;
      const connection = bullmqConnection(url);
      const selfQueue = new Queue(SELF_QUEUE, { connection });
      const selfWorker = new Worker(SELF_QUEUE, processJob, { connection, concurrency: 10 });
      closers.push(
        () => selfWorker.close(),
        () => selfQueue.close(),
      );
      const agent = new QuasarAgent({
        service: SELF_SERVICE,
        name: 'worker-1',
        interval: 500,
        transport: { url },
        logger: silent,
        otel: { exportOtlp: true },
      });
      agents.push(agent);
      agent.instrumentBullMQWorker(selfWorker);
      await agent.start();
      expect(agent.getLastHeartbeat()?.otel?.selfExport).toBe(true);
      await until(processed('completed', SELF_SERVICE, SELF_QUEUE), 0);
      await run(agent, 20, 4, selfQueue);
      await until(processed('completed', SELF_SERVICE, SELF_QUEUE), 20);
      await until(processed('failed', SELF_SERVICE, SELF_QUEUE), 4);
      const self = `{job="${SELF_SERVICE}",messaging_destination_name="${SELF_QUEUE}"}`;
      await until(`sum(messaging_process_duration_seconds_count${self})`, 24);
      await until(`sum(quasar_queue_job_wait_duration_seconds_count${self})`, 24);

      // Same label names and the same buckets, whichever side exported the node.
      const bridged = `{job="${SERVICE}",messaging_destination_name="${QUEUE}"}`;
      for (const name of [
        'quasar_queue_jobs_processed_total',
        'messaging_process_duration_seconds_bucket',
        'quasar_queue_job_wait_duration_seconds_bucket',
      ]) {
        const shape = async (selector: string) => {
          const series = await prometheus.query(`${name}${selector}`);
          const labels = new Set(series.flatMap((s) => Object.keys(s.metric)));
          const le = new Set(series.map((s) => s.metric.le ?? ''));
          return { labels: [...labels].sort(), le: [...le].sort() };
        };
        expect({ name, ...(await shape(self)) }).toEqual({ name, ...(await shape(bridged)) });
      }
    },
    TIMEOUT_MS,
  );
});
