/**
 * cgroup v1 and v2 limits and usage, so "system" figures stay honest inside Docker and
 * Kubernetes. Only files are read; directories are resolved once by `detectCgroup`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseKeyValues, readText } from './files';

/** Where this process's cgroup controllers live, relative to the filesystem root. */
export interface CgroupPaths {
  version: 1 | 2;
  /** Directories from the process's own cgroup up to the hierarchy root (limits are inherited). */
  memoryDirs: string[];
  cpuDirs: string[];
  /** v1 keeps CPU usage in cpuacct; v2 in the same directory as cpu.max. */
  cpuUsageDir?: string;
}

/** Limits in force; undefined means unlimited. */
export interface CgroupLimits {
  /** Bytes. */
  memoryLimit?: number;
  /** Cores: quota ÷ period. */
  cpuQuota?: number;
}

/** Cumulative usage counters. */
export interface CgroupUsage {
  /** Bytes in use minus reclaimable page cache (the working set, as the OOM killer sees it). */
  memoryWorkingSet?: number;
  /** CPU time consumed, microseconds. */
  cpuUsageUs?: number;
}

const MOUNT = 'sys/fs/cgroup';

/** Directories from `leaf` up to `top`, keeping only those that exist under `root`. */
function chain(root: string, top: string, cgroupPath: string): string[] {
  const dirs: string[] = [];
  const parts = cgroupPath.split('/').filter(Boolean);
  for (let i = parts.length; i >= 0; i--) {
    const dir = join(top, ...parts.slice(0, i));
    if (existsSync(join(root, dir))) dirs.push(dir);
  }
  return dirs;
}

/** v1 mount directories per controller; distributions co-mount cpu and cpuacct either way. */
const V1_MOUNTS: Record<string, string[]> = {
  memory: ['memory'],
  cpu: ['cpu', 'cpu,cpuacct', 'cpuacct,cpu'],
  cpuacct: ['cpuacct', 'cpu,cpuacct', 'cpuacct,cpu'],
};

function v1Controller(root: string, lines: string[][], name: string): string[] {
  const entry = lines.find(([, controllers]) => controllers?.split(',').includes(name));
  if (!entry) return [];
  const mount = (V1_MOUNTS[name] ?? [name])
    .map((dir) => `${MOUNT}/${dir}`)
    .find((dir) => existsSync(join(root, dir)));
  return mount ? chain(root, mount, entry[2] ?? '/') : [];
}

/** Resolves the process's cgroup directories, or undefined outside Linux cgroups. */
export function detectCgroup(root: string): CgroupPaths | undefined {
  const text = readText(root, 'proc/self/cgroup');
  if (!text) return undefined;
  const lines = text
    .trim()
    .split('\n')
    .map((line) => {
      const [id, controllers, ...path] = line.split(':');
      return [id ?? '', controllers ?? '', path.join(':')];
    });
  const unified = lines.find(([id, controllers]) => id === '0' && controllers === '');
  const hasV1 = lines.some(([, controllers]) => controllers?.split(',').includes('memory'));
  if (unified && !hasV1 && existsSync(join(root, MOUNT, 'cgroup.controllers'))) {
    const dirs = chain(root, MOUNT, unified[2] ?? '/');
    return { version: 2, memoryDirs: dirs, cpuDirs: dirs, cpuUsageDir: dirs[0] };
  }
  const memoryDirs = v1Controller(root, lines, 'memory');
  const cpuDirs = v1Controller(root, lines, 'cpu');
  const cpuUsageDir = v1Controller(root, lines, 'cpuacct')[0];
  if (memoryDirs.length === 0 && cpuDirs.length === 0) return undefined;
  return { version: 1, memoryDirs, cpuDirs, cpuUsageDir };
}

function numberIn(root: string, dir: string, file: string): number | undefined {
  const text = readText(root, join(dir, file))?.trim();
  if (!text || text === 'max') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * cgroup v1 writes "no limit" as LONG_MAX rounded down to a page (9223372036854771712); any
 * value this large is not a limit a machine could have.
 */
const V1_UNLIMITED = 2 ** 62;

function minDefined(values: Array<number | undefined>): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined && v > 0 && v < V1_UNLIMITED);
  return defined.length ? Math.min(...defined) : undefined;
}

function cpuQuotaOf(root: string, version: 1 | 2, dir: string): number | undefined {
  if (version === 2) {
    const [quota, period] = (readText(root, join(dir, 'cpu.max')) ?? '').trim().split(/\s+/);
    if (!quota || quota === 'max' || !period) return undefined;
    return Number(quota) / Number(period);
  }
  const quota = numberIn(root, dir, 'cpu.cfs_quota_us');
  const period = numberIn(root, dir, 'cpu.cfs_period_us');
  return quota !== undefined && quota > 0 && period ? quota / period : undefined;
}

/** Reads the tightest memory limit and CPU quota on the path to the root. */
export function readCgroupLimits(root: string, paths: CgroupPaths): CgroupLimits {
  const memoryFile = paths.version === 2 ? 'memory.max' : 'memory.limit_in_bytes';
  return {
    memoryLimit: minDefined(paths.memoryDirs.map((dir) => numberIn(root, dir, memoryFile))),
    cpuQuota: minDefined(paths.cpuDirs.map((dir) => cpuQuotaOf(root, paths.version, dir))),
  };
}

/** Reads the process's cgroup memory working set and cumulative CPU time. */
export function readCgroupUsage(root: string, paths: CgroupPaths): CgroupUsage {
  const usage: CgroupUsage = {};
  const memoryDir = paths.memoryDirs[0];
  if (memoryDir) {
    const v2 = paths.version === 2;
    const current = numberIn(root, memoryDir, v2 ? 'memory.current' : 'memory.usage_in_bytes');
    const stat = parseKeyValues(readText(root, join(memoryDir, 'memory.stat')) ?? '');
    const inactive = stat.get(v2 ? 'inactive_file' : 'total_inactive_file') ?? 0;
    if (current !== undefined) usage.memoryWorkingSet = Math.max(0, current - inactive);
  }
  if (paths.cpuUsageDir) {
    if (paths.version === 2) {
      const stat = parseKeyValues(readText(root, join(paths.cpuUsageDir, 'cpu.stat')) ?? '');
      usage.cpuUsageUs = stat.get('usage_usec');
    } else {
      const ns = numberIn(root, paths.cpuUsageDir, 'cpuacct.usage');
      if (ns !== undefined) usage.cpuUsageUs = ns / 1000;
    }
  }
  return usage;
}
