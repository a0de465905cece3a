/**
 * Queue counters from the source to Prometheus, with real parts only: a BullMQ producer and
 * worker completing and failing a known number of jobs within one minute of the events stream's
 * clock (after two in the minute before), an SDK agent probing the queue, the built collector process adding the agent's closed
 * periods into counters and exporting OTLP into the real OpenTelemetry Collector, and
 * Prometheus scraping it. The counters equal the jobs actually added, completed and failed, and
 * the run-time histogram (every job the finished sets kept, so not sampled) puts the median in
 * the bucket of the jobs' known run time.
 */
import Redis from 'ioredis';
import { Queue, Worker } from 'bullmq';
import { QuasarAgent } from '@gravito/quasar';
import { startTestOtelcol } from '../../../testing/otelcol';
import type { TestOtelcol } from '../../../testing/otelcol';
import { startPrometheus } from '../../../testing/prometheus';
import type { Prometheus } from '../../../testing/prometheus';
import { startCollectorProcess } from '../../../testing/quasar-collector';
import type { CollectorProcess } from '../../../testing/quasar-collector';
import { bullmqConnection, claimDatabase, eventually } from '../../../testing/redis';
import { describeWithStack } from '../../../testing/stack';

const TIMEOUT_MS = 330_000;
const SERVICE = 'ledger-svc';
const QUEUE = 'ledger';
const prefix = '{bull}';
const MINUTE_MS = 60_000;
/**
 * Completed jobs run this long: the (1 s, 2.5 s] bucket, with room above for the late timers
 * and slow scripts of a loaded machine.
 */
const RUN_MS = 1_200;
const OK = 10;
const BAD = 4;
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeWithStack(['otelcol', 'prometheus'])('queue counters from real BullMQ jobs', () => {
  let otelcol: TestOtelcol;
  let prometheus: Prometheus;
  let collector: CollectorProcess;
  let url: string;
  let redis: Redis;
  let queue: Queue;
  let worker: Worker;
  let agent: QuasarAgent;

  /** The Redis server's clock, epoch ms: the clock the events stream's ids are made from. */
  const redisNowMs = async () => {
    const [s, us] = await redis.time();
    return Number(s) * 1000 + Math.floor(Number(us) / 1000);
  };

  beforeAll(async () => {
    otelcol = await startTestOtelcol();
    prometheus = await startPrometheus({ scrapeTargets: [otelcol.prometheusEndpoint] });
    url = await claimDatabase();
    redis = new Redis(url);
    collector = await startCollectorProcess({
      redisUrl: url,
      refreshIntervalMs: 250,
      args: ['--export-metrics', 'true', '--export-interval', '1500'],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: otelcol.otlpEndpoint },
    });
  }, TIMEOUT_MS);

  afterAll(async () => {
    await agent?.stop();
    await worker?.close();
    await queue?.close();
    await redis?.quit();
    await collector?.stop();
    await prometheus?.stop();
    await otelcol?.stop();
  });

  /** The one sample of `promql` once it equals `expected`. */
  async function until(promql: string, expected: number, timeoutMs: number): Promise<number> {
    let last: number | undefined;
    return eventually(
      async () => {
        const [sample] = await prometheus.query(promql);
        last = sample?.value;
        return last !== undefined && Math.abs(last - expected) < 1e-9 ? last : undefined;
      },
      timeoutMs,
      `${promql} == ${expected}`,
    ).catch((error: unknown) => {
      // The value last read, not the one when the wait began.
      throw new Error(`${String(error)} (last ${String(last)})`);
    });
  }

  it(
    'counts the jobs added, completed and failed in a closed minute exactly, and their run times',
    async () => {
      // One job completes and one fails in the minute before the measured one: a finished set
      // holding nothing older than a minute could have been trimmed, so the probe samples only
      // minutes with an older job in each set. The agent starts in that minute too, after the stream exists, and
      // counts it whole.
      // Seconds 40 to 50 of a minute, not merely after 40: a test reaching here at second 59
      // would add these jobs and start the agent across the minute's end, and the agent would
      // start counting at the next minute, without them.
      const second = async () => (await redisNowMs()) % MINUTE_MS;
      while ((await second()) < 40_000 || (await second()) >= 50_000) await sleep(500);
      const connection = bullmqConnection(url);
      queue = new Queue(QUEUE, { connection, prefix });
      await queue.add('ok', { ms: RUN_MS });
      await queue.add('bad', {}, { attempts: 1 });
      agent = new QuasarAgent({
        service: SERVICE,
        name: 'ledger-1',
        interval: 1000,
        transport: { url },
        logger: silent,
        otel: { enabled: false },
      });
      agent.monitorQueue(QUEUE, 'bullmq', { prefix });
      await agent.start();
      worker = new Worker(
        QUEUE,
        async (job) => {
          if (job.name === 'bad') throw new Error(`card ${String(job.id)} declined`);
          await sleep((job.data as { ms: number }).ms);
        },
        { connection, prefix, concurrency: 8 },
      );
      await eventually(
        async () =>
          (await queue.getCompletedCount()) === 1 && (await queue.getFailedCount()) === 1
            ? true
            : undefined,
        15_000,
        'the first jobs finished',
      );
      const measured = Math.ceil((await redisNowMs()) / MINUTE_MS) * MINUTE_MS;
      while ((await redisNowMs()) < measured + 500) await sleep(200);
      await queue.addBulk([
        ...Array.from({ length: OK }, () => ({ name: 'ok', data: { ms: RUN_MS } })),
        ...Array.from({ length: BAD }, () => ({ name: 'bad', data: {}, opts: { attempts: 1 } })),
      ]);
      // The failed jobs usually finish first, but nothing orders them: both counts are awaited.
      await eventually(
        async () =>
          (await queue.getCompletedCount()) === OK + 1 && (await queue.getFailedCount()) >= 1 + BAD
            ? true
            : undefined,
        20_000,
        'every job finished',
      );
      expect(await queue.getFailedCount()).toBe(1 + BAD);
      // Still the measured minute: none of its jobs can fall into the next.
      expect(await redisNowMs()).toBeLessThan(measured + MINUTE_MS);

      const selector = `{job="${SERVICE}",quasar_queue_name="${QUEUE}"}`;
      const finished = (outcome: string) =>
        `quasar_queue_jobs_finished_total{job="${SERVICE}",quasar_queue_name="${QUEUE}",quasar_job_outcome="${outcome}"}`;
      // The events minute closes at its end; the sampled one is read 30–60 s after it.
      // Both minutes' counts (the first job's and the measured); the measured minute's run times.
      await until(`quasar_queue_jobs_added_total${selector}`, 2 + OK + BAD, 90_000);
      await until(finished('completed'), 1 + OK, 30_000);
      await until(finished('failed'), 1 + BAD, 30_000);
      const runs = `quasar_queue_run_duration_seconds_count{job="${SERVICE}",quasar_queue_name="${QUEUE}",quasar_queue_sampled="false"}`;
      await until(runs, OK + BAD, 120_000);
      const [p90] = await prometheus.query(
        `histogram_quantile(0.9, sum by (le) (quasar_queue_run_duration_seconds_bucket${selector}))`,
      );
      expect(p90!.value).toBeGreaterThan(1);
      expect(p90!.value).toBeLessThanOrEqual(2.5);
    },
    TIMEOUT_MS,
  );
});
