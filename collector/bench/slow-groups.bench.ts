/**
 * The cost of the slow-log groups on the consumer's path: `record()` per entry, over as many
 * groups as the bound holds (entries spread over 1,000 names, so every group is touched), and
 * one `GET /api/pulse/slow/groups` worth of `list()` at that size; then the consumer's drain of
 * SLOW_ENTRIES entries from a real Redis to a receiver, without and with the groups, alternated.
 * Medians of RUNS runs. ENTRIES, SLOW_ENTRIES and RUNS override.
 */
import Redis from 'ioredis';
import type { SlowEntry } from '@gravito/quasar/schema';
import { startRedisServer } from '../../testing/redis-server';
import { startDrainReceiver } from './drain-receiver';
import { consumerMs, fillStreams } from './slowlog-bench';
import { DEFAULT_GROUP_LIMITS, SlowGroups } from '../src/slowlog/groups/slow-groups';
import { median, positiveInt, round } from './stats';

const ENTRIES = positiveInt('ENTRIES', 500_000);
const RUNS = positiveInt('RUNS', 5);
const SLOW_ENTRIES = positiveInt('SLOW_ENTRIES', 20_000);
const GROUPS = DEFAULT_GROUP_LIMITS.maxGroups;
const NOW = Date.now();

/** The entries, built before the clock starts: only `record()` is timed. */
const entries: Array<{ service: string; entry: SlowEntry; id: string }> = Array.from(
  { length: ENTRIES },
  (_, i) => {
    const group = i % GROUPS;
    return {
      service: `svc-${group % 10}`,
      id: `${NOW + i}-0`,
      entry: {
        kind: group % 2 ? 'request' : 'job',
        name: `GET /orders/${group}/items`,
        durationMs: 1000 + ((i * 7919) % 50_000),
        thresholdMs: 1000,
        nodeId: `node-${i % 100}`,
        timestamp: NOW - (i % 3_600_000),
        method: 'GET',
        route: `/orders/${group}/items`,
        status: 200,
        traceId: (i % 1e9).toString(16).padStart(32, '0'),
      },
    };
  },
);

const recordNs: number[] = [];
const listMs: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const groups = new SlowGroups({ maxGroupsPerService: GROUPS });
  const started = performance.now();
  for (const { service, entry, id } of entries) groups.record(service, entry, id, NOW);
  recordNs.push(((performance.now() - started) * 1e6) / ENTRIES);
  const listed = performance.now();
  const { total } = groups.list({ limit: 1000 }, NOW);
  listMs.push(performance.now() - listed);
  if (total !== GROUPS) throw new Error(`expected ${GROUPS} groups, got ${total}`);
}
console.log(
  `slow-log groups, ${ENTRIES} entries over ${GROUPS} groups, ${RUNS} runs: ` +
    `record ${round(median(recordNs), 0)} ns/entry (runs ${recordNs.map((n) => round(n, 0)).join(', ')}); ` +
    `list of ${GROUPS} groups ${round(median(listMs), 2)} ms (runs ${listMs.map((n) => round(n, 2)).join(', ')})`,
);

/** The consumer's drain without and with the groups, alternated so load drifts hit both. */
async function drains(): Promise<void> {
  const server = await startRedisServer();
  const receiver = await startDrainReceiver();
  const url = server.urlFor(0);
  const without: number[] = [];
  const withGroups: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const grouped of run % 2 ? [true, false] : [false, true]) {
        const redis = new Redis(url);
        await redis.flushdb();
        await fillStreams(redis, SLOW_ENTRIES);
        await redis.quit();
        const groups = grouped ? new SlowGroups() : undefined;
        const ms = await consumerMs(url, `bench-${run}-${grouped}`, receiver.url, groups);
        (grouped ? withGroups : without).push(ms);
      }
    }
  } finally {
    await receiver.stop();
    await server.stop();
  }
  const perSec = (ms: number) => Math.round(SLOW_ENTRIES / (ms / 1000));
  console.log(
    `consumer drain, ${SLOW_ENTRIES} entries, ${RUNS} runs each: without groups ${perSec(median(without))}/s, ` +
      `with ${perSec(median(withGroups))}/s, ratio ${round(median(withGroups) / median(without), 2)} ` +
      `(runs without ${without.map((ms) => perSec(ms)).join(', ')}; with ${withGroups.map((ms) => perSec(ms)).join(', ')})`,
  );
}

void drains().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
