/**
 * Queue counters end to end, with real parts only: snapshots with closed periods written into
 * the service's queue hash by two "nodes" in turn (each listing the last few periods, one of
 * them a period behind, one write skipped), the built collector process adding each period
 * once and exporting OTLP into the real OpenTelemetry Collector, and Prometheus scraping it.
 * The counters equal the exact sums of the periods, and `increase()` over a collector restart
 * (a reset with a new start time) is exactly the periods written before and after it.
 */
import Redis from 'ioredis';
import { JOB_DURATION_BOUNDS_MS, QuasarKeys } from '@gravito/quasar/schema';
import type { QueuePeriod } from '@gravito/quasar/schema';
import { startTestOtelcol } from '../../../testing/otelcol';
import type { TestOtelcol } from '../../../testing/otelcol';
import { startPrometheus } from '../../../testing/prometheus';
import type { Prometheus } from '../../../testing/prometheus';
import { startCollectorProcess } from '../../../testing/quasar-collector';
import type { CollectorProcess } from '../../../testing/quasar-collector';
import { claimDatabase, eventually } from '../../../testing/redis';
import { describeWithStack } from '../../../testing/stack';
import { beat, writeV1 } from '../support/beats';

const TIMEOUT_MS = 120_000;
const SERVICE = 'ledger';
const QUEUE = 'payouts';
const PERIOD_MS = 700;
const BUCKETS = JOB_DURATION_BOUNDS_MS.length + 1;
/** Waits land in (0.1 s, 0.25 s], runs in (1 s, 2.5 s]. */
const WAIT_BUCKET = 5;
const RUN_BUCKET = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const inBucket = (n: number, bucket: number, ms: number, sampled: boolean) => {
  const counts = new Array<number>(BUCKETS).fill(0);
  counts[bucket] = n;
  return { count: n, sum: n * ms, counts, sampled };
};

/**
 * Period `k` after `baseMs`: the first four are idle, so every series starts at zero and
 * stays there for a few scrapes (`increase()` then counts from zero).
 */
function period(baseMs: number, k: number): QueuePeriod {
  const idle = k <= 3;
  const done = idle ? 0 : k + 2;
  return {
    startMs: baseMs + k * PERIOD_MS,
    endMs: baseMs + (k + 1) * PERIOD_MS,
    in: idle ? 0 : k + 3,
    completed: done - (idle ? 0 : k % 3),
    failed: idle ? 0 : k % 3,
    wait: inBucket(done, WAIT_BUCKET, 150, false),
    run: inBucket(idle ? 0 : 2, RUN_BUCKET, 1_500, true),
    source: 'events',
  };
}

const selector = `{job="${SERVICE}",quasar_queue_name="${QUEUE}"}`;
const added = `quasar_queue_jobs_added_total${selector}`;
const finished = (outcome: string) =>
  `quasar_queue_jobs_finished_total{job="${SERVICE}",quasar_queue_name="${QUEUE}",quasar_job_outcome="${outcome}"}`;

