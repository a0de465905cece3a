/**
 * The page's sort of its nodes, remembered between updates. A full update brings a new object for
 * every node but, as a rule, the same nodes in the same sequence (the fleet map keeps the order
 * nodes first came in), and sorting 10,000 ids with a locale-aware collator costs more than
 * the rest of the view's render. When the nodes to sort name the same services and ids, in the
 * same sequence, as the last ones sorted, the last order applies again; otherwise they are sorted.
 */
import { sortedOrder, type NodeSort } from './filterNodes';
import type { PulseNode } from '../../pulse/node';

/** A {@link NodeSort} that remembers its last input's keys and the order it gave them. */
export function rememberedSort(): NodeSort {
  let services: string[] = [];
  let ids: string[] = [];
  let order: number[] = [];

  const sameKeys = (nodes: readonly PulseNode[]) => {
    if (nodes.length !== ids.length) {
      return false;
    }
    for (let i = 0; i < nodes.length; i++) {
      if (nodes[i].id !== ids[i] || nodes[i].service !== services[i]) {
        return false;
      }
    }
    return true;
  };

  return (nodes) => {
    if (!sameKeys(nodes)) {
      services = nodes.map((node) => node.service);
      ids = nodes.map((node) => node.id);
      order = sortedOrder(nodes);
    }
    return order.map((i) => nodes[i]);
  };
}
