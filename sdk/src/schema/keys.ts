/**
 * The only place that builds `gravito:quasar:*` key strings and channel names. Every reader
 * and writer (SDK, collector, plugin) goes through these builders, so the namespace can only
 * drift in one file.
 */
import { isNodeId, isServiceName } from './names';

/** Prefix shared by every Quasar key and channel. */
export const QUASAR_NAMESPACE = 'gravito:quasar:' as const;

const NODE_PREFIX = `${QUASAR_NAMESPACE}node:` as const;
const CMD_PREFIX = `${QUASAR_NAMESPACE}cmd:` as const;
const SLOW_PREFIX = `${QUASAR_NAMESPACE}slow:` as const;
const LEASE_PREFIX = `${QUASAR_NAMESPACE}lease:` as const;
const NODE_INDEX = `${QUASAR_NAMESPACE}nodes` as const;
const QUEUES_PREFIX = `${QUASAR_NAMESPACE}queues:` as const;

/**
 * How an agent lays out its keys.
 * - `v1`: the originals' layout, one fleet-wide node index; what the original agents and Zenith
 *   read, and the default on a single Redis.
 * - `v2`: the cluster layout. The service name sits in a hash tag (`{orders}`), so every key of
 *   one service hashes to one slot: one `MGET`, one script and one `XREADGROUP` per service,
 *   and no fleet-wide key written on every beat. The default on a Redis Cluster.
 */
export type KeyLayout = 'v1' | 'v2';
export const KEY_LAYOUTS: readonly KeyLayout[] = ['v1', 'v2'];

/** `{service}`: the hash tag of a service's v2 keys. */
function tag(service: string): string {
  return `{${service}}`;
}

