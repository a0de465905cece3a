/**
 * What one collector costs its Redis, per node and per read of the fleet: the Redis server's
 * main-thread CPU time (`INFO cpu`) for everything a read sends (the index `ZRANGE`, `TIME`, the
 * TTL/size script and `MGET` per 1,000 keys, the queue-hash script) and the bytes Redis sends
 * (`total_net_output_bytes`). Reference, same run, interleaved: a raw `MGET` of the same keys in
 * chunks of 1,000, the least any reader of every beat can cost. Medians of RUNS reads per size.
 * The figures feed docs/scaling.md.
 *
 *   npm run bench:redis --workspace collector      (SIZES=10000,100000 RUNS=5 to change)
 */
import Redis from 'ioredis';
import { COLLECTOR_DEFAULTS } from '../src/config/options';
import { QuasarCollector } from '../src/cycle/quasar-collector';
import { startRedisServer } from '../../testing/redis-server';
import { templateBeat, writeFleet } from './fleet';
import { median, round } from './stats';

const SIZES = (process.env.SIZES ?? '10000,100000').split(',').map(Number);
const RUNS = Number(process.env.RUNS ?? 5);
const SERVICES = 50;
const CHUNK = 1000;

const silent = { info() {}, warn() {}, error() {} };

/**
 * Redis's main-thread CPU time so far (user + system), µs, and the bytes it has sent. Command
 * statistics would count a script's inner calls twice (in the script and on their own), so the
 * thread's CPU time is the measure.
 */
async function serverCost(redis: Redis): Promise<{ usec: number; outBytes: number }> {
  const cpu = await redis.info('cpu');
  const seconds = (name: string): number => {
    const match = new RegExp(`^${name}:([0-9.]+)`, 'm').exec(cpu);
    if (!match) throw new Error(`INFO cpu has no ${name} (Redis 6.2 or later is needed)`);
    return Number(match[1]);
  };
  const usec = (seconds('used_cpu_user_main_thread') + seconds('used_cpu_sys_main_thread')) * 1e6;
  const stats = await redis.info('stats');
  const out = /^total_net_output_bytes:(\d+)/m.exec(stats);
  return { usec, outBytes: Number(out?.[1] ?? 0) };
}

/** Runs `work` and returns what it cost Redis (minus the two INFO calls around it). */
async function measure(
  admin: Redis,
  work: () => Promise<unknown>,
): Promise<{ usec: number; outBytes: number }> {
  const before = await serverCost(admin);
  await work();
  const after = await serverCost(admin);
  return { usec: after.usec - before.usec, outBytes: after.outBytes - before.outBytes };
}

async function rawRead(redis: Redis, keys: readonly string[]): Promise<void> {
  const reads: Promise<unknown>[] = [];
  for (let i = 0; i < keys.length; i += CHUNK) reads.push(redis.mget(keys.slice(i, i + CHUNK)));
  await Promise.all(reads);
}

async function main(): Promise<void> {
  const server = await startRedisServer();
  const admin = new Redis(server.url);
  const reader = new Redis(server.url);
  const collectorRedis = new Redis(server.url);
  const rows: Record<string, number>[] = [];
  try {
    const template = await templateBeat(server.url);
    for (const nodes of SIZES) {
      await admin.flushall();
      const keys = await writeFleet(admin, template, nodes, SERVICES);
      const collector = new QuasarCollector(
        {
          ...COLLECTOR_DEFAULTS,
          forgetAfterMs: 60_000,
          skipSelfExporting: true,
          consumerName: 'bench',
        },
        { redis: collectorRedis, logger: silent },
      );
      await collector.read(); // warm: script loaded, registry filled
      const cycle: { usec: number; outBytes: number }[] = [];
      const raw: { usec: number; outBytes: number }[] = [];
      for (let run = 0; run < RUNS; run++) {
        // Every beat rewritten, as a fleet beating every refresh would have it.
        await writeFleet(admin, template, nodes, SERVICES);
        raw.push(await measure(admin, () => rawRead(reader, keys)));
        cycle.push(await measure(admin, () => collector.read()));
      }
      const cycleUsec = median(cycle.map((c) => c.usec));
      const rawUsec = median(raw.map((c) => c.usec));
      const row = {
        nodes,
        redis_cpu_ms_per_read: round(cycleUsec / 1000),
        redis_cpu_us_per_node: round(cycleUsec / nodes, 2),
        raw_mget_cpu_ms: round(rawUsec / 1000),
        cpu_ratio: round(cycleUsec / rawUsec, 2),
        bytes_per_node_per_read: Math.round(median(cycle.map((c) => c.outBytes)) / nodes),
        raw_bytes_per_node: Math.round(median(raw.map((c) => c.outBytes)) / nodes),
      };
      rows.push(row);
      console.log(JSON.stringify(row));
    }
  } finally {
    admin.disconnect();
    reader.disconnect();
    collectorRedis.disconnect();
    await server.stop();
  }
  console.log(JSON.stringify({ runs: RUNS, rows }));
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
