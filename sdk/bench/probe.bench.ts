/**
 * Queue probes' cost per read, on the client and on Redis.
 *
 * A private `redis-server` holds a BullMQ queue filled through the real `bullmq` API at two
 * sizes (1,000 and 100,000 jobs) and a Laravel `redis` queue at the same two sizes. Per read:
 * - `bullmq` probe vs the reference, the same reading through BullMQ's own `Queue` API
 *   (`getJobCounts` + `getFailed(0, 19)` + `getWaiting(0, 0)` + `isPaused`, see
 *   `bullmq-dashboard.ts`);
 * - each probe at 100k jobs vs at 1k: its commands are O(1), so the cost should stay flat.
 * The `laravel` probe is held to flatness only: Laravel's own size and oldest-job calls send
 * the same four commands as the probe, so a ratio against them would measure nothing. So is the
 * `horizon` probe, over the same queues and Horizon's metrics of them (`horizon-subjects.ts`). A naive
 * `LRANGE 0 -1` of the list is timed for scale, not as a goal; so is each of the reference's
 * calls on its own. The `bullmq` probe is also read on a connection with ioredis's
 * `enableAutoPipelining` on: it sends each round trip as an explicit pipeline, so it should cost
 * the same there as on a plain connection (an application's client may have either).
 * A fresh `bullmq` probe's first reads, up to the one that samples a busy closed minute of
 * finished jobs (`finished-minute.ts`), are held to flatness too: the sample's reads are bounded
 * ranges of the finished sets, so they should cost the same beside 150 or 11,000 finished jobs.
 *
 * Every subject runs in each round, in a shuffled order; the median round counts. The last
 * stdout line is one JSON object. Exits non-zero when a goal is missed or when the probe and
 * BullMQ's API disagree on what the queue holds.
 */
import type { ConnectionOptions, Queue } from 'bullmq';
import Redis from 'ioredis';
import { isDeepStrictEqual } from 'node:util';
import { startRedisServer } from '../../testing/redis-server';
import { bullmqProbe } from '../src/queues/drivers/bullmq/probe';
import { laravelProbe } from '../src/queues/drivers/laravel/probe';
import { payloadAgeMs } from '../src/queues/drivers/laravel/payload-time';
import { connectionDefaults } from '../src/transport/connection';
import { bullmqCalls, readThroughBullmq } from './bullmq-dashboard';
import { horizonSubjects } from './horizon-subjects';
import { SAMPLED_READS, sampledMinuteRead, writeFinishedMinute } from './finished-minute';
import { fillBullmqQueue, fillLaravelQueue, jobsIn } from './probe-fixtures';
import type { BullmqMix, LaravelMix } from './probe-fixtures';
import {
  mediansJson,
  measureRounds,
  printMedians,
  printRatios,
  ratioJson,
  ratios,
} from './probe-report';
import type { Medians, Ratios, Subject } from './probe-report';
import { measureBatch } from './redis-cost';

/** The `bullmq` probe may cost at most this much of BullMQ's API, client CPU and Redis CPU. */
const GOAL_VS_BULLMQ = 1.0;
/** A probe's read at 100k jobs may cost at most this much of its read at 1k. */
const GOAL_FLAT = 1.5;

const BULLMQ_SIZES: Record<'1k' | '100k', BullmqMix> = {
  '1k': { waiting: 500, delayed: 200, prioritized: 100, completed: 150, failed: 50 },
  '100k': {
    waiting: 64_000,
    delayed: 15_000,
    prioritized: 10_000,
    completed: 10_000,
    failed: 1_000,
  },
};
const LARAVEL_SIZES: Record<'1k' | '100k', LaravelMix> = {
  '1k': { waiting: 900, reserved: 20, delayed: 80 },
  '100k': { waiting: 90_000, reserved: 2_000, delayed: 8_000 },
};
const SIZES = ['1k', '100k'] as const;

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/**
 * The `bullmq` probe and BullMQ's API at each size, after checking that both read the same.
 * @returns the subjects, and a failure per size where the two readings differ.
 */
