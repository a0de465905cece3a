/**
 * The JSON of one node: the heartbeat exactly as the agent wrote it (the original Zenith
 * shape), plus the collector's verdict from the Redis clock.
 */
import type { NodeView } from '../nodes/node-view';
import type { PulseSnapshot } from '../cycle/pulse-state';

export interface NodesResponse {
  /** Nodes by service, each list sorted by node id. */
  nodes: Record<string, Array<Record<string, unknown>>>;
  /** The Redis server's clock at the read, epoch ms. */
  serverTime: number;
}

export function nodeJson(view: NodeView): Record<string, unknown> {
  return {
    ...view.heartbeat,
    status: view.status,
    ageMs: Math.round(view.ageMs),
    lastSeenAt: Math.round(view.beatAtMs),
  };
}

export function nodesResponse(snapshot: PulseSnapshot): NodesResponse {
  // Service names are data: `__proto__` must be a key like any other, not a prototype.
  const nodes: NodesResponse['nodes'] = Object.create(null) as NodesResponse['nodes'];
  const sorted = [...snapshot.nodes].sort(
    (a, b) =>
      a.heartbeat.service.localeCompare(b.heartbeat.service) ||
      a.heartbeat.id.localeCompare(b.heartbeat.id),
  );
  for (const view of sorted) (nodes[view.heartbeat.service] ??= []).push(nodeJson(view));
  return { nodes, serverTime: Math.round(snapshot.serverTimeMs) };
}

export function queuesResponse(snapshot: PulseSnapshot): {
  queues: Record<string, unknown[]>;
  serverTime: number;
} {
  const queues = Object.create(null) as Record<string, unknown[]>;
  for (const { service, queues: list } of snapshot.queues) queues[service] = list;
  return { queues, serverTime: Math.round(snapshot.serverTimeMs) };
}
