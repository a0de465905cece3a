/**
 * One node of `GET /api/pulse/nodes` as the card shows it. The collector sends the heartbeat as
 * the agent wrote it (any SDK version, or the original Go agent) plus its own verdict, so every
 * field is read defensively: a missing or mistyped field reads as `null` and the rest is kept.
 */
import { at, bool, isRecord, num, str } from '../api/read';

/** The server's verdict from the Redis clock; `unknown` when the reply carries none. */
export type NodeStatus = 'online' | 'stale' | 'offline' | 'unknown';

/** The latest result of one availability check. */
export interface PulseCheck {
  name: string;
  type: 'http' | 'tcp' | null;
  target: string | null;
  up: boolean;
  /** Milliseconds. */
  latencyMs: number | null;
  /** HTTP status code. */
  statusCode: number | null;
  method: string | null;
  error: string | null;
  /** Days until the TLS certificate expires. */
  certDaysLeft: number | null;
  /** Epoch milliseconds. */
  checkedAt: number | null;
}

/** One Laravel queue worker process seen by the Go agent. */
export interface LaravelWorker {
  pid: number | null;
  cmdline: string | null;
  memoryBytes: number | null;
  /** % of one core. */
  cpuPercent: number | null;
  /** The process state as the OS reports it (`sleep`, `running`, …). */
  status: string | null;
}

/** The Go agent's `meta.laravel` block. */
export interface LaravelInfo {
  workerCount: number;
  roots: string[];
  workers: LaravelWorker[];
}

/** A node as the card shows it, every unit in its name. */
export interface PulseNode {
  id: string;
  service: string;
  /** The runtime (`node`, `bun`, `deno`, `php`, `go`, `python`, or anything else). */
  language: string | null;
  version: string | null;
  pid: number | null;
  hostname: string | null;
  platform: string | null;
  status: NodeStatus;
  /** Age of the last beat by the server's clock, milliseconds. */
  ageMs: number | null;
  /** When the last beat was taken, epoch milliseconds. */
  lastSeenAt: number | null;
  uptimeSeconds: number | null;
  cpu: {
    /** % of the machine (or of the container's CPU quota), 0–100. */
    systemPercent: number | null;
    /** % of one core; above 100 when the process keeps several cores busy. */
    processPercent: number | null;
    cores: number | null;
  };
  memory: {
    totalBytes: number | null;
    usedBytes: number | null;
    availableBytes: number | null;
    rssBytes: number | null;
    /** `null` where the agent has no heap of its own (the Go agent copies RSS into it). */
    heapUsedBytes: number | null;
    heapTotalBytes: number | null;
  };
  eventLoop: { p50Ms: number | null; p99Ms: number | null; maxMs: number | null; utilization: number | null } | null;
  container: { memoryLimitBytes: number | null; cpuQuotaCores: number | null } | null;
  checks: PulseCheck[];
  laravel: LaravelInfo | null;
  /** The agent's own view (`online`, `degraded`, `error`), distinct from the server's status. */
  runtimeStatus: string | null;
  runtimeErrors: string[];
}

const STATUSES: readonly NodeStatus[] = ['online', 'stale', 'offline'];

/**
 * Reads one node of the nodes reply. `service` is the reply's grouping key, used when the node
 * itself does not name one. Returns `null` only when there is no node id to show.
 */