/** Builders for every key and channel in the Quasar namespace. */
export const QuasarKeys = {
  /** Heartbeat string key: `gravito:quasar:node:{service}:{nodeId}` (SET … EX ttl). */
  node(service: string, nodeId: string): string {
    return `${NODE_PREFIX}${service}:${nodeId}`;
  },
  /** SCAN pattern matching every heartbeat key, for agents that never write the node index. */
  nodeScanPattern: `${NODE_PREFIX}*` as const,
  /** SCAN pattern matching every Quasar key: one keyspace walk finds nodes and streams. */
  namespaceScanPattern: `${QUASAR_NAMESPACE}*` as const,
  /** Sorted set of heartbeat keys; score = the last beat in epoch ms. */
  nodeIndex: NODE_INDEX,
  /** Hash of queue snapshots for one service; field = queue name. */
  queues(service: string): string {
    return `${QUEUES_PREFIX}${service}`;
  },
  /** Stream of slow requests and slow jobs for one service. */
  slowLog(service: string): string {
    return `${SLOW_PREFIX}${service}`;
  },
  /** SCAN pattern matching every slow-log stream. */
  slowLogScanPattern: `${SLOW_PREFIX}*` as const,
  /** Command channel of one node. */
  commandChannel(service: string, nodeId: string): string {
    return `${CMD_PREFIX}${service}:${nodeId}`;
  },
  /** Service-wide command channel: the literal `*`, not a pattern. */
  broadcastChannel(service: string): string {
    return `${CMD_PREFIX}${service}:*`;
  },
  /** Result of one command: a JSON `CommandResult`, kept `COMMAND_KEY_TTL_SECONDS`. */
  commandResult(commandId: string): string {
    return `${CMD_PREFIX}result:${commandId}`;
  },
  /**
   * The job an `INSPECT_JOB` returned: a JSON `InspectedJob`, or a `SealedJob` where commands
   * are signed, kept `INSPECTED_JOB_TTL_SECONDS` because it holds a payload. Built like
   * `commandResult` (no hash tag of its own), so the two share slot rules on a cluster; the
   * result, kept the full hour, says `hasJob: true`.
   */
  commandJob(commandId: string): string {
    return `${CMD_PREFIX}job:${commandId}`;
  },
  /** Channel on which agents PUBLISH every command result as it is written. */
  commandResultsChannel: `${CMD_PREFIX}results` as const,
  /**
   * Claim of one command id (`SET NX` with a TTL): the first node to set it executes the
   * command; any later delivery of the same id is a replay or a sibling's copy of a broadcast.
   */
  commandClaim(commandId: string): string {
    return `${CMD_PREFIX}claim:${commandId}`;
  },
  /**
   * The record of a command the collector issued (`{deadline, service, nodeId, type, queue}`,
   * JSON, kept `COMMAND_KEY_TTL_SECONDS`), so any collector replica can tell `pending` from `expired` from
   * unknown.
   */
  commandIssued(commandId: string): string {
    return `${CMD_PREFIX}issued:${commandId}`;
  },
  /**
   * Hash of who paused which queue of one service through Quasar: field = queue name, value =
   * a JSON `PauseRecord`. The collector writes a field when it issues `PAUSE_QUEUE` and
   * deletes it when it issues `RESUME_QUEUE`; the hash expires `PAUSE_RECORD_TTL_SECONDS`
   * after its last write. Always hash-tagged, so it shares the slot of the service's v2 keys.
   */
  queuePauses(service: string): string {
    return `${QUASAR_NAMESPACE}paused:${tag(service)}`;
  },
  /** Stream of audit entries: who issued which command, when, and its outcome. */
  audit: `${QUASAR_NAMESPACE}audit` as const,
  /**
   * Sorted set of the live collector replicas: member = replica id, score = its last
   * announcement on the Redis server's clock (epoch ms).
   */
  collectors: `${QUASAR_NAMESPACE}collectors` as const,
  /**
   * Lease on one service's export (`SET NX PX`, value = the holder's token): only the replica
   * holding it exports the service's metrics.
   */
  lease(service: string): string {
    return `${LEASE_PREFIX}service:${service}`;
  },
  /** Lease on the fleet-wide chores (SCAN for original agents, node index pruning). */
  scanLease: `${LEASE_PREFIX}scan` as const,
  /** Pattern matching every lease key (ACL rules). */
  leasePattern: `${LEASE_PREFIX}*` as const,
  /**
   * Sorted set of the services with a slow-log stream, as the last SCAN found them: member =
   * service, score = that SCAN (epoch ms). Written by the collector replica holding the scan
   * lease, read by the others.
   */
  streamIndex: `${QUASAR_NAMESPACE}streams` as const,
  /**
   * Sorted set of the services writing the v2 layout: member = service, score = when an agent
   * of it last announced itself (epoch ms). Agents refresh it at start and about once a minute,
   * not every beat, so no one key carries the fleet's write rate.
   */
  services: `${QUASAR_NAMESPACE}services` as const,
  /**
   * The v2 (cluster) layout: the same prefixes as v1, so ACL patterns and the originals'
   * `SCAN MATCH gravito:quasar:node:*` still match, with the service in a hash tag.
   */
  v2: {
    /** Heartbeat string key: `gravito:quasar:node:{service}:{nodeId}`. */
    node(service: string, nodeId: string): string {
      return `${NODE_PREFIX}${tag(service)}:${nodeId}`;
    },
    /** The service's own node index: `gravito:quasar:nodes:{service}`, same slot as its nodes. */
    nodeIndex(service: string): string {
      return `${NODE_INDEX}:${tag(service)}`;
    },
    /** Hash of queue snapshots: `gravito:quasar:queues:{service}`. */
    queues(service: string): string {
      return `${QUEUES_PREFIX}${tag(service)}`;
    },
    /** Slow-log stream: `gravito:quasar:slow:{service}`. */
    slowLog(service: string): string {
      return `${SLOW_PREFIX}${tag(service)}`;
    },
  },
} as const;

/** The keys one agent writes, in the layout it was configured with. */
export interface ServiceKeys {
  readonly layout: KeyLayout;
  node(nodeId: string): string;
  /** The node index this agent's beats go into (fleet-wide in v1, the service's own in v2). */
  readonly nodeIndex: string;
  readonly queues: string;
  readonly slowLog: string;
}

