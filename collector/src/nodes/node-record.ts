/**
 * What the registry keeps per heartbeat key, and the listing of those records as node views.
 * A node is one service and node id: under both layouts' keys (an agent moving from v1 to v2
 * keeps both for a TTL) it has two records, linked to each other as twins when the second is
 * made, so listing the nodes needs no per-cycle map of identities.
 */
import { QuasarKeys, statusOf } from '@gravito/quasar/schema';
import type { Heartbeat, NodeKeyParts } from '@gravito/quasar/schema';
import type { NodeView } from './node-view';

export interface NodeRecord {
  readonly key: string;
  /** What the key names: parsed once, when its first beat was accepted. */
  readonly named: NodeKeyParts;
  raw: string;
  heartbeat: Heartbeat;
  beatAtMs: number;
  /** False once the key has expired. */
  present: boolean;
  /** The last update that read (or tried to read) the key. */
  seenIn: number;
  /** The record of the same node under the other layout's key, while both are remembered. */
  twin: NodeRecord | undefined;
  /** The last listing that reached this record. */
  listedIn: number;
}

/** The key of the same node in the other layout. */
function twinKey({ service, nodeId, layout }: NodeKeyParts): string {
  return layout === 'v1' ? QuasarKeys.v2.node(service, nodeId) : QuasarKeys.node(service, nodeId);
}

/** Adds a new record to `records`, linked to its twin if that is remembered. */
export function addRecord(records: Map<string, NodeRecord>, record: NodeRecord): void {
  const twin = records.get(twinKey(record.named));
  if (twin) {
    record.twin = twin;
    twin.twin = record;
  }
  records.set(record.key, record);
}

/** Removes `key`'s record from `records`, unlinking its twin. */
export function deleteRecord(records: Map<string, NodeRecord>, record: NodeRecord): void {
  if (record.twin) record.twin.twin = undefined;
  records.delete(record.key);
}

/** Whether `a` is the beat to show rather than `b`, both of one node. */
const newer = (a: NodeRecord, b: NodeRecord): boolean =>
  a.present !== b.present ? a.present : a.beatAtMs > b.beatAtMs;

/**
 * Every node of `records` once, in the order of its first record: of twins, the newer beat (a
 * live key before an expired one; the first on a tie). `listing` must differ from the last
 * call's.
 */
export function listViews(
  records: Iterable<NodeRecord>,
  redisNowMs: number,
  listing: number,
): NodeView[] {
  const views: NodeView[] = [];
  for (const record of records) {
    const { twin } = record;
    let shown = record;
    if (twin) {
      if (twin.listedIn === listing) continue;
      record.listedIn = listing;
      if (newer(twin, record)) shown = twin;
    }
    const ageMs = Math.max(0, redisNowMs - shown.beatAtMs);
    views.push({
      key: shown.key,
      heartbeat: shown.heartbeat,
      status: statusOf(shown.heartbeat, { ageMs, present: shown.present }),
      ageMs,
      beatAtMs: shown.beatAtMs,
    });
  }
  return views;
}
