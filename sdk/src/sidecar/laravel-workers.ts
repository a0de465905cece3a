/**
 * Finds the Laravel queue workers on the host by walking `/proc` (see `laravel-command.ts` for
 * which processes count) and reports them as the Go agent's `meta.laravel` does:
 * `{ workerCount, roots, workers }`, with `null` lists when there are none.
 */
import { join } from 'node:path';
import { workerCommandOf } from './laravel-command';
import type { WorkerCommand } from './laravel-command';
import {
  CLOCK_TICKS_PER_SECOND,
  listPids,
  readArgv,
  readCwd,
  readRssBytes,
  readStat,
  readUptimeSeconds,
  statusOf,
} from './proc-process';
import type { ProcStat } from './proc-process';

/** One worker process. */
export interface LaravelWorker {
  pid: number;
  /** Its arguments joined by spaces, e.g. `php artisan queue:work redis --queue=default`. */
  cmdline: string;
  /** Resident memory, bytes. */
  memory: number;
  /** % of one core over the last scan interval (since the process started, on first sight). */
  cpu: number;
  /** `running`, `sleep`, `disk-sleep`, `idle`, `zombie`, `stopped`, `dead` or `unknown`. */
  status: string;
}

/** `meta.laravel` of a heartbeat. */
export interface LaravelWorkers {
  workerCount: number;
  /** The distinct working directories of the workers (the Laravel apps), or null. */
  roots: string[] | null;
  workers: LaravelWorker[] | null;
}

interface Candidate {
  pid: number;
  argv: string[];
  command: WorkerCommand;
  stat: ProcStat;
}

/** CPU time of a process at one scan, for the next scan's delta. */
interface CpuMark {
  startTicks: number;
  cpuTicks: number;
  /** Seconds since boot. */
  at: number;
}

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/** Scans for Laravel workers; keeps each worker's CPU time between scans, for the deltas. */
export class LaravelWorkerScanner {
  private readonly procDir: string;
  /** Per pid, the CPU time seen at the previous scan; pids that went away are dropped. */
  private marks = new Map<number, CpuMark>();

  /** @param hostRoot the root under which `proc/` is read (the `hostRoot` setting). */
  constructor(hostRoot = '/') {
    this.procDir = join(hostRoot, 'proc');
  }

  /**
   * Scans `/proc` once. Synchronous, as the heartbeat's `meta()` is: it reads one small file
   * per process, and four more per worker.
   * @throws when `proc/` cannot be listed under the host root.
   */
  read(): LaravelWorkers {
    const now = readUptimeSeconds(this.procDir);
    const candidates = this.candidates();
    const listeners = new Set(
      candidates.filter((c) => c.command === 'queue:listen').map((c) => c.pid),
    );
    const marks = new Map<number, CpuMark>();
    const workers: LaravelWorker[] = [];
    const roots: string[] = [];
    for (const c of candidates) {
      // queue:listen runs each job in a short-lived `queue:work --once` child: count the listener once.
      if (listeners.has(c.stat.ppid)) continue;
      workers.push({
        pid: c.pid,
        cmdline: c.argv.join(' '),
        memory: readRssBytes(this.procDir, c.pid),
        cpu: this.cpuPercent(c, now, marks),
        status: statusOf(c.stat.state),
      });
      const cwd = readCwd(this.procDir, c.pid);
      if (cwd !== undefined && !roots.includes(cwd)) roots.push(cwd);
    }
    this.marks = marks;
    return {
      workerCount: workers.length,
      roots: roots.length > 0 ? roots : null,
      workers: workers.length > 0 ? workers : null,
    };
  }

  private candidates(): Candidate[] {
    const out: Candidate[] = [];
    for (const pid of listPids(this.procDir)) {
      const argv = readArgv(this.procDir, pid);
      const command = argv && workerCommandOf(argv);
      if (!argv || !command) continue;
      const stat = readStat(this.procDir, pid);
      if (stat) out.push({ pid, argv, command, stat });
    }
    return out;
  }

  /** % of one core since the previous scan, or since the process started on first sight. */
  private cpuPercent(c: Candidate, now: number | undefined, marks: Map<number, CpuMark>): number {
    const { cpuTicks, startTicks } = c.stat;
    const previous = this.marks.get(c.pid);
    const same = previous !== undefined && previous.startTicks === startTicks;
    if (now === undefined || (same && now <= previous.at)) {
      // No clock, or no time passed: keep the old mark so the next scan has a real interval.
      if (same) marks.set(c.pid, previous);
      return 0;
    }
    marks.set(c.pid, { startTicks, cpuTicks, at: now });
    const ticks = same ? cpuTicks - previous.cpuTicks : cpuTicks;
    const seconds = same ? now - previous.at : now - startTicks / CLOCK_TICKS_PER_SECOND;
    if (seconds <= 0 || ticks < 0) return 0;
    return round4((ticks / CLOCK_TICKS_PER_SECOND / seconds) * 100);
  }
}
