/** The host process's own CPU time and memory. */

/** Process memory, bytes. */
export interface ProcessMemory {
  rss: number;
  heapTotal: number;
  heapUsed: number;
}

export function readProcessMemory(): ProcessMemory {
  const { rss, heapTotal, heapUsed } = process.memoryUsage();
  return { rss, heapTotal, heapUsed };
}

/** Cumulative user + system CPU time of the process, microseconds. */
export function readProcessCpuUs(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}
