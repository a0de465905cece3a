/**
 * CPU and wall-clock cost of sequential operations. A whole batch is timed at once, so the
 * cost of asking the kernel for CPU time is spread over the batch instead of added per op.
 */

/** Mean cost of one operation in a batch, microseconds. */
export interface OpCost {
  /** User + system CPU time of this process, which is what the host application pays. */
  cpuUs: number;
  /** Elapsed time, Redis round trip included. */
  wallUs: number;
}

function costOf(cpuStart: NodeJS.CpuUsage, wallStart: number, count: number): OpCost {
  const cpu = process.cpuUsage(cpuStart);
  const wallMs = performance.now() - wallStart;
  return { cpuUs: (cpu.user + cpu.system) / count, wallUs: (wallMs * 1000) / count };
}

/** Runs `op` `count` times, one after another, awaiting each. */
export async function measureAsync(op: () => Promise<unknown>, count: number): Promise<OpCost> {
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < count; i++) await op();
  return costOf(cpuStart, wallStart, count);
}

/** Runs a synchronous `op` `count` times; no await, so no microtask cost is added. */
export function measureSync(op: () => unknown, count: number): OpCost {
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < count; i++) op();
  return costOf(cpuStart, wallStart, count);
}

/** Median of a non-empty list; the mean of the middle two for an even count. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}
