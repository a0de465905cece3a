/**
 * The collector cycle at fleet scale, against references measured in the same run.
 *
 * Per fleet size (10,000 and 50,000 nodes by default), the collector runs alone in a child
 * process (see `cycle-child.ts`), so its peak RSS is per size:
 * - cycle_ms: median full cycle (discover, read, validate, map, encode, POST to a local
 *   receiver that drains the request). Every payload is rewritten before each cycle, so nothing
 *   is served from the unchanged-payload shortcut.
 * - cycle_cpu_ms: the child's CPU time (user + system) during those cycles, median.
 * - raw_read_ms: median MGET + JSON.parse of the same keys, interleaved with the cycles: the
 *   floor for any reader.
 * - peak_rss_mb: the child's `maxRSS` over all its cycles; start_rss_mb its RSS before any.
 * - redis_bytes_per_node: Redis `used_memory` growth when the fleet is first written, per node.
 * Then, at the first size only:
 * - keyspace_ratio: the cycle again with 1,000,000 unrelated keys in the same database.
 * - slowlog_ratio: slow-log entries exported per second ÷ a raw XREADGROUP + XACK loop.
 *
 * Run: `npm run bench:collector`. The last stdout line is one JSON object; the exit code is
 * non-zero when a goal is missed. SIZES (comma-separated), RUNS and SLOW_ENTRIES override.
 */
import Redis from 'ioredis';
import type { Heartbeat } from '@gravito/quasar/schema';
import { startRedisServer } from '../../testing/redis-server';
import { forkCycleChild } from './cycle-child';
import { startDrainReceiver } from './drain-receiver';
import { templateBeat, writeFleet } from './fleet';
import { consumerMs, fillStreams, rawLoopMs, slowLogKeys } from './slowlog-bench';
import { median, positiveInt, round } from './stats';

const GOALS = { ratio: 3, keyspace_ratio: 1.2, slowlog_ratio: 0.5, peak_rss_mb_50k: 1024 };

function sizes(): number[] {
  const raw = process.env.SIZES;
  if (raw === undefined || raw === '') return [10_000, 50_000];
  return raw.split(',').map((part) => {
    const value = Number(part);
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`SIZES must be positive integers, got ${JSON.stringify(raw)}`);
    }
    return value;
  });
}

const SIZES = sizes();
const RUNS = positiveInt('RUNS', 7);
const SLOW_ENTRIES = positiveInt('SLOW_ENTRIES', 20_000);
const UNRELATED_KEYS = 1_000_000;
const SERVICES = 50;

async function rawReadMs(redis: Redis, keys: readonly string[]): Promise<number> {
  const started = performance.now();
  const chunks: Array<Promise<Array<string | null>>> = [];
  for (let i = 0; i < keys.length; i += 1000) chunks.push(redis.mget(...keys.slice(i, i + 1000)));
  let parsed = 0;
  for (const values of await Promise.all(chunks)) {
    for (const value of values) if (value !== null && JSON.parse(value)) parsed++;
  }
  if (parsed !== keys.length) throw new Error(`raw read found ${parsed} of ${keys.length}`);
  return performance.now() - started;
}

/** Redis `used_memory`, bytes. */
async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  const match = /^used_memory:(\d+)/m.exec(info);
  if (!match) throw new Error('INFO memory has no used_memory');
  return Number(match[1]);
}

/**
 * `MEMORY USAGE` of streams, every node of their radix trees counted (`SAMPLES 0`): `used_memory`
 * moves with client buffers by more than a few streams' worth.
 */
async function streamBytes(redis: Redis, keys: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const key of keys) bytes += Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
  return bytes;
}

/** Mean STRLEN of every 100th key. */
async function meanPayloadBytes(redis: Redis, keys: readonly string[]): Promise<number> {
  const pipeline = redis.pipeline();
  for (let i = 0; i < keys.length; i += 100) pipeline.strlen(keys[i] as string);
  const lengths = ((await pipeline.exec()) ?? []).map(([, n]) => Number(n));
  return lengths.reduce((a, b) => a + b, 0) / lengths.length;
}

