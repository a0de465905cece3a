/** What the collector knows about one node, as the API and the exporters see it. */
import { NodeStatus } from '@gravito/quasar/schema';
import type { Heartbeat } from '@gravito/quasar/schema';

/**
 * The schema's node status under the collector's name: `offline` means the key has expired but
 * the node is still remembered (see `--forget-after`).
 */
export const PulseStatus = NodeStatus;
export type PulseStatus = NodeStatus;

export interface NodeView {
  /** The heartbeat key. */
  key: string;
  /** The latest valid heartbeat. */
  heartbeat: Heartbeat;
  status: PulseStatus;
  /** Time since the last beat, ms, on the Redis server's clock. */
  ageMs: number;
  /** When the last beat was written, epoch ms on the Redis server's clock. */
  beatAtMs: number;
}
