/**
 * Reads one process's facts straight from `/proc/<pid>` under a host root: its arguments,
 * state, CPU time, resident memory and working directory. No `ps`, no child process. Every
 * reader returns undefined when the process is gone or the file is unreadable, which is
 * ordinary while walking /proc.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Clock ticks per second of the `/proc/<pid>/stat` times (USER_HZ). Fixed at 100 in the
 * kernel's user-space ABI on every architecture Node runs on; Node has no `sysconf()`.
 */
export const CLOCK_TICKS_PER_SECOND = 100;

/** The fields of `/proc/<pid>/stat` the sidecar uses. */
export interface ProcStat {
  /** The state letter: R, S, D, Z, T, t, I, X… */
  state: string;
  ppid: number;
  /** utime + stime, clock ticks. */
  cpuTicks: number;
  /** When the process started, clock ticks after boot. */
  startTicks: number;
}

function read(procDir: string, pid: number, file: string): string | undefined {
  try {
    return readFileSync(join(procDir, String(pid), file), 'utf8');
  } catch {
    return undefined;
  }
}

/** The pids in `procDir`. @throws when the directory cannot be listed (no /proc at this root). */
export function listPids(procDir: string): number[] {
  let names: string[];
  try {
    names = readdirSync(procDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(`cannot list ${procDir} (${code})`);
  }
  return names
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .sort((a, b) => a - b);
}

/** The arguments of a process, split on their NUL separators; empty for kernel threads and zombies. */
export function readArgv(procDir: string, pid: number): string[] | undefined {
  const text = read(procDir, pid, 'cmdline');
  if (text === undefined) return undefined;
  const args = text.split('\0');
  if (args[args.length - 1] === '') args.pop();
  return args;
}

/**
 * Parses a `/proc/<pid>/stat` line. The command name in parentheses may itself hold spaces and
 * parentheses, so fields are counted from the last `)`.
 */
export function parseStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  // Fields from 3 (state) on; utime and stime are fields 14 and 15, starttime is 22.
  const f = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const [state, ppid, utime, stime, start] = [f[0], f[1], f[11], f[12], f[19]];
  const numbers = [ppid, utime, stime, start].map(Number);
  if (!state || numbers.some((n) => !Number.isFinite(n))) return undefined;
  const [p = 0, u = 0, s = 0, st = 0] = numbers;
  return { state, ppid: p, cpuTicks: u + s, startTicks: st };
}

/** `/proc/<pid>/stat`, parsed. */
export function readStat(procDir: string, pid: number): ProcStat | undefined {
  const text = read(procDir, pid, 'stat');
  return text === undefined ? undefined : parseStat(text);
}

/** Resident memory in bytes, from `VmRSS` in `/proc/<pid>/status`; 0 when absent (zombies). */
export function readRssBytes(procDir: string, pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(read(procDir, pid, 'status') ?? '');
  return match?.[1] ? Number(match[1]) * 1024 : 0;
}

/**
 * The working directory, from the `/proc/<pid>/cwd` link. Reading another user's needs the
 * same user or `CAP_SYS_PTRACE`; without them this is undefined.
 */
export function readCwd(procDir: string, pid: number): string | undefined {
  try {
    return readlinkSync(join(procDir, String(pid), 'cwd'));
  } catch {
    return undefined;
  }
}

/** Seconds since boot, from `/proc/uptime`. */
export function readUptimeSeconds(procDir: string): number | undefined {
  try {
    const seconds = Number(readFileSync(join(procDir, 'uptime'), 'utf8').split(/\s+/)[0]);
    return Number.isFinite(seconds) ? seconds : undefined;
  } catch {
    return undefined;
  }
}

/** The state letter as the Go agent reports it (gopsutil's words, `sleep` included). */
export function statusOf(state: string): string {
  switch (state) {
    case 'R':
      return 'running';
    case 'S':
      return 'sleep';
    case 'D':
      return 'disk-sleep';
    case 'I':
      return 'idle';
    case 'Z':
      return 'zombie';
    case 'T':
    case 't':
      return 'stopped';
    case 'X':
    case 'x':
      return 'dead';
    default:
      return 'unknown';
  }
}