describeWithStack(['otelcol', 'prometheus'])('queue counters into a real OTel pipeline', () => {
  let otelcol: TestOtelcol;
  let prometheus: Prometheus;
  let collector: CollectorProcess | undefined;
  let url: string;
  let redis: Redis;
  /** The field both nodes write, rewritten with a fresh `observedAt` while the test waits. */
  let latest: QueuePeriod[] = [];
  let keepAlive: NodeJS.Timeout | undefined;

  const writeSnapshot = async (periods: QueuePeriod[]) => {
    latest = periods;
    await redis.hset(
      QuasarKeys.queues(SERVICE),
      QUEUE,
      JSON.stringify({
        name: QUEUE,
        driver: 'bullmq',
        size: { waiting: 0, active: 0, failed: 0, delayed: 0 },
        periods,
        observedAt: Date.now(),
      }),
    );
  };
  const beatBoth = async () => {
    for (const id of ['node-a', 'node-b']) await writeV1(redis, beat(SERVICE, id));
  };

  const startCollector = () =>
    startCollectorProcess({
      redisUrl: url,
      refreshIntervalMs: 250,
      args: ['--export-metrics', 'true', '--export-interval', '1200'],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: otelcol.otlpEndpoint },
    });

  beforeAll(async () => {
    otelcol = await startTestOtelcol();
    prometheus = await startPrometheus({ scrapeTargets: [otelcol.prometheusEndpoint] });
    url = await claimDatabase();
    redis = new Redis(url);
    await beatBoth();
    await writeSnapshot([]);
    keepAlive = setInterval(() => {
      void beatBoth()
        .then(() => writeSnapshot(latest))
        .catch(() => undefined);
    }, 300);
    collector = await startCollector();
  }, TIMEOUT_MS);

  afterAll(async () => {
    clearInterval(keepAlive);
    await collector?.stop();
    await redis?.quit();
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
        return last !== undefined && Math.abs(last - expected) < 1e-9 ? last : undefined;
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

  /**
   * Writes periods `from`..`to` as they close: node A lists the last five, node B the four
   * before the newest (it read the source a little earlier); the write of `skip` never happens,
   * so its period is caught up from the next snapshot's older ones.
   */
  async function writePeriods(baseMs: number, from: number, to: number, skip: number) {
    for (let k = from; k <= to; k++) {
      const endMs = baseMs + (k + 1) * PERIOD_MS;
      if (Date.now() < endMs) await sleep(endMs - Date.now());
      if (k === skip) continue;
      const newest = k % 2 === 0 ? k : k - 1;
      const list: QueuePeriod[] = [];
      for (let i = Math.max(from, newest - 4); i <= newest; i++) list.push(period(baseMs, i));
      await writeSnapshot(list);
      // Long enough for a cycle to read it: a skipped one is the test's, not the timer's.
      await sleep(PERIOD_MS / 2);
    }
    await writeSnapshot([period(baseMs, to - 1), period(baseMs, to)]);
  }

  const total = (baseMs: number, from: number, to: number, f: (p: QueuePeriod) => number) => {
    let n = 0;
    for (let k = from; k <= to; k++) n += f(period(baseMs, k));
    return n;
  };

  it(
    'gives Prometheus the exact sums, the right quantiles, and the right increase() over a restart',
    async () => {
      // The collector counts the service from its first read: every period below ends after it.
      await until(
        `quasar_queue_jobs{job="${SERVICE}",quasar_queue_name="${QUEUE}",quasar_queue_state="waiting"}`,
        0,
      );
      const base = Date.now();
      await writePeriods(base, 0, 9, 4);
      const before = {
        added: total(base, 0, 9, (p) => p.in ?? 0),
        completed: total(base, 0, 9, (p) => p.completed ?? 0),
        failed: total(base, 0, 9, (p) => p.failed ?? 0),
        waits: total(base, 0, 9, (p) => p.wait?.count ?? 0),
        runs: total(base, 0, 9, (p) => p.run?.count ?? 0),
      };
      await until(added, before.added);
      await until(finished('completed'), before.completed);
      await until(finished('failed'), before.failed);
      await until(`quasar_queue_wait_duration_seconds_count${selector}`, before.waits);
      await until(`quasar_queue_wait_duration_seconds_sum${selector}`, (before.waits * 150) / 1000);
      await until(
        `quasar_queue_run_duration_seconds_count{job="${SERVICE}",quasar_queue_name="${QUEUE}",quasar_queue_sampled="true"}`,
        before.runs,
      );
      const nowS = Date.now() / 1000;
      const wait50 = await queryAt(
        `histogram_quantile(0.5, sum by (le) (quasar_queue_wait_duration_seconds_bucket${selector}))`,
        nowS,
      );
      expect(wait50).toBeGreaterThan(0.1);
      expect(wait50).toBeLessThanOrEqual(0.25);
      const run90 = await queryAt(
        `histogram_quantile(0.9, sum by (le) (quasar_queue_run_duration_seconds_bucket${selector}))`,
        nowS,
      );
      expect(run90).toBeGreaterThan(1);
      expect(run90).toBeLessThanOrEqual(2.5);

      // A restart: the new process starts from zero with a new start time, and leaves the
      // periods the snapshot still lists to the process that counted them.
      await collector!.stop();
      collector = await startCollector();
      await until(added, 0);
      await until(finished('completed'), 0);
      const second = Date.now();
      await writePeriods(second, 1, 8, 5);
      const after = {
        added: total(second, 1, 8, (p) => p.in ?? 0),
        completed: total(second, 1, 8, (p) => p.completed ?? 0),
        waits: total(second, 1, 8, (p) => p.wait?.count ?? 0),
      };
      await until(added, after.added);
      await until(finished('completed'), after.completed);
      await until(`quasar_queue_wait_duration_seconds_count${selector}`, after.waits);

      // Evaluated at the last scrape, increase() has nothing to extrapolate: it is exact.
      const [last] = await prometheus.query(`timestamp(${added})`);
      const at = last!.value;
      expect(await queryAt(`increase(${added}[10m])`, at)).toBeCloseTo(
        before.added + after.added,
        6,
      );
      expect(await queryAt(`increase(${finished('completed')}[10m])`, at)).toBeCloseTo(
        before.completed + after.completed,
        6,
      );
      expect(
        await queryAt(`increase(quasar_queue_wait_duration_seconds_count${selector}[10m])`, at),
      ).toBeCloseTo(before.waits + after.waits, 6);
      const overall50 = await queryAt(
        `histogram_quantile(0.5, sum by (le) (increase(quasar_queue_wait_duration_seconds_bucket${selector}[10m])))`,
        at,
      );
      expect(overall50).toBeGreaterThan(0.1);
      expect(overall50).toBeLessThanOrEqual(0.25);

      const names = await prometheus.metricNames();
      expect(names).toEqual(
        expect.arrayContaining([
          'quasar_queue_jobs_added_total',
          'quasar_queue_jobs_finished_total',
          'quasar_queue_wait_duration_seconds_bucket',
          'quasar_queue_wait_duration_seconds_count',
          'quasar_queue_wait_duration_seconds_sum',
          'quasar_queue_run_duration_seconds_bucket',
          'quasar_queue_run_duration_seconds_count',
          'quasar_queue_run_duration_seconds_sum',
        ]),
      );
    },
    TIMEOUT_MS,
  );
});