/** The keys of `service` in `layout`. */
export function serviceKeys(service: string, layout: KeyLayout): ServiceKeys {
  if (layout === 'v2') {
    const { v2 } = QuasarKeys;
    return {
      layout,
      node: (nodeId) => v2.node(service, nodeId),
      nodeIndex: v2.nodeIndex(service),
      queues: v2.queues(service),
      slowLog: v2.slowLog(service),
    };
  }
  return {
    layout,
    node: (nodeId) => QuasarKeys.node(service, nodeId),
    nodeIndex: QuasarKeys.nodeIndex,
    queues: QuasarKeys.queues(service),
    slowLog: QuasarKeys.slowLog(service),
  };
}

/** A service name inside a v2 hash tag, or undefined when `text` is not `{service}`. */
function untag(text: string): string | undefined {
  if (text.length < 3 || text[0] !== '{' || text[text.length - 1] !== '}') return undefined;
  const service = text.slice(1, -1);
  return isServiceName(service) ? service : undefined;
}

/**
 * Seconds a command's claim, its result and the collector's record of it live: one hour, long
 * enough for an operator to read the outcome, and for a replayed message to find its claim.
 */
export const COMMAND_KEY_TTL_SECONDS = 3600;

/**
 * Seconds an inspected job (`QuasarKeys.commandJob`) lives: long enough for the collector to
 * read it, short because it holds a payload (sealed where commands are signed, in clear
 * otherwise). The command's result outlives it, so the outcome still reads.
 */
export const INSPECTED_JOB_TTL_SECONDS = 300;

/** Service and node id recovered from a heartbeat key, and the layout the key is in. */
export interface NodeKeyParts {
  service: string;
  nodeId: string;
  layout: KeyLayout;
}

/**
 * Splits a heartbeat key into service and node id, or returns undefined for anything that is
 * not a heartbeat key of the grammar in `names.ts` (a node index member, for one, is data any
 * agent can write). The originals do not escape either part; the split happens at the first
 * `:` after the prefix, which a service name cannot hold.
 */
export function parseNodeKey(key: string): NodeKeyParts | undefined {
  if (typeof key !== 'string' || !key.startsWith(NODE_PREFIX)) return undefined;
  const rest = key.slice(NODE_PREFIX.length);
  if (rest.startsWith('{')) {
    const close = rest.indexOf('}:');
    if (close <= 0) return undefined;
    const service = untag(rest.slice(0, close + 1));
    const nodeId = rest.slice(close + 2);
    return service !== undefined && isNodeId(nodeId)
      ? { service, nodeId, layout: 'v2' }
      : undefined;
  }
  const colon = rest.indexOf(':');
  if (colon <= 0) return undefined;
  const service = rest.slice(0, colon);
  const nodeId = rest.slice(colon + 1);
  return isServiceName(service) && isNodeId(nodeId) ? { service, nodeId, layout: 'v1' } : undefined;
}

/** The service of a v2 per-service node index (`gravito:quasar:nodes:{service}`), if it is one. */
export function parseNodeIndexKey(key: string): string | undefined {
  const prefix = `${NODE_INDEX}:`;
  if (typeof key !== 'string' || !key.startsWith(prefix)) return undefined;
  return untag(key.slice(prefix.length));
}

/** The service of a slow-log stream key (either layout), or undefined for any other key. */
export function parseSlowLogKey(key: string): string | undefined {
  return parseSlowLogStream(key)?.service;
}

/** The service and layout of a slow-log stream key, or undefined for any other key. */
export function parseSlowLogStream(
  key: string,
): { service: string; layout: KeyLayout } | undefined {
  if (typeof key !== 'string' || !key.startsWith(SLOW_PREFIX)) return undefined;
  const rest = key.slice(SLOW_PREFIX.length);
  if (rest.startsWith('{')) {
    const service = untag(rest);
    return service === undefined ? undefined : { service, layout: 'v2' };
  }
  return isServiceName(rest) ? { service: rest, layout: 'v1' } : undefined;
}

/** Seconds a heartbeat key lives: three intervals, never less than 30 s (the originals' TTL). */
export function heartbeatTtlSeconds(intervalMs: number): number {
  return Math.max(30, Math.ceil((3 * intervalMs) / 1000));
}
