/**
 * The whole node behind a summary tile: the overview's tiles carry only what they show, so the
 * card a tile opens reads its node once from `GET /api/pulse/nodes`, and again whenever the tile
 * changes (a new beat or a new verdict).
 */
import { useEffect, useState } from 'react';
import { collectorGet } from '../../api/collector';
import { field } from '../../api/read';
import { readNodes, type PulseNode } from '../../pulse/node';
import { nodeKey, readQueuesByNode } from './fleetState';

/** Nodes asked for per page when looking a node up by its id. */
export const DETAIL_PAGE_SIZE = 50;

/**
 * Pages read at most: the search matches ids that contain the one wanted, so a short id in a
 * large service may not be on the first page.
 */
export const DETAIL_MAX_PAGES = 4;

/** The collector's longest search text. */
const MAX_SEARCH = 100;

/** The open card's node. */
export type NodeDetail =
  { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; node: PulseNode; queues: unknown[] };

/** Reads the whole node `id` of `service`, or throws with a message a user can read. */
export async function fetchNodeDetail(service: string, id: string): Promise<{ node: PulseNode; queues: unknown[] }> {
  let cursor: string | undefined;
  for (let page = 0; page < DETAIL_MAX_PAGES; page++) {
    const reply = await collectorGet('api/pulse/nodes', {
      service,
      q: id.slice(0, MAX_SEARCH),
      limit: DETAIL_PAGE_SIZE,
      cursor,
    });
    const node = readNodes(reply).find((candidate) => candidate.service === service && candidate.id === id);
    if (node) {
      return { node, queues: readQueuesByNode(reply).get(nodeKey(service, id)) ?? [] };
    }
    const next = field(reply, 'next');
    if (typeof next !== 'string' || next === '') {
      break;
    }
    cursor = next;
  }
  throw new Error(`Node ${id} of ${service || '(no service)'} is no longer reported`);
}

/**
 * The whole node behind `tile`, read when the card opens and whenever the tile's beat or verdict
 * changes. While a newer read is on its way the last node stays on screen.
 */
export function useNodeDetail(tile: PulseNode): NodeDetail {
  const [detail, setDetail] = useState<NodeDetail>({ state: 'loading' });
  const { service, id, lastSeenAt, status } = tile;
  const [shownFor, setShownFor] = useState(nodeKey(service, id));
  // Another node in the same card: its own placeholder, never the previous node.
  if (shownFor !== nodeKey(service, id)) {
    setShownFor(nodeKey(service, id));
    setDetail({ state: 'loading' });
  }

  useEffect(() => {
    let live = true;
    fetchNodeDetail(service, id).then(
      ({ node, queues }) => live && setDetail({ state: 'ready', node, queues }),
      (error: unknown) =>
        live && setDetail({ state: 'error', message: error instanceof Error ? error.message : String(error) })
    );
    return () => {
      live = false;
    };
  }, [service, id, lastSeenAt, status]);

  return detail;
}