async function bullmqSubjects(
  redis: Redis,
  queues: ReadonlyMap<string, Queue>,
): Promise<{ subjects: Subject[]; failures: string[] }> {
  const subjects: Subject[] = [];
  const failures: string[] = [];
  for (const size of SIZES) {
    const queue = queues.get(size);
    if (!queue) throw new Error(`no queue for ${size}`);
    const probe = bullmqProbe.create(`orders-${size}`, {});
    const nowMs = Date.now();
    const [reading, theirs] = await Promise.all([
      probe.read({ redis, nowMs }),
      readThroughBullmq(queue, nowMs),
    ]);
    // BullMQ's API has no failure groups: the rest of the reading must match it.
    const { failureGroups, ...ours } = reading;
    if (failureGroups === undefined || failureGroups.scanned === 0) {
      failures.push(`at ${size} the probe grouped no failures`);
    }
    if (!isDeepStrictEqual(ours, theirs)) {
      failures.push(
        `at ${size} the probe read ${JSON.stringify(ours)} but BullMQ's API read ${JSON.stringify(theirs)}`,
      );
    }
    subjects.push(
      { name: `bullmq probe ${size}`, op: () => probe.read({ redis, nowMs: Date.now() }) },
      { name: `bullmq api ${size}`, op: () => readThroughBullmq(queue, Date.now()) },
    );
  }
  return { subjects, failures };
}

/**
 * The `laravel` probe at each size, after checking its counts against what was written.
 * @returns the subjects, and a failure per size where the reading is wrong.
 */
async function laravelSubjects(redis: Redis): Promise<{ subjects: Subject[]; failures: string[] }> {
  const subjects: Subject[] = [];
  const failures: string[] = [];
  for (const size of SIZES) {
    const probe = laravelProbe.create(`invoices-${size}`, {});
    const { size: counts, oldestWaitingAgeMs } = await probe.read({ redis, nowMs: Date.now() });
    const mix = LARAVEL_SIZES[size];
    const expected = {
      waiting: mix.waiting,
      active: mix.reserved,
      failed: 0,
      delayed: mix.delayed,
    };
    if (!isDeepStrictEqual(counts, expected) || oldestWaitingAgeMs === undefined) {
      failures.push(
        `at ${size} the laravel probe read ${JSON.stringify(counts)} and an oldest age of ${oldestWaitingAgeMs} ms; the queue holds ${JSON.stringify(expected)}`,
      );
    }
    subjects.push({
      name: `laravel probe ${size}`,
      op: () => probe.read({ redis, nowMs: Date.now() }),
    });
  }
  return { subjects, failures };
}

/**
 * A fresh `bullmq` probe read `SAMPLED_READS` times at each size, the last read sampling a busy
 * minute written into the queue, after checking that it does.
 */
async function sampledSubjects(redis: Redis): Promise<{ subjects: Subject[]; failures: string[] }> {
  const subjects: Subject[] = [];
  const failures: string[] = [];
  for (const size of SIZES) {
    const name = `orders-${size}`;
    const start = await writeFinishedMinute(redis, 'bull', name);
    const op = async () => {
      const probe = bullmqProbe.create(name, {});
      let reading;
      for (let i = 0; i < SAMPLED_READS; i++) {
        reading = await probe.read({ redis, nowMs: Date.now() });
      }
      return reading;
    };
    if (!sampledMinuteRead(await op(), start)) {
      failures.push(`at ${size} a fresh probe did not sample the written minute`);
    }
    subjects.push({ name: `bullmq probe sampling ${size}`, op });
  }
  return { subjects, failures };
}

/** What a naive dashboard does: the whole list, to count it and to read its head. */
function naiveSubjects(redis: Redis, lists: ReadonlyMap<string, string>): Subject[] {
  return SIZES.map((size) => ({
    name: `laravel LRANGE ${size}`,
    op: async () => {
      const payloads = await redis.lrange(lists.get(size) ?? '', 0, -1);
      return { waiting: payloads.length, age: payloadAgeMs(payloads[0] ?? null, Date.now()) };
    },
  }));
}