interface SizeResult {
  nodes: number;
  cycle_ms: number;
  cycle_cpu_ms: number;
  raw_read_ms: number;
  ratio: number;
  peak_rss_mb: number;
  start_rss_mb: number;
  points: number;
  redis_bytes_per_node: number;
  payload_bytes: number;
}

/** Interleaved rounds of raw read (here) and cycle (in the child), payloads rewritten before each. */
async function measure(
  url: string,
  receiverUrl: string,
  template: Heartbeat,
  nodes: number,
  label: string,
): Promise<SizeResult> {
  const redis = new Redis(url);
  await redis.flushdb();
  const before = await usedMemory(redis);
  const firstKeys = await writeFleet(redis, template, nodes, SERVICES, Date.now());
  const redisBytesPerNode = ((await usedMemory(redis)) - before) / nodes;
  const payloadBytes = await meanPayloadBytes(redis, firstKeys);
  const child = await forkCycleChild(url, receiverUrl);
  const cycles: number[] = [];
  const cpus: number[] = [];
  const reads: number[] = [];
  let points = 0;
  try {
    for (let run = 0; run <= RUNS; run++) {
      const keys = await writeFleet(redis, template, nodes, SERVICES, Date.now());
      const readMs = await rawReadMs(redis, keys);
      const cycle = await child.cycle(run === 0);
      if (cycle.nodes !== nodes) throw new Error(`cycle saw ${cycle.nodes} of ${nodes} nodes`);
      if (cycle.exportFailures > 0) throw new Error('a metrics export failed');
      if (run === 0) {
        points = cycle.points; // the warm-up is also the one cycle whose points are counted
        continue;
      }
      cycles.push(cycle.ms);
      cpus.push(cycle.cpuMs);
      reads.push(readMs);
    }
  } finally {
    await redis.quit();
  }
  const peakRssMb = await child.stop();
  const result: SizeResult = {
    nodes,
    cycle_ms: round(median(cycles)),
    cycle_cpu_ms: round(median(cpus)),
    raw_read_ms: round(median(reads)),
    ratio: round(median(cycles) / median(reads), 2),
    peak_rss_mb: round(peakRssMb),
    start_rss_mb: round(child.startRssMb),
    points,
    redis_bytes_per_node: Math.round(redisBytesPerNode),
    payload_bytes: Math.round(payloadBytes),
  };
  console.log(
    `${label.padEnd(34)} cycle ${result.cycle_ms.toFixed(1).padStart(7)} ms   raw read ${result.raw_read_ms
      .toFixed(1)
      .padStart(
        7,
      )} ms   ratio ${result.ratio.toFixed(2)}   cycle CPU ${result.cycle_cpu_ms.toFixed(0)} ms   peak RSS ${result.peak_rss_mb.toFixed(0)} MB` +
      `   (${points} points; ${result.payload_bytes} B a beat, ${result.redis_bytes_per_node} B of Redis a node)`,
  );
  return result;
}

