/**
 * One node of `GET /api/pulse/nodes` as the card shows it. The collector sends the heartbeat as
 * the agent wrote it (any SDK version, or the original Go agent) plus its own verdict, so every
 * field is read defensively: a missing, mistyped or out-of-range field reads as `null`, lists
 * and strings are cut to the bounds of `api/limits`, and the rest of the node is kept.
 */
import { MAX_CHECKS, MAX_CORES, MAX_DURATION_MS, MAX_NODES, MAX_PID, MAX_RUNTIME_ERRORS } from '../api/limits';
import {
  at,
  bytes,
  clamped,
  durationMs,
  epochMs,
  field,
  id,
  inRange,
  isRecord,
  label,
  listOf,
  text,
} from '../api/read';
import { readCheck, readContainer, readEventLoop, readLaravel, texts } from './node-parts';

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

/**
 * Reads one node of the nodes reply. `service` is the reply's grouping key, used when the node
 * itself does not name one. Returns `null` when there is no node id to show, or when the id or
 * service is too long to be one (see `MAX_ID_LENGTH`). Never throws.
 */
export function readNode(value: unknown, service?: string): PulseNode | null {
  if (!isRecord(value)) {
    return null;
  }
  const nodeId = id(field(value, 'id'));
  const owner = serviceOf(field(value, 'service'), service);
  if (nodeId === null || owner === null) {
    return null;
  }
  const language = label(field(value, 'language'));
  // Each nested block is looked up once; a missing or mistyped one reads as `undefined`, so its
  // fields read as absent, as `at` would read them.
  const cpu = field(value, 'cpu');
  const memory = field(value, 'memory');
  const system = field(memory, 'system');
  const own = field(memory, 'process');
  const runtime = field(value, 'runtime');
  const total = bytes(field(system, 'total'));
  const available = bytes(field(system, 'available')) ?? bytes(field(system, 'free'));
  const used = bytes(field(system, 'used')) ?? (total !== null && available !== null ? bytes(total - available) : null);
  // The Go agent has no separate heap figure and repeats RSS, which would read as a full heap.
  const hasHeap = language !== 'go';
  return {
    id: nodeId,
    service: owner,
    language,
    version: label(field(value, 'version')),
    pid: inRange(field(value, 'pid'), 0, MAX_PID),
    hostname: text(field(value, 'hostname')),
    platform: label(field(value, 'platform')),
    status: statusOf(field(value, 'status')),
    ageMs: durationMs(field(value, 'ageMs')),
    lastSeenAt: epochMs(field(value, 'lastSeenAt')) ?? epochMs(field(value, 'timestamp')),
    uptimeSeconds: inRange(field(runtime, 'uptime'), 0, MAX_DURATION_MS / 1000),
    cpu: {
      systemPercent: clamped(field(cpu, 'system'), 0, 100),
      processPercent: clamped(field(cpu, 'process'), 0, 100 * MAX_CORES),
      cores: inRange(field(cpu, 'cores'), 0, MAX_CORES),
    },
    memory: {
      totalBytes: total,
      usedBytes: used,
      availableBytes: available,
      rssBytes: bytes(field(own, 'rss')),
      heapUsedBytes: hasHeap ? bytes(field(own, 'heapUsed')) : null,
      heapTotalBytes: hasHeap ? bytes(field(own, 'heapTotal')) : null,
    },
    eventLoop: readEventLoop(field(value, 'eventLoop')),
    container: readContainer(field(value, 'container')),
    checks: listOf(field(value, 'checks'), MAX_CHECKS, readCheck),
    laravel: readLaravel(at(value, 'meta', 'laravel')),
    runtimeStatus: label(field(runtime, 'status')),
    runtimeErrors: texts(field(runtime, 'errors'), MAX_RUNTIME_ERRORS),
  };
}

/** The server's verdict; anything else, or none, is `unknown`. */
function statusOf(value: unknown): NodeStatus {
  return value === 'online' || value === 'stale' || value === 'offline' ? value : 'unknown';
}

/**
 * Reads every node of a nodes reply (`{ nodes: { service: [...] } }`) as {@link readNodes} does,
 * handing each readable one to `visit` with the entry it was read from, for what only some
 * callers read of it (its queues). Unreadable entries are skipped, at most `MAX_NODES` are read.
 */
export function eachNode(reply: unknown, visit: (node: PulseNode, raw: unknown) => void): void {
  const nodes = field(reply, 'nodes');
  if (!isRecord(nodes)) {
    return;
  }
  let read = 0;
  for (const [service, list] of Object.entries(nodes)) {
    if (!Array.isArray(list)) {
      continue;
    }
    for (const raw of list) {
      if (read >= MAX_NODES) {
        return;
      }
      const node = readNode(raw, service);
      if (node !== null) {
        read += 1;
        visit(node, raw);
      }
    }
  }
}

/**
 * Reads every node of a nodes reply (`{ nodes: { service: [...] } }`), dropping unreadable ones,
 * at most `MAX_NODES` in all. Never throws.
 */
export function readNodes(reply: unknown): PulseNode[] {
  const out: PulseNode[] = [];
  eachNode(reply, (node) => out.push(node));
  return out;
}

/**
 * The node's own service when it names one as a string, else the reply's grouping key; `null`
 * when the one that applies cannot be an id, so the node is not filed under another service.
 */
function serviceOf(own: unknown, group: string | undefined): string | null {
  if (typeof own === 'string') {
    return id(own);
  }
  return group === undefined || group === '' ? '' : id(group);
}
