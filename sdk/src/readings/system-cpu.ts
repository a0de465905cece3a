/** Whole-machine CPU time counters, from /proc/stat on Linux and `os.cpus()` elsewhere. */
import { cpus } from 'node:os';
import { readText } from './files';

/** Cumulative CPU time of all cores, in clock ticks (Linux) or ms (`os.cpus()`). */
export interface CpuTimes {
  busy: number;
  total: number;
}

/** Parses the aggregate `cpu` line of /proc/stat. Idle includes iowait; guest time is already in user. */
export function parseProcStat(text: string): CpuTimes | undefined {
  const end = text.indexOf('\n');
  const line = end < 0 ? text : text.slice(0, end);
  if (!line.startsWith('cpu ')) return undefined;
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (fields.length < 4 || fields.some((n) => !Number.isFinite(n))) return undefined;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
    fields;
  const idleAll = idle + iowait;
  const total = user + nice + system + idleAll + irq + softirq + steal;
  return { busy: total - idleAll, total };
}

function fromOsCpus(): CpuTimes {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const sum = times.user + times.nice + times.sys + times.idle + times.irq;
    total += sum;
    busy += sum - times.idle;
  }
  return { busy, total };
}

/** Reads the machine's cumulative CPU counters without spawning anything. */
export function readCpuTimes(root: string): CpuTimes {
  const stat = readText(root, 'proc/stat');
  return (stat && parseProcStat(stat)) || fromOsCpus();
}

/** Busy share of the machine between two readings, as a percentage 0–100. */
export function cpuPercent(previous: CpuTimes, current: CpuTimes): number {
  const total = current.total - previous.total;
  if (total <= 0) return 0;
  return Math.min(100, Math.max(0, ((current.busy - previous.busy) / total) * 100));
}
