/**
 * The collector cycle at fleet scale, against references measured in the same run.
 *
 * - cycle_ms: median full cycle over 10,000 nodes (discover, read, validate, map, encode,
 *   POST to a local receiver that drains the request). Every payload is rewritten before each
 *   cycle, so nothing is served from the unchanged-payload shortcut.
 * - raw_read_ms: median MGET + JSON.parse of the same keys: the floor for any reader.
 * - keyspace_ratio: the cycle again with 1,000,000 unrelated keys in the same database.
 * - slowlog_ratio: slow-log entries exported per second ÷ a raw XREADGROUP + XACK loop.
 *
 * Run: `npm run bench:collector`. The last stdout line is one JSON object; the exit code is
 * non-zero when a goal is missed. NODES, RUNS and SLOW_ENTRIES override the sizes.
 */
import Redis from 'ioredis';
import { startRedisServer } from '../../testing/redis-server';
import { COLLECTOR_DEFAULTS } from '../src/config/options';
import { QuasarCollector } from '../src/cycle/quasar-collector';
import { MetricBatchExporter } from '../src/otlp/metric-exporter';
import { startDrainReceiver } from './drain-receiver';
import { templateBeat, writeFleet } from './fleet';
import { consumerMs, fillStreams, rawLoopMs } from './slowlog-bench';
import { median, peakRssMb, round } from './stats';

const GOALS = { ratio: 3, keyspace_ratio: 1.2, slowlog_ratio: 0.5 };

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

const NODES = positiveInt('NODES', 10_000);
const RUNS = positiveInt('RUNS', 7);
const SLOW_ENTRIES = positiveInt('SLOW_ENTRIES', 20_000);
const UNRELATED_KEYS = 1_000_000;
const silent = { info() {}, warn() {}, error() {} };

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

/** Interleaved rounds of cycle and raw read, payloads rewritten before each. */
async function measure(url: string, receiverUrl: string, label: string) {
  const redis = new Redis(url);
  const template = await templateBeat(url);
  const exporter = new MetricBatchExporter('http/protobuf', { url: `${receiverUrl}/v1/metrics` });
  const collector = new QuasarCollector(
    {
      ...COLLECTOR_DEFAULTS,
      forgetAfterMs: 60_000,
      skipSelfExporting: true,
      consumerName: 'bench',
    },
    { redis, metricExporter: exporter, logger: silent },
  );
  const cycles: number[] = [];
  const reads: number[] = [];
  let points = 0;
  for (let run = 0; run <= RUNS; run++) {
    const keys = await writeFleet(redis, template, NODES, 50, Date.now());
    const readMs = await rawReadMs(redis, keys);
    const started = performance.now();
    const snapshot = await collector.cycle({ forceExport: true, awaitExport: true });
    const cycleMs = performance.now() - started;
    if (snapshot.nodes.length !== NODES) {
      throw new Error(`cycle saw ${snapshot.nodes.length} of ${NODES} nodes`);
    }
    if (run === 0) continue; // warm-up
    cycles.push(cycleMs);
    reads.push(readMs);
    const stats = await collector.stats();
    if (stats.exportFailures.metrics > 0) throw new Error('a metrics export failed');
    const batch = collector.buildBatch(snapshot);
    for (const resource of batch.resources) if (!resource) throw new Error('empty resource');
    points = batch.pointCount;
  }
  await collector.stop();
  await exporter.shutdown();
  await redis.quit();
  const result = { cycle_ms: median(cycles), raw_read_ms: median(reads), points };
  console.log(
    `${label.padEnd(28)} cycle ${result.cycle_ms.toFixed(1).padStart(7)} ms   raw read ${result.raw_read_ms
      .toFixed(1)
      .padStart(
        7,
      )} ms   ratio ${(result.cycle_ms / result.raw_read_ms).toFixed(2)}   (${points} points)`,
  );
  return result;
}

async function main(): Promise<void> {
  const server = await startRedisServer({ args: ['--enable-debug-command', 'yes'] });
  const receiver = await startDrainReceiver();
  try {
    console.log(`collector cycle, ${NODES} nodes, median of ${RUNS} runs`);
    const plainUrl = server.urlFor(1);
    const crowdedUrl = server.urlFor(2);
    const plain = await measure(plainUrl, receiver.url, 'clean database');

    const admin = new Redis(crowdedUrl);
    await admin.call('DEBUG', 'POPULATE', UNRELATED_KEYS, 'unrelated', 64);
    const scanStarted = performance.now();
    let cursor = '0';
    do [cursor] = await admin.scan(cursor, 'MATCH', 'gravito:quasar:*', 'COUNT', 5000);
    while (cursor !== '0');
    const scanMs = performance.now() - scanStarted;
    await admin.quit();
    const crowded = await measure(crowdedUrl, receiver.url, `+${UNRELATED_KEYS} unrelated keys`);
    console.log(
      `(a full SCAN of that keyspace alone takes ${scanMs.toFixed(0)} ms; it runs off the cycle)`,
    );

    const slowUrl = server.urlFor(3);
    const slowRaw: number[] = [];
    const slowOurs: number[] = [];
    for (let run = 0; run < 3; run++) {
      const redis = new Redis(slowUrl);
      await redis.flushdb();
      await fillStreams(redis, SLOW_ENTRIES);
      await redis.quit();
      slowRaw.push(await rawLoopMs(slowUrl, `raw-${run}`));
      slowOurs.push(await consumerMs(slowUrl, `bridge-${run}`, receiver.url));
    }
    const rawPerSec = SLOW_ENTRIES / (median(slowRaw) / 1000);
    const oursPerSec = SLOW_ENTRIES / (median(slowOurs) / 1000);
    console.log(
      `slow log, ${SLOW_ENTRIES} entries: bridge ${oursPerSec.toFixed(0)}/s, raw XREADGROUP+XACK ${rawPerSec.toFixed(0)}/s`,
    );

    const summary = {
      nodes: NODES,
      cycle_ms: round(plain.cycle_ms),
      raw_read_ms: round(plain.raw_read_ms),
      ratio: round(plain.cycle_ms / plain.raw_read_ms, 2),
      keyspace_cycle_ms: round(crowded.cycle_ms),
      keyspace_ratio: round(crowded.cycle_ms / plain.cycle_ms, 2),
      scan_ms: round(scanMs),
      slowlog_per_s: Math.round(oursPerSec),
      raw_slowlog_per_s: Math.round(rawPerSec),
      slowlog_ratio: round(oursPerSec / rawPerSec, 2),
      points: plain.points,
      peak_rss_mb: round(peakRssMb()),
    };
    const missed = [
      summary.ratio > GOALS.ratio && `ratio ${summary.ratio} > ${GOALS.ratio}`,
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

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
