/**
 * What a service row of the fleet overview says: its nodes by status, its queues' totals, and
 * each tile's figure. Pure, so the overview can keep a group's summary while its nodes are the
 * same objects.
 */
import { MAX_QUEUES } from '../../api/limits';
import { field, id, isRecord } from '../../api/read';
import type { NodeStatus, PulseNode } from '../../pulse/node';
import { readQueue } from '../../pulse/queue';
import { formatPercent, percentOf } from '../NodeCard/format';

/** The figure a tile's fill shows. */
export type OverviewMetric = 'cpu' | 'memory';

/** Nodes of a group per server verdict. */
export type StatusCounts = Record<NodeStatus, number>;

/** The states a service row totals, in the order it shows them. */
export const TOTAL_STATES = ['waiting', 'active', 'failed', 'delayed'] as const;

/** One of {@link TOTAL_STATES}. */
export type TotalState = (typeof TOTAL_STATES)[number];

/** A service's queues, each counted once however many of its nodes watch it. */
export interface QueueTotals {
  /** Queues whose snapshot was read, errors included. */
  queues: number;
  /** Queues whose probe failed: their counts are left out of the totals. */
  errors: number;
  counts: Record<TotalState, number>;
}

/** What a service row shows besides its tiles. */
export interface GroupSummary {
  statuses: StatusCounts;
  queues: QueueTotals;
}

/** Nodes per status; a verdict outside the four counts as `unknown`. */
export function countByStatus(nodes: readonly PulseNode[]): StatusCounts {
  const counts: StatusCounts = { online: 0, stale: 0, offline: 0, unknown: 0 };
  for (const node of nodes) {
    const status = node.status;
    if (status === 'online' || status === 'stale' || status === 'offline') {
      counts[status] += 1;
    } else {
      counts.unknown += 1;
    }
  }
  return counts;
}

/**
 * The totals of a service's queues. Queue depth belongs to the queue, not to the node (as the
 * collector exports it): when several nodes report `emails`, the snapshot of the node that beat
 * last counts, once. A snapshot whose probe failed is counted as an error, not as zeros. Only the
 * winning snapshots go through the queue reader, so a full update reads one per queue, not one
 * per node.
 */
export function queueTotals(
  nodes: readonly PulseNode[],
  queuesOf: (node: PulseNode) => readonly unknown[] | undefined
): QueueTotals {
  const latest = new Map<string, { at: number; raw: unknown }>();
  for (const node of nodes) {
    const raw = queuesOf(node);
    if (!Array.isArray(raw)) {
      continue;
    }
    const at = node.lastSeenAt ?? -1;
    const n = Math.min(raw.length, MAX_QUEUES);
    for (let i = 0; i < n; i++) {
      const entry: unknown = raw[i];
      const name = isRecord(entry) ? id(field(entry, 'name')) : null;
      if (!name) {
        continue;
      }
      const seen = latest.get(name);
      if (!seen || at > seen.at) {
        latest.set(name, { at, raw: entry });
      }
    }
  }
  return totalsOf([...latest.values()].map(({ raw }) => raw));
}

/**
 * The totals of a service's queue list as the collector sends it (its `queues` map): one
 * snapshot per queue already, so each entry counts as it is. Read through the queue reader,
 * at most {@link MAX_QUEUES} of them.
 */
export function serviceQueueTotals(raw: readonly unknown[]): QueueTotals {
  return totalsOf(raw.slice(0, MAX_QUEUES));
}

function totalsOf(snapshots: readonly unknown[]): QueueTotals {
  const totals: QueueTotals = { queues: 0, errors: 0, counts: { waiting: 0, active: 0, failed: 0, delayed: 0 } };
  for (const raw of snapshots) {
    const queue = readQueue(raw);
    if (!queue) {
      continue;
    }
    totals.queues += 1;
    if (queue.error !== null) {
      totals.errors += 1;
      continue;
    }
    for (const { state, count } of queue.counts) {
      if (isTotalState(state)) {
        totals.counts[state] += count;
      }
    }
  }
  return totals;
}

function isTotalState(state: string): state is TotalState {
  return (TOTAL_STATES as readonly string[]).includes(state);
}

/**
 * A tile's figure in percent, 0–100, or `null` when the node did not report it: CPU is the
 * machine's (or the container quota's) use, memory the system's used share of its total (or of
 * the container's limit), the same figures the card's "System" bars show.
 */
export function tilePercent(node: PulseNode, metric: OverviewMetric): number | null {
  const percent = metric === 'cpu' ? node.cpu.systemPercent : percentOf(node.memory.usedBytes, node.memory.totalBytes);
  if (percent === null || !Number.isFinite(percent)) {
    return null;
  }
  return Math.min(100, Math.max(0, percent));
}

/**
 * The heights a tile's fill takes besides none: one per pixel of the tile's height, so a fill
 * rounded to a level is the fill the screen could show anyway.
 */
export const FILL_LEVELS = 12;

/**
 * A tile's fill as one of `FILL_LEVELS + 1` heights in whole pixels (0 when the figure is missing),
 * as the row's canvas paints it; a figure that moves within a pixel leaves the tile as it was.
 */
export function fillLevel(node: PulseNode, metric: OverviewMetric): number {
  const percent = tilePercent(node, metric);
  return percent === null ? 0 : Math.round((percent * FILL_LEVELS) / 100);
}

/** A tile's figure as its label shows it, in tenths of a percent (`formatPercent`'s one decimal). */
function shownTenths(node: PulseNode, metric: OverviewMetric): number | null {
  const percent = tilePercent(node, metric);
  return percent === null ? null : Math.round(percent * 10);
}

/** What a tile says to a screen reader and in its tooltip. */
export function tileLabel(node: PulseNode): string {
  const figure = (tenths: number | null) => (tenths === null ? 'not reported' : formatPercent(tenths / 10));
  return `${node.id}, ${node.status}, CPU ${figure(shownTenths(node, 'cpu'))}, memory ${figure(shownTenths(node, 'memory'))}`;
}

/**
 * Whether two nodes' tiles look and read the same with `metric` shown: same id and verdict, the
 * same fill and the same label. A node beating again with the same figures keeps its tile, though
 * its object (its last beat, its age) is new.
 */
export function sameTile(a: PulseNode, b: PulseNode, metric: OverviewMetric): boolean {
  return (
    a === b ||
    (a.id === b.id &&
      a.status === b.status &&
      fillLevel(a, metric) === fillLevel(b, metric) &&
      shownTenths(a, 'cpu') === shownTenths(b, 'cpu') &&
      shownTenths(a, 'memory') === shownTenths(b, 'memory'))
  );
}