/** Pushes a failure for each of client CPU and Redis CPU above `goal`. */
function check(failures: string[], label: string, r: Ratios, goal: number): void {
  for (const metric of ['cpuUs', 'redisCpuUs'] as const) {
    const what = metric === 'cpuUs' ? 'client CPU' : 'Redis CPU';
    if (r[metric] > goal) {
      failures.push(`${label}: ${r[metric].toFixed(3)}x in ${what}; the goal is at most ${goal}x`);
    }
  }
}

async function main(): Promise<number> {
  const rounds = positiveInt('BENCH_ROUNDS', 7);
  const ops = positiveInt('BENCH_OPS', 200);
  const warmupOps = positiveInt('BENCH_WARMUP', 300);
  const naiveRounds = positiveInt('BENCH_NAIVE_ROUNDS', 3);

  const server = await startRedisServer();
  const { port } = server;
  const connection: ConnectionOptions = { host: '127.0.0.1', port };
  const redis = new Redis(server.url, connectionDefaults('monitor'));
  const autoPipelined = new Redis(server.url, {
    ...connectionDefaults('monitor'),
    enableAutoPipelining: true,
  });
  const stats = new Redis(server.url, { lazyConnect: true });
  const queues = new Map<string, Queue>();
  /** Each Laravel queue's list of waiting jobs, by size. */
  const lists = new Map<string, string>();
  const failures: string[] = [];
  let result: Record<string, unknown>;
  try {
    await Promise.all([redis.connect(), autoPipelined.connect(), stats.connect()]);
    const createdAt = Math.floor(Date.now() / 1000) - 3_600;
    for (const size of SIZES) {
      const started = performance.now();
      queues.set(size, await fillBullmqQueue(connection, `orders-${size}`, BULLMQ_SIZES[size]));
      lists.set(
        size,
        await fillLaravelQueue(redis, `invoices-${size}`, LARAVEL_SIZES[size], createdAt),
      );
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `filled ${size}: ${jobsIn(BULLMQ_SIZES[size])} BullMQ jobs and ${jobsIn(LARAVEL_SIZES[size])} Laravel jobs in ${seconds} s`,
      );
    }

    const bullmq = await bullmqSubjects(redis, queues);
    const laravel = await laravelSubjects(redis);
    const horizon = await horizonSubjects(redis, LARAVEL_SIZES);
    // After the check against BullMQ's API, which reads only what BullMQ itself wrote.
    const sampled = await sampledSubjects(redis);
    failures.push(
      ...bullmq.failures,
      ...laravel.failures,
      ...horizon.failures,
      ...sampled.failures,
    );
    // The same probe on a client whose options differ: its cost should not change (≈ 1.0x).
    const probe100k = bullmqProbe.create('orders-100k', {});
    const large = queues.get('100k') as Queue;
    const subjects: Subject[] = [
      ...bullmq.subjects,
      {
        name: 'bullmq probe 100k auto',
        op: () => probe100k.read({ redis: autoPipelined, nowMs: Date.now() }),
      },
      ...laravel.subjects,
      ...horizon.subjects,
      ...sampled.subjects,
      // Context: where BullMQ's API spends, one call at a time.
      ...Object.entries(bullmqCalls(large)).map(([call, op]) => ({ name: `api ${call} 100k`, op })),
    ];

    for (const subject of subjects) await measureBatch(subject.op, warmupOps, stats);
    const medians = await measureRounds(subjects, rounds, ops, stats);
    printMedians(medians, rounds, ops);
    // Each LRANGE of the large list moves its whole 100k payloads: a few reads show the scale.
    const naiveMedians = await measureRounds(naiveSubjects(redis, lists), naiveRounds, 1, stats);
    printMedians(naiveMedians, naiveRounds, 1);

    const at = (name: string): Medians => {
      const m = medians.get(name) ?? naiveMedians.get(name);
      if (!m) throw new Error(`no figures for ${name}`);
      return m;
    };
    const vsApi1k = ratios(at('bullmq probe 1k'), at('bullmq api 1k'));
    const vsApi100k = ratios(at('bullmq probe 100k'), at('bullmq api 100k'));
    const bullmqFlat = ratios(at('bullmq probe 100k'), at('bullmq probe 1k'));
    const apiFlat = ratios(at('bullmq api 100k'), at('bullmq api 1k'));
    const laravelFlat = ratios(at('laravel probe 100k'), at('laravel probe 1k'));
    const horizonFlat = ratios(at('horizon probe 100k'), at('horizon probe 1k'));
    const samplingFlat = ratios(at('bullmq probe sampling 100k'), at('bullmq probe sampling 1k'));
    const naiveVsLaravel = ratios(at('laravel LRANGE 100k'), at('laravel probe 100k'));
    const clientOptions = ratios(at('bullmq probe 100k auto'), at('bullmq probe 100k'));
    printRatios({
      'bullmq probe ÷ BullMQ API, 1k': vsApi1k,
      'bullmq probe ÷ BullMQ API, 100k': vsApi100k,
      'bullmq probe 100k ÷ 1k': bullmqFlat,
      'BullMQ API 100k ÷ 1k (context)': apiFlat,
      'laravel probe 100k ÷ 1k': laravelFlat,
      'horizon probe 100k ÷ 1k (10,000 snapshots ÷ 24)': horizonFlat,
      [`bullmq probe, ${SAMPLED_READS} reads sampling a minute, 100k ÷ 1k`]: samplingFlat,
      'LRANGE ÷ laravel probe, 100k (context)': naiveVsLaravel,
      'probe on an auto-pipelining client ÷ on a plain client, 100k': clientOptions,
    });

    check(failures, 'bullmq probe vs BullMQ API at 1k', vsApi1k, GOAL_VS_BULLMQ);
    check(failures, 'bullmq probe vs BullMQ API at 100k', vsApi100k, GOAL_VS_BULLMQ);
    check(failures, 'bullmq probe at 100k vs 1k', bullmqFlat, GOAL_FLAT);
    check(failures, 'laravel probe at 100k vs 1k', laravelFlat, GOAL_FLAT);
    check(failures, 'horizon probe at 100k vs 1k', horizonFlat, GOAL_FLAT);
    check(failures, 'bullmq probe sampling a minute at 100k vs 1k', samplingFlat, GOAL_FLAT);

    result = {
      bullmq_vs_api_1k: ratioJson(vsApi1k),
      bullmq_vs_api_100k: ratioJson(vsApi100k),
      bullmq_flat: ratioJson(bullmqFlat),
      laravel_flat: ratioJson(laravelFlat),
      horizon_flat: ratioJson(horizonFlat),
      bullmq_sampling_flat: ratioJson(samplingFlat),
      api_flat: ratioJson(apiFlat),
      lrange_vs_laravel_100k: ratioJson(naiveVsLaravel),
      auto_pipelining_client_vs_plain_100k: ratioJson(clientOptions),
      per_read: { ...mediansJson(medians), ...mediansJson(naiveMedians) },
      goal_vs_api: GOAL_VS_BULLMQ,
      goal_flat: GOAL_FLAT,
      pass: failures.length === 0,
      rounds,
      ops_per_round: ops,
      warmup_ops: warmupOps,
      naive_rounds: naiveRounds,
      node: process.version,
    };
  } finally {
    await Promise.all([...queues.values()].map((q) => q.close().catch(() => undefined)));
    await redis.quit().catch(() => redis.disconnect());
    await autoPipelined.quit().catch(() => autoPipelined.disconnect());
    await stats.quit().catch(() => stats.disconnect());
    await server.stop();
  }

  console.log('');
  for (const failure of failures) console.log(`FAIL: ${failure}`);
  if (failures.length === 0) {
    console.log(
      `PASS: the bullmq probe ≤ ${GOAL_VS_BULLMQ}x BullMQ's API, and every probe (bullmq also sampling a minute) at 100k jobs ≤ ${GOAL_FLAT}x its cost at 1k`,
    );
  }
  console.log(JSON.stringify(result));
  return failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
