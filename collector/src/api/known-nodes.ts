/**
 * The heartbeat keys of one service's nodes as the collector's last read saw them, newest beat
 * first and not yet offline: what a broadcast's presence check on a cluster starts from for the
 * v1 agents, which have no per-service node index.
 */
import type { NodeView } from '../nodes/node-view';
import { MAX_CHECKED_NODES } from '../commands/target-presence';

/** Up to `MAX_CHECKED_NODES` heartbeat keys of `service`'s nodes in `nodes`, newest first. */
export function knownNodes(nodes: readonly NodeView[], service: string): string[] {
  return nodes
    .filter((view) => view.heartbeat.service === service && view.status !== 'offline')
    .sort((a, b) => b.beatAtMs - a.beatAtMs)
    .slice(0, MAX_CHECKED_NODES)
    .map((view) => view.key);
}
