/**
 * The Pulse page's view of the node list: search, status filter, order and grouping. Pure, so the
 * page can memoise each step on its inputs.
 */
import type { NodeStatus, PulseNode } from '../../pulse/node';

/** The status filter: every node, or only those with one server verdict. */
export type StatusFilter = 'all' | NodeStatus;

/** What the toolbar asks for. */
export interface NodeFilter {
  /** Case-insensitive text matched against service, node id, hostname and runtime. */
  search: string;
  status: StatusFilter;
  /** Case-insensitive text the service name must contain; the panel's service option sets it. */
  service?: string;
}

/** One service's nodes, in order, with whether any of them has a check down. */
export interface ServiceNodes {
  service: string;
  nodes: PulseNode[];
  checkDown: boolean;
}

/** Service first, then node id; locale-aware so `node-2` sorts before `node-10`. */
export function compareNodes(a: PulseNode, b: PulseNode): number {
  return COLLATOR.compare(a.service, b.service) || COLLATOR.compare(a.id, b.id);
}

const COLLATOR = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Whether a node matches the search text (already trimmed and lower-cased). */
function matches(node: PulseNode, needle: string): boolean {
  return [node.service, node.id, node.hostname, node.language].some(
    (field) => field !== null && field.toLowerCase().includes(needle)
  );
}

/** How {@link filterNodes} orders what it keeps: a sorted copy, by {@link compareNodes}. */
export type NodeSort = (nodes: readonly PulseNode[]) => PulseNode[];

/**
 * The positions of `nodes` in the order of {@link compareNodes}, with each service's rank taken
 * once: with 10,000 nodes in a few services, most comparisons are within a service, where the
 * collator would compare two equal names before the ids.
 */
export function sortedOrder(nodes: readonly PulseNode[]): number[] {
  const rank = new Map<string, number>();
  for (const node of nodes) {
    rank.set(node.service, 0);
  }
  [...rank.keys()].sort(COLLATOR.compare).forEach((name, i) => rank.set(name, i));
  const serviceRank = nodes.map((node) => rank.get(node.service) ?? 0);
  return nodes
    .map((_, i) => i)
    .sort((a, b) => serviceRank[a] - serviceRank[b] || COLLATOR.compare(nodes[a].id, nodes[b].id));
}

/** A sorted copy of `nodes`, by {@link compareNodes}. */
export function sortNodes(nodes: readonly PulseNode[]): PulseNode[] {
  return sortedOrder(nodes).map((i) => nodes[i]);
}

/**
 * The nodes the filter keeps, sorted by service then id (by `sort`, {@link sortNodes} unless
 * given). The input is left as it is.
 */
export function filterNodes(nodes: readonly PulseNode[], filter: NodeFilter, sort: NodeSort = sortNodes): PulseNode[] {
  const needle = filter.search.trim().toLowerCase();
  const service = (filter.service ?? '').trim().toLowerCase();
  const kept = nodes.filter(
    (node) =>
      (filter.status === 'all' || node.status === filter.status) &&
      (!service || node.service.toLowerCase().includes(service)) &&
      (!needle || matches(node, needle))
  );
  return sort(kept);
}

/** Groups sorted nodes by service, keeping their order. */
export function groupByService(sorted: readonly PulseNode[]): ServiceNodes[] {
  const groups: ServiceNodes[] = [];
  for (const node of sorted) {
    let group = groups[groups.length - 1];
    if (!group || group.service !== node.service) {
      group = { service: node.service, nodes: [], checkDown: false };
      groups.push(group);
    }
    group.nodes.push(node);
    group.checkDown ||= node.checks.some((check) => !check.up);
  }
  return groups;
}
