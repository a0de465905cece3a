/**
 * The page's copy of the fleet, kept current by the collector's replies: a whole snapshot (a
 * nodes reply or a stream's `pulse` event) replaces it, a `delta` event patches it. Pure, and
 * every byte is read through the bounded readers: a delta that is not one is refused as a whole
 * (`null`), never half-applied.
 */
import { MAX_NODES, MAX_QUEUES } from '../../api/limits';
import { epochMs, field, id, inRange, isRecord } from '../../api/read';
import { eachNode, type PulseNode } from '../../pulse/node';

/** A node's raw heartbeat queues, keyed like {@link nodeKey}; a node without any has no entry. */
export type QueuesByNode = ReadonlyMap<string, unknown[]>;

/** Each service's raw queue snapshots, as the collector's `queues` map has them. */
export type QueuesByService = ReadonlyMap<string, unknown[]>;

/** What the page holds of the fleet. */
export interface FleetState {
  /** By {@link nodeKey}. */
  nodes: ReadonlyMap<string, PulseNode>;
  nodeQueues: QueuesByNode;
  serviceQueues: QueuesByService;
  /** The collector's clock at the last update, epoch ms. */
  serverTime: number | null;
  /** Nodes in the whole fleet, before the server's filters; `null` when the reply does not say. */
  total: number | null;
}

/** Nothing yet. */
export const EMPTY_FLEET: FleetState = {
  nodes: new Map(),
  nodeQueues: new Map(),
  serviceQueues: new Map(),
  serverTime: null,
  total: null,
};

/** Node ids are unique per service, not across services. */
export function nodeKey(service: string, nodeId: string): string {
  return `${service}\u0000${nodeId}`;
}

/**
 * Delta streams leave `ageMs` out (it changes every tick for every node): a node read without
 * one is aged once, when it arrives, from the server's clock, as a full stream ages it. The node
 * is the reader's own new object, so it is aged in place.
 */
function age(node: PulseNode, serverTime: number | null): PulseNode {
  if (node.ageMs === null && serverTime !== null && node.lastSeenAt !== null) {
    node.ageMs = Math.max(0, serverTime - node.lastSeenAt);
  }
  return node;
}

/**
 * Reads the nodes of a reply against the known ones, handing `visit` each node's key, its object
 * (the previous one when its last beat and verdict did not change: the views compare nodes by
 * identity first, so unchanged ones skip rendering) and its own raw queue list when it carries a
 * non-empty one.
 */
function readAgainst(
  known: ReadonlyMap<string, PulseNode>,
  reply: unknown,
  serverTime: number | null,
  visit: (key: string, node: PulseNode, queues: unknown[] | null) => void
): void {
  eachNode(reply, (node, raw) => {
    const key = nodeKey(node.service, node.id);
    const old = known.get(key);
    const kept = old && old.lastSeenAt === node.lastSeenAt && old.status === node.status ? old : age(node, serverTime);
    const queues = field(raw, 'queues');
    visit(key, kept, Array.isArray(queues) && queues.length > 0 ? queues : null);
  });
}

/** Reads a nodes reply against the previous nodes, keeping the objects of unchanged ones. */
export function reconcile(previous: readonly PulseNode[], reply: unknown): PulseNode[] {
  const known = new Map(previous.map((node) => [nodeKey(node.service, node.id), node]));
  const out: PulseNode[] = [];
  readAgainst(known, reply, epochMs(field(reply, 'serverTime')), (_key, node) => out.push(node));
  return out;
}

/** The heartbeat's own `queues` list of every node in a nodes reply, as the agent sent it. */
export function readQueuesByNode(reply: unknown): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  const nodes = field(reply, 'nodes');
  if (!isRecord(nodes)) {
    return out;
  }
  for (const [service, list] of Object.entries(nodes)) {
    for (const node of Array.isArray(list) ? list : []) {
      const nodeId = field(node, 'id');
      if (typeof nodeId === 'string') {
        const own = field(node, 'service');
        const queues = field(node, 'queues');
        out.set(nodeKey(typeof own === 'string' ? own : service, nodeId), Array.isArray(queues) ? queues : []);
      }
    }
  }
  return out;
}

