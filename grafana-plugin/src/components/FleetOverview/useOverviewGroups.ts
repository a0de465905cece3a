/**
 * The overview's groups, each kept as the same object while its nodes are: `usePulseData`
 * reuses a node's object until it beats again, so a service none of whose nodes changed keeps its
 * row, its summary is not recounted, and its memoised row does not render.
 */
import { useMemo, useRef } from 'react';
import type { ServiceNodes } from '../../pages/Pulse/filterNodes';
import { nodeKey, type QueuesByNode } from '../../pages/Pulse/usePulseData';
import type { PulseNode } from '../../pulse/node';
import type { OverviewGroupData } from './OverviewGroup';
import { countByStatus, queueTotals } from './summary';

function sameNodes(a: readonly PulseNode[], b: readonly PulseNode[]): boolean {
  if (a.length !== b.length) {
    return false;
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      return false;
    }
  }
  return true;
}

/** Summarises `groups`, reusing last time's object of every group whose nodes are unchanged. */
export function useOverviewGroups(groups: readonly ServiceNodes[], queues: QueuesByNode | undefined): OverviewGroupData[] {
  // Keyed by service name, which comes from data: a Map, never a plain object.
  const previous = useRef(new Map<string, OverviewGroupData>());
  return useMemo(() => {
    const next = new Map<string, OverviewGroupData>();
    const out = groups.map((group) => {
      const old = previous.current.get(group.service);
      // A node's queues come with its beat, so unchanged nodes mean unchanged queue totals.
      const data =
        old && old.checkDown === group.checkDown && sameNodes(old.nodes, group.nodes)
          ? old
          : {
              service: group.service,
              nodes: group.nodes,
              checkDown: group.checkDown,
              summary: {
                statuses: countByStatus(group.nodes),
                queues: queueTotals(group.nodes, (node) => queues?.get(nodeKey(node.service, node.id))),
              },
            };
      next.set(group.service, data);
      return data;
    });
    previous.current = next;
    return out;
  }, [groups, queues]);
}
