/**
 * Where a tick's CPU goes: each step of the tick, and each reading inside `Sampler.sample()`,
 * timed on its own. Informational: it points at the reading to fix when the tick gets slower.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import type * as FsModule from 'node:fs';
import { loadavg } from 'node:os';
import type { Redis } from 'ioredis';
import { buildHeartbeat } from '../src/heartbeat/payload';
import type { NodeIdentity } from '../src/heartbeat/identity';
import { Sampler } from '../src/heartbeat/sampler';
import { detectCgroup, readCgroupLimits, readCgroupUsage } from '../src/readings/cgroup';
import { EventLoopMonitor } from '../src/readings/event-loop';
import { readHostFacts } from '../src/readings/host';
import { QuasarKeys } from '../src/schema';
import { readProcessCpuUs, readProcessMemory } from '../src/readings/process';
import { readCpuTimes } from '../src/readings/system-cpu';
import { readSystemMemory } from '../src/readings/system-memory';
import { writeHeartbeat } from '../src/transport/heartbeat-store';
import { measureAsync, measureSync, median } from './cpu-clock';

/** Median CPU µs per call of one step or reading. */
export interface StepCost {
  step: string;
  cpuUs: number;
}

/** What one `sample()` touches on disk, and what each piece costs. */
export interface TickBreakdown {
  steps: StepCost[];
  /** Files `sample()` read in one call, in order. */
  filesRead: string[];
}

const BATCHES = 5;

function syncStep(step: string, op: () => unknown, ops: number): StepCost {
  const costs = Array.from({ length: BATCHES }, () => measureSync(op, ops).cpuUs);
  return { step, cpuUs: median(costs) };
}

/** Lists the paths `readFileSync` opens while `work` runs. */
function filesReadBy(work: () => void): string[] {
  const fs = createRequire(__filename)('node:fs') as typeof FsModule;
  const original = fs.readFileSync;
  const paths: string[] = [];
  const spy = (...args: Parameters<typeof original>) => {
    paths.push(String(args[0]));
    return original(...args);
  };
  (fs as { readFileSync: unknown }).readFileSync = spy;
  syncBuiltinESMExports();
  try {
    work();
  } finally {
    fs.readFileSync = original;
    syncBuiltinESMExports();
  }
  return paths;
}

/**
 * Times every step with its own sampler and event-loop monitor, so the tick under test keeps
 * its own deltas. `key` is written with the same `writeHeartbeat()` as the tick.
 */
export async function measureBreakdown(
  client: Redis,
  identity: NodeIdentity,
  key: string,
  ops: number,
): Promise<TickBreakdown> {
  const root = '/';
  const eventLoop = new EventLoopMonitor();
  eventLoop.start();
  try {
    const sampler = new Sampler(root, readHostFacts(), eventLoop);
    const sample = sampler.sample();
    const heartbeat = buildHeartbeat(identity, sample, { selfExport: false });
    const json = JSON.stringify(heartbeat);
    const cgroup = detectCgroup(root);
    const steps: StepCost[] = [
      syncStep('Sampler.sample() (all readings)', () => sampler.sample(), ops),
      syncStep('  read /proc/stat (system CPU)', () => readCpuTimes(root), ops),
      syncStep('  read /proc/meminfo (system memory)', () => readSystemMemory(root), ops),
      syncStep('  process.cpuUsage()', readProcessCpuUs, ops),
      syncStep('  process.memoryUsage()', readProcessMemory, ops),
      syncStep('  os.loadavg()', loadavg, ops),
      syncStep('  event-loop histogram + ELU', () => eventLoop.read(), ops),
    ];
    if (cgroup) {
      steps.push(
        syncStep('  cgroup limits (every 60 s only)', () => readCgroupLimits(root, cgroup), ops),
        syncStep('  cgroup usage', () => readCgroupUsage(root, cgroup), ops),
      );
    }
    steps.push(
      syncStep(
        'buildHeartbeat()',
        () => buildHeartbeat(identity, sample, { selfExport: false }),
        ops,
      ),
      syncStep('JSON.stringify()', () => JSON.stringify(heartbeat), ops),
    );
    const write = () =>
      writeHeartbeat(client, {
        key,
        indexKey: QuasarKeys.nodeIndex,
        json,
        ttlSeconds: 30,
        timestampMs: heartbeat.timestamp,
        queuesKey: `${key}:queues`,
        queues: undefined,
      });
    const writes: number[] = [];
    for (let i = 0; i < BATCHES; i++) writes.push((await measureAsync(write, ops)).cpuUs);
    steps.push({ step: 'writeHeartbeat() (SET + ZADD and replies)', cpuUs: median(writes) });
    return { steps, filesRead: filesReadBy(() => sampler.sample()) };
  } finally {
    eventLoop.stop();
  }
}
