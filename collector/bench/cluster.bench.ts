/**
 * The collector cycle on a real Redis Cluster (3 primaries, 3 replicas, the v2 layout an SDK
 * writes there) against the same fleet on a single Redis (the v1 layout an SDK writes there),
 * as a ratio measured in one run: both collectors run in their own child process, their cycles
 * interleaved, every payload rewritten before each round, medians of RUNS rounds.
 *
 * Run: `npm run bench:cluster`. NODES (default 10,000), SERVICES (50) and RUNS (7) override.
 * The last stdout line is one JSON object; the exit code is non-zero when the goal is missed.
 */
import Redis from 'ioredis';
import { createRedisClient } from '@gravito/quasar';
import { startRedisServer } from '../../testing/redis-server';
import { startRedisCluster } from '../../testing/redis-cluster';
import { forkCycleChild } from './cycle-child';
import type { ChildCycle } from './cycle-child';
import { startDrainReceiver } from './drain-receiver';
import { templateBeat, writeFleet, writeFleetV2 } from './fleet';
import { median, positiveInt, round } from './stats';

const GOAL_RATIO = 1.3;

const NODES = positiveInt('NODES', 10_000);
const SERVICES = positiveInt('SERVICES', 50);
const RUNS = positiveInt('RUNS', 7);

function check(cycle: ChildCycle, where: string): void {
  if (cycle.nodes !== NODES) throw new Error(`${where}: the cycle saw ${cycle.nodes} of ${NODES}`);
  if (cycle.exportFailures > 0) throw new Error(`${where}: a metrics export failed`);
}

async function main(): Promise<void> {
  const server = await startRedisServer();
  const cluster = await startRedisCluster();
  const receiver = await startDrainReceiver();
  const single = new Redis(server.urlFor(0));
  const clustered = createRedisClient(cluster.url);
  try {
    console.log(
      `collector cycle, ${NODES} nodes over ${SERVICES} services: a 3+3 Redis Cluster (v2 keys) ` +
        `against a single Redis (v1 keys), median of ${RUNS} interleaved runs`,
    );
    const template = await templateBeat(server.urlFor(1));
    const singleChild = await forkCycleChild(server.urlFor(0), receiver.url);
    const clusterChild = await forkCycleChild(cluster.url, receiver.url);
    const onSingle: number[] = [];
    const onCluster: number[] = [];
    const cpuSingle: number[] = [];
    const cpuCluster: number[] = [];
    for (let run = 0; run <= RUNS; run++) {
      const now = Date.now();
      await writeFleet(single, template, NODES, SERVICES, now);
      await writeFleetV2(clustered, template, NODES, SERVICES, now);
      // Alternate which goes first, so neither always runs on a warmer machine.
      const order = run % 2 === 0 ? ['single', 'cluster'] : ['cluster', 'single'];
      for (const which of order) {
        const child = which === 'single' ? singleChild : clusterChild;
        const cycle = await child.cycle();
        check(cycle, which);
        if (run === 0) continue; // warm-up
        (which === 'single' ? onSingle : onCluster).push(cycle.ms);
        (which === 'single' ? cpuSingle : cpuCluster).push(cycle.cpuMs);
      }
    }
    await singleChild.stop();
    await clusterChild.stop();
    const result = {
      nodes: NODES,
      services: SERVICES,
      single_cycle_ms: round(median(onSingle)),
      cluster_cycle_ms: round(median(onCluster)),
      ratio: round(median(onCluster) / median(onSingle), 2),
      single_cpu_ms: round(median(cpuSingle)),
      cluster_cpu_ms: round(median(cpuCluster)),
      cpu_ratio: round(median(cpuCluster) / median(cpuSingle), 2),
      goal_ratio: GOAL_RATIO,
    };
    console.log(
      `single Redis ${result.single_cycle_ms} ms (CPU ${result.single_cpu_ms} ms)   ` +
        `cluster ${result.cluster_cycle_ms} ms (CPU ${result.cluster_cpu_ms} ms)   ` +
        `ratio ${result.ratio} (goal ≤ ${GOAL_RATIO}), CPU ratio ${result.cpu_ratio}`,
    );
    console.log(JSON.stringify(result));
    if (result.ratio > GOAL_RATIO) process.exitCode = 1;
  } finally {
    single.disconnect();
    clustered.disconnect();
    await receiver.stop();
    await cluster.stop();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
