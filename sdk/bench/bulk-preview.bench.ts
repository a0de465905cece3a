/**
 * Bulk commands: the dry run of a grouped retry over 10,000 failed BullMQ jobs, against the bare
 * minimum of the same count without Quasar.
 *
 * A private `redis-server` holds one BullMQ queue whose failed set lists 10,000 jobs, in BullMQ's
 * own layout (the failed sorted set by `finishedOn`, each job's hash with `name`, `failedReason`,
 * `finishedOn` and a one-stack `stacktrace`), failing with three errors (50/30/20 %). Per
 * operation:
 * - `quasar dry run`: `bullmqRetryExecutor` with the middle group's fingerprint and `dryRun`,
 *   `maxScan` 10,000: the BullMQ `Queue` it builds, the `ZCARD`, then per page of 500 one
 *   `ZREVRANGE` and one pipeline of `HMGET`s, each failure fingerprinted.
 * - `bare reference`: one `ZREVRANGE 0 9999`, one pipeline of 10,000 `HMGET failedReason
 *   stacktrace`, each fingerprinted with the same function, matches counted.
 * Both run in each round, in a shuffled order; the median round counts. The selection's round
 * trips are counted on its `FailedSet`. The last stdout line is one JSON object. Exits non-zero
 * when a count is wrong or the goal is missed.
 */
import Redis from 'ioredis';
import { startRedisServer } from '../../testing/redis-server';
import { bullmqRetryExecutor } from '../src/queues/drivers/bullmq/retry';
import { bullKeys } from '../src/queues/drivers/bull-family/keys';
import { bullFailedSet } from '../src/queues/drivers/bull-family/failed-set';
import { selectFailed } from '../src/commands/bulk/failed-selection';
import type { FailedSet } from '../src/commands/bulk/failed-selection';
import { applicationRoot } from '../src/queues/failures/failure-scan';
import { fingerprintError } from '../src/queues/failures/fingerprint';
import { newestStack } from '../src/queues/drivers/bull-family/failed-hash';
import {
  measureRounds,
  printMedians,
  ratioJson,
  ratios,
  mediansJson,
  printRatios,
} from './probe-report';

/** The dry run may take at most this many times the bare count, in wall time and client CPU. */
const GOAL = 3;
const JOBS = 10_000;
const PREFIX = 'bull';
const QUEUE = 'orders';
const KINDS = [
  { share: 0.5, error: (n: number) => `Card ${4000 + n} declined`, fn: 'chargeCard' },
  { share: 0.3, error: (n: number) => `User "u${n}@example.com" not found`, fn: 'findUser' },
  { share: 0.2, error: (n: number) => `Timeout after ${n} ms`, fn: 'syncStock' },
] as const;

/** Writes the failed jobs in BullMQ's layout; returns the middle group's key and size. */
async function seed(redis: Redis): Promise<{ key: string; size: number }> {
  const keys = bullKeys(PREFIX, QUEUE);
  const pipeline = redis.pipeline();
  let middle = 0;
  for (let n = 0; n < JOBS; n++) {
    const kind = n % 10 < 5 ? KINDS[0] : n % 10 < 8 ? KINDS[1] : KINDS[2];
    if (kind === KINDS[1]) middle++;
    const stack = `Error: ${kind.error(n)}\n    at ${kind.fn} (/app/src/jobs.js:${n}:1)\n    at /app/node_modules/bullmq/dist/worker.js:1:1`;
    pipeline.zadd(keys.state('failed'), 1_700_000_000_000 + n, String(n));
    pipeline.hset(keys.job(String(n)), {
      name: kind.fn,
      failedReason: kind.error(n),
      finishedOn: String(1_700_000_000_000 + n),
      stacktrace: JSON.stringify([stack]),
      data: '{}',
      opts: '{}',
    });
  }
  await pipeline.exec();
  const key = fingerprintError(
    KINDS[1].error(1),
    `Error\n    at ${KINDS[1].fn} (/app/src/jobs.js:1:1)`,
    applicationRoot(),
  ).key;
  return { key, size: middle };
}

/** The same count with nothing but two round trips. */
async function bareCount(redis: Redis, fingerprint: string): Promise<number> {
  const keys = bullKeys(PREFIX, QUEUE);
  const ids = await redis.zrevrange(keys.state('failed'), 0, JOBS - 1);
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.hmget(keys.job(id), 'failedReason', 'stacktrace');
  const replies = (await pipeline.exec()) ?? [];
  const root = applicationRoot();
  let matched = 0;
  for (const [, fields] of replies) {
    const [reason, stacktrace] = fields as [string | null, string | null];
    if (fingerprintError(reason, newestStack(stacktrace), root).key === fingerprint) matched++;
  }
  return matched;
}

/** `set` counting its calls: each is one round trip. */
function counting(set: FailedSet): { set: FailedSet; trips: () => number } {
  let trips = 0;
  return {
    trips: () => trips,
    set: {
      size: () => (trips++, set.size()),
      ids: (start, count) => (trips++, set.ids(start, count)),
      failures: (ids) => (trips++, set.failures(ids)),
    },
  };
}

async function main(): Promise<number> {
  const server = await startRedisServer();
  const redis = new Redis(server.url);
  const stats = new Redis(server.url);
  try {
    const { key, size } = await seed(redis);
    const failures: string[] = [];
    const dryRun = async () => {
      const outcome = await bullmqRetryExecutor.execute(
        { redis, options: { prefix: PREFIX } },
        {
          queue: QUEUE,
          scope: 'all-failed',
          maxJobs: 1000,
          fingerprint: key,
          dryRun: true,
          maxScan: JOBS,
        },
      );
      if (outcome.preview?.matched !== size || outcome.preview.complete !== true) {
        failures.push(`dry run matched ${outcome.preview?.matched}, expected ${size}`);
      }
    };
    const bare = async () => {
      const matched = await bareCount(redis, key);
      if (matched !== size) failures.push(`bare count ${matched}, expected ${size}`);
    };
    const probe = counting(bullFailedSet(redis, bullKeys(PREFIX, QUEUE)));
    const selection = await selectFailed(
      probe.set,
      { fingerprint: key, maxJobs: 1000, maxScan: JOBS },
      applicationRoot(),
    );
    const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
    const medians = await measureRounds(
      [
        { name: 'quasar dry run', op: dryRun },
        { name: 'bare reference', op: bare },
      ],
      rounds,
      1,
      stats,
    );
    printMedians(medians, rounds, 1);
    const ratio = ratios(medians.get('quasar dry run')!, medians.get('bare reference')!);
    printRatios({ 'dry run / bare': ratio });
    console.log(`\nselection round trips: ${probe.trips()} (matched ${selection.preview.matched})`);
    if (ratio.wallUs > GOAL) failures.push(`wall ratio ${ratio.wallUs.toFixed(2)} > ${GOAL}`);
    if (ratio.cpuUs > GOAL) failures.push(`client cpu ratio ${ratio.cpuUs.toFixed(2)} > ${GOAL}`);
    for (const failure of failures) console.error(`FAIL ${failure}`);
    console.log(
      JSON.stringify({
        jobs: JOBS,
        matched: size,
        round_trips: probe.trips(),
        medians: mediansJson(medians),
        ratio: ratioJson(ratio),
        goal: GOAL,
        ok: failures.length === 0,
      }),
    );
    return failures.length === 0 ? 0 : 1;
  } finally {
    redis.disconnect();
    stats.disconnect();
    await server.stop();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