async function main(): Promise<void> {
  const server = await startRedisServer({ args: ['--enable-debug-command', 'yes'] });
  const receiver = await startDrainReceiver();
  try {
    console.log(`collector cycle, ${SIZES.join(' and ')} nodes, median of ${RUNS} runs`);
    const template = await templateBeat(server.urlFor(0));
    const rows: SizeResult[] = [];
    for (const nodes of SIZES) {
      rows.push(await measure(server.urlFor(1), receiver.url, template, nodes, `${nodes} nodes`));
    }
    const first = rows[0] as SizeResult;

    const crowdedUrl = server.urlFor(2);
    const admin = new Redis(crowdedUrl);
    await admin.call('DEBUG', 'POPULATE', UNRELATED_KEYS, 'unrelated', 64);
    const scanStarted = performance.now();
    let cursor = '0';
    do [cursor] = await admin.scan(cursor, 'MATCH', 'gravito:quasar:*', 'COUNT', 5000);
    while (cursor !== '0');
    const scanMs = performance.now() - scanStarted;
    await admin.quit();
    // `measure` flushes its database first: the unrelated keys go in after that.
    const crowded = await measureCrowded(crowdedUrl, receiver.url, template, first.nodes);
    console.log(
      `(a full SCAN of that keyspace alone takes ${scanMs.toFixed(0)} ms; it runs off the cycle)`,
    );

    const slowUrl = server.urlFor(3);
    const slowRaw: number[] = [];
    const slowOurs: number[] = [];
    let slowBytesPerEntry = 0;
    for (let run = 0; run < 3; run++) {
      const redis = new Redis(slowUrl);
      await redis.flushdb();
      await fillStreams(redis, SLOW_ENTRIES);
      slowBytesPerEntry = (await streamBytes(redis, slowLogKeys())) / SLOW_ENTRIES;
      await redis.quit();
      slowRaw.push(await rawLoopMs(slowUrl, `raw-${run}`));
      slowOurs.push(await consumerMs(slowUrl, `bridge-${run}`, receiver.url));
    }
    const rawPerSec = SLOW_ENTRIES / (median(slowRaw) / 1000);
    const oursPerSec = SLOW_ENTRIES / (median(slowOurs) / 1000);
    console.log(
      `slow log, ${SLOW_ENTRIES} entries: bridge ${oursPerSec.toFixed(0)}/s, raw XREADGROUP+XACK ${rawPerSec.toFixed(0)}/s` +
        ` (${slowBytesPerEntry.toFixed(0)} B of Redis an entry)`,
    );

    const largest = rows[rows.length - 1] as SizeResult;
    const summary = {
      sizes: rows,
      keyspace_cycle_ms: crowded,
      keyspace_ratio: round(crowded / first.cycle_ms, 2),
      scan_ms: round(scanMs),
      slowlog_per_s: Math.round(oursPerSec),
      raw_slowlog_per_s: Math.round(rawPerSec),
      slowlog_ratio: round(oursPerSec / rawPerSec, 2),
      redis_bytes_per_slow_entry: Math.round(slowBytesPerEntry),
    };
    const missed = [
      first.ratio > GOALS.ratio && `ratio ${first.ratio} > ${GOALS.ratio} at ${first.nodes}`,
      largest !== first &&
        largest.ratio > first.ratio &&
        `ratio ${largest.ratio} at ${largest.nodes} > ${first.ratio} at ${first.nodes}`,
      largest.nodes >= 50_000 &&
        largest.peak_rss_mb > GOALS.peak_rss_mb_50k &&
        `peak RSS ${largest.peak_rss_mb} MB > ${GOALS.peak_rss_mb_50k} at ${largest.nodes}`,
      summary.keyspace_ratio > GOALS.keyspace_ratio &&
        `keyspace_ratio ${summary.keyspace_ratio} > ${GOALS.keyspace_ratio}`,
      summary.slowlog_ratio < GOALS.slowlog_ratio &&
        `slowlog_ratio ${summary.slowlog_ratio} < ${GOALS.slowlog_ratio}`,
    ].filter(Boolean);
    if (missed.length > 0) console.log(`goals missed: ${missed.join('; ')}`);
    console.log(JSON.stringify(summary));
    process.exitCode = missed.length > 0 ? 1 : 0;
  } finally {
    await receiver.stop();
    await server.stop();
  }
}

/** The first size's cycle in a database that also holds the unrelated keys; median ms. */
async function measureCrowded(
  url: string,
  receiverUrl: string,
  template: Heartbeat,
  nodes: number,
): Promise<number> {
  const redis = new Redis(url);
  const child = await forkCycleChild(url, receiverUrl);
  const cycles: number[] = [];
  try {
    for (let run = 0; run <= RUNS; run++) {
      await writeFleet(redis, template, nodes, SERVICES, Date.now());
      const cycle = await child.cycle();
      if (cycle.nodes !== nodes) throw new Error(`cycle saw ${cycle.nodes} of ${nodes} nodes`);
      if (run > 0) cycles.push(cycle.ms);
    }
  } finally {
    await redis.quit();
  }
  await child.stop();
  const ms = round(median(cycles));
  console.log(
    `${`${nodes} nodes +${UNRELATED_KEYS} unrelated keys`.padEnd(34)} cycle ${ms.toFixed(1).padStart(7)} ms`,
  );
  return ms;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