export function readNode(value: unknown, service?: string): PulseNode | null {
  if (!isRecord(value)) {
    return null;
  }
  const id = str(value.id);
  if (!id) {
    return null;
  }
  const language = str(value.language);
  const status = str(value.status);
  const total = num(at(value, 'memory', 'system', 'total'));
  const available = num(at(value, 'memory', 'system', 'available')) ?? num(at(value, 'memory', 'system', 'free'));
  const used =
    num(at(value, 'memory', 'system', 'used')) ?? (total !== null && available !== null ? total - available : null);
  const rss = num(at(value, 'memory', 'process', 'rss'));
  // The Go agent has no separate heap figure and repeats RSS, which would read as a full heap.
  const hasHeap = language !== 'go';
  return {
    id,
    service: str(value.service) ?? service ?? '',
    language,
    version: str(value.version),
    pid: num(value.pid),
    hostname: str(value.hostname),
    platform: str(value.platform),
    status: STATUSES.find((s) => s === status) ?? 'unknown',
    ageMs: num(value.ageMs),
    lastSeenAt: num(value.lastSeenAt) ?? num(value.timestamp),
    uptimeSeconds: num(at(value, 'runtime', 'uptime')),
    cpu: {
      systemPercent: num(at(value, 'cpu', 'system')),
      processPercent: num(at(value, 'cpu', 'process')),
      cores: num(at(value, 'cpu', 'cores')),
    },
    memory: {
      totalBytes: total,
      usedBytes: used,
      availableBytes: available,
      rssBytes: rss,
      heapUsedBytes: hasHeap ? num(at(value, 'memory', 'process', 'heapUsed')) : null,
      heapTotalBytes: hasHeap ? num(at(value, 'memory', 'process', 'heapTotal')) : null,
    },
    eventLoop: readEventLoop(value.eventLoop),
    container: readContainer(value.container),
    checks: Array.isArray(value.checks) ? value.checks.flatMap((c) => readCheck(c) ?? []) : [],
    laravel: readLaravel(at(value, 'meta', 'laravel')),
    runtimeStatus: str(at(value, 'runtime', 'status')),
    runtimeErrors: strings(at(value, 'runtime', 'errors')),
  };
}

/** Reads every node of a nodes reply (`{ nodes: { service: [...] } }`), dropping unreadable ones. */
export function readNodes(reply: unknown): PulseNode[] {
  const nodes = isRecord(reply) ? reply.nodes : undefined;
  if (!isRecord(nodes)) {
    return [];
  }
  return Object.entries(nodes).flatMap(([service, list]) =>
    Array.isArray(list) ? list.flatMap((node) => readNode(node, service) ?? []) : []
  );
}

function readEventLoop(value: unknown): PulseNode['eventLoop'] {
  if (!isRecord(value)) {
    return null;
  }
  const loop = {
    p50Ms: num(value.p50),
    p99Ms: num(value.p99),
    maxMs: num(value.max),
    utilization: num(value.utilization),
  };
  return Object.values(loop).some((v) => v !== null) ? loop : null;
}

function readContainer(value: unknown): PulseNode['container'] {
  if (!isRecord(value)) {
    return null;
  }
  const memoryLimitBytes = num(value.memoryLimit);
  const cpuQuotaCores = num(value.cpuQuota);
  return memoryLimitBytes === null && cpuQuotaCores === null ? null : { memoryLimitBytes, cpuQuotaCores };
}

function readCheck(value: unknown): PulseCheck | null {
  const up = isRecord(value) ? bool(value.up) : null;
  if (!isRecord(value) || up === null) {
    // Without `up` there is nothing true to show for the check.
    return null;
  }
  const type = str(value.type);
  return {
    name: str(value.name) ?? str(value.target) ?? 'check',
    type: type === 'http' || type === 'tcp' ? type : null,
    target: str(value.target),
    up,
    latencyMs: num(value.latencyMs),
    statusCode: num(value.status),
    method: str(value.method),
    error: str(value.error),
    certDaysLeft: num(value.certDaysLeft),
    checkedAt: num(value.checkedAt),
  };
}

function readLaravel(value: unknown): LaravelInfo | null {
  if (!isRecord(value)) {
    return null;
  }
  const workers = Array.isArray(value.workers)
    ? value.workers.filter(isRecord).map((w) => ({
        pid: num(w.pid),
        cmdline: str(w.cmdline),
        memoryBytes: num(w.memory),
        cpuPercent: num(w.cpu),
        status: str(w.status),
      }))
    : [];
  return { workerCount: num(value.workerCount) ?? workers.length, roots: strings(value.roots), workers };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
