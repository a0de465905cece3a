/**
 * What a batch of operations costs on both sides of the connection: this process's CPU and
 * wall time (`cpu-clock.ts`), plus `redis-server`'s main-thread CPU and the commands it ran,
 * from `INFO` before and after the batch. The server serves nothing else meanwhile.
 */
import type { Redis } from 'ioredis';
import { measureAsync } from './cpu-clock';
import type { OpCost } from './cpu-clock';

/** Mean cost of one operation in a batch, on the client and on the server. */
export interface BatchCost extends OpCost {
  /** `redis-server` main-thread CPU (user + system) per operation, µs. */
  redisCpuUs: number;
  /** Commands the server ran per operation, those a script runs included. */
  commands: number;
}

interface ServerCounters {
  cpuUs: number;
  calls: number;
}

/** A numeric `INFO` field, or throws when the server does not report it. */
function field(info: string, name: string): number {
  const match = new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info);
  if (!match?.[1]) throw new Error(`INFO has no ${name}`);
  return Number(match[1]);
}

/** The server's main-thread CPU and its commands run so far, `INFO` itself left out. */
async function serverCounters(stats: Redis): Promise<ServerCounters> {
  const info = await stats.info('cpu', 'commandstats');
  const cpuSeconds =
    field(info, 'used_cpu_user_main_thread') + field(info, 'used_cpu_sys_main_thread');
  let calls = 0;
  for (const [, command, n] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (command !== 'info') calls += Number(n);
  }
  return { cpuUs: cpuSeconds * 1e6, calls };
}

/** Runs `op` `count` times, awaiting each, and reads the server's counters around the batch. */
export async function measureBatch(
  op: () => Promise<unknown>,
  count: number,
  stats: Redis,
): Promise<BatchCost> {
  const before = await serverCounters(stats);
  const client = await measureAsync(op, count);
  const after = await serverCounters(stats);
  return {
    ...client,
    redisCpuUs: (after.cpuUs - before.cpuUs) / count,
    commands: (after.calls - before.calls) / count,
  };
}
