/**
 * How long one collector read of 10,000 nodes takes on a real Redis Cluster (3 primaries, 3
 * replicas, all on this host), by key layout: v2 with every node in ONE service (one slot, one
 * node of the cluster serves the whole read), v2 over 50 services, and v1 (keys over every
 * slot, read in per-node pipelines of per-slot groups). Reference: the same reads on a single
 * Redis. Medians of RUNS steady-state reads (`QuasarCollector.read`, after one warm-up read),
 * beats from a real agent's template.
 *
 *   npx tsx bench/cluster-read.bench.ts      (NODES=10000 RUNS=7 to change)
 */
import Redis from 'ioredis';
import { createRedisClient, isClusterClient } from '@gravito/quasar';
import type { RedisClient } from '@gravito/quasar';
import type { Heartbeat } from '@gravito/quasar/schema';
import { QuasarKeys, heartbeatTtlSeconds } from '@gravito/quasar/schema';
import { COLLECTOR_DEFAULTS } from '../src/config/options';
import { QuasarCollector } from '../src/cycle/quasar-collector';
import { startRedisCluster } from '../../testing/redis-cluster';
import { startRedisServer } from '../../testing/redis-server';
import { templateBeat } from './fleet';
import { median, round } from './stats';

const NODES = Number(process.env.NODES ?? 10_000);
const RUNS = Number(process.env.RUNS ?? 7);
const silent = { info() {}, warn() {}, error() {} };

type Layout = 'v1' | 'v2';

async function flush(client: RedisClient): Promise<void> {
  const nodes = isClusterClient(client) ? client.nodes('master') : [client];
  await Promise.all(nodes.map((n) => n.flushall()));
}

/** Writes `NODES` beats over `services` services in `layout`, 500 commands in flight. */
async function writeFleet(
  client: RedisClient,
  template: Heartbeat,
  layout: Layout,
  services: number,
): Promise<void> {
  const ttl = heartbeatTtlSeconds(template.interval ?? 10_000);
  const now = Date.now();
  for (let start = 0; start < NODES; start += 500) {
    const writes: Array<Promise<unknown>> = [];
    for (let i = start; i < Math.min(NODES, start + 500); i++) {
      const service = `svc-${i % services}`;
      const id = `node-${i}`;
      const beat = { ...template, id, service, pid: 1000 + i, timestamp: now };
      const key = layout === 'v2' ? QuasarKeys.v2.node(service, id) : QuasarKeys.node(service, id);
      const index = layout === 'v2' ? QuasarKeys.v2.nodeIndex(service) : QuasarKeys.nodeIndex;
      writes.push(client.set(key, JSON.stringify(beat), 'EX', ttl), client.zadd(index, now, key));
    }
    await Promise.all(writes);
  }
  if (layout === 'v2') {
    for (let s = 0; s < services; s++) await client.zadd(QuasarKeys.services, now, `svc-${s}`);
  }
}

async function timeReads(url: string): Promise<{ medianMs: number; nodes: number }> {
  const client = createRedisClient(url);
  const collector = new QuasarCollector(
    { ...COLLECTOR_DEFAULTS, forgetAfterMs: 60_000, skipSelfExporting: true, consumerName: 'b' },
    { redis: client, logger: silent },
  );
  let nodes = (await collector.read()).nodes.length;
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const started = performance.now();
    nodes = (await collector.read()).nodes.length;
    times.push(performance.now() - started);
  }
  await client.quit();
  return { medianMs: median(times), nodes };
}

async function main(): Promise<void> {
  const single = await startRedisServer();
  const cluster = await startRedisCluster();
  const singleUrl = single.url;
  try {
    const template = await templateBeat(singleUrl);
    const scenarios: Array<[string, Layout, number]> = [
      ['v2, 1 service (one slot)', 'v2', 1],
      ['v2, 50 services', 'v2', 50],
      ['v1, fleet index', 'v1', 50],
    ];
    const rows: string[] = [];
    for (const [target, url] of [
      ['cluster', cluster.url],
      ['single', singleUrl],
    ] as const) {
      const admin = target === 'cluster' ? createRedisClient(url) : new Redis(url);
      for (const [name, layout, services] of scenarios) {
        await flush(admin);
        await writeFleet(admin, template, layout, services);
        const { medianMs, nodes } = await timeReads(url);
        rows.push(
          `${target.padEnd(8)} ${name.padEnd(26)} ${String(nodes).padStart(6)} nodes  ${round(medianMs)} ms`,
        );
        console.log(rows[rows.length - 1]);
      }
      await admin.quit();
    }
  } finally {
    await cluster.stop();
    await single.stop();
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