/** The `queues` map of a reply (service → snapshots), or `undefined` when it carries none. */
function readServiceQueues(value: unknown): Map<string, unknown[]> | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  const out = new Map<string, unknown[]>();
  for (const [service, queues] of Object.entries(value)) {
    if (out.size >= MAX_NODES) {
      break;
    }
    if (id(service) !== null && Array.isArray(queues)) {
      out.set(service, queues.slice(0, MAX_QUEUES));
    }
  }
  return out;
}

/** A whole snapshot: it replaces the fleet, keeping the objects of unchanged nodes. */
export function fromSnapshot(previous: FleetState, reply: unknown): FleetState {
  const serverTime = epochMs(field(reply, 'serverTime'));
  const nodes = new Map<string, PulseNode>();
  const nodeQueues = new Map<string, unknown[]>();
  readAgainst(previous.nodes, reply, serverTime, (key, node, queues) => {
    nodes.set(key, node);
    if (queues !== null) {
      nodeQueues.set(key, queues);
    }
  });
  return {
    nodes,
    nodeQueues,
    // A nodes reply has no queues: the last stream's stay until the next one.
    serviceQueues: readServiceQueues(field(reply, 'queues')) ?? previous.serviceQueues,
    serverTime,
    total: inRange(field(reply, 'total'), 0, Number.MAX_SAFE_INTEGER),
  };
}

/** `{service: [id, …]}` of a delta's `left`, or `null` when it is not one. */
function readLeft(value: unknown): Array<[string, string]> | null {
  if (!isRecord(value)) {
    return null;
  }
  const out: Array<[string, string]> = [];
  for (const [service, ids] of Object.entries(value)) {
    if (!Array.isArray(ids)) {
      return null;
    }
    for (const nodeId of ids) {
      if (typeof nodeId !== 'string' || out.length >= MAX_NODES) {
        return null;
      }
      out.push([service, nodeId]);
    }
  }
  return out;
}

/**
 * Applies a `delta` event: its nodes are new or changed, `left` names the nodes gone (or no longer
 * matching the filter), `queues` replaces services' queues and `queuesLeft` drops them. Returns
 * `null`, applying nothing, when the event is not a delta.
 */
export function applyDelta(state: FleetState, delta: unknown): FleetState | null {
  const left = readLeft(field(delta, 'left'));
  const changedQueues = readServiceQueues(field(delta, 'queues'));
  const queuesLeft = field(delta, 'queuesLeft');
  const serverTime = epochMs(field(delta, 'serverTime'));
  if (
    !isRecord(field(delta, 'nodes')) ||
    left === null ||
    changedQueues === undefined ||
    !Array.isArray(queuesLeft) ||
    queuesLeft.length > MAX_NODES ||
    serverTime === null
  ) {
    return null;
  }
  const nodes = new Map(state.nodes);
  const nodeQueues = new Map(state.nodeQueues);
  for (const [service, nodeId] of left) {
    nodes.delete(nodeKey(service, nodeId));
    nodeQueues.delete(nodeKey(service, nodeId));
  }
  readAgainst(state.nodes, delta, serverTime, (key, node, queues) => {
    if (nodes.has(key) || nodes.size < MAX_NODES) {
      nodes.set(key, node);
      if (queues !== null) {
        nodeQueues.set(key, queues);
      } else if (nodeQueues.size > 0) {
        nodeQueues.delete(key);
      }
    }
  });
  const serviceQueues = new Map(state.serviceQueues);
  for (const service of queuesLeft) {
    if (typeof service === 'string') {
      serviceQueues.delete(service);
    }
  }
  for (const [service, queues] of changedQueues) {
    serviceQueues.set(service, queues);
  }
  const total = inRange(field(delta, 'total'), 0, Number.MAX_SAFE_INTEGER);
  return { nodes, nodeQueues, serviceQueues, serverTime, total: total ?? state.total };
}
