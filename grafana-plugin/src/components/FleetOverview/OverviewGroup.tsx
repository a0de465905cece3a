import React, { memo, useCallback, useMemo, type ReactNode } from 'react';
import { Button, useStyles2 } from '@grafana/ui';
import type { NodeStatus, PulseNode } from '../../pulse/node';
import { NodeCard, type UsageThresholds } from '../NodeCard';
import { testIds } from '../testIds';
import { OverviewTiles } from './OverviewTiles';
import { countByStatus, queueTotals, serviceQueueTotals, TOTAL_STATES, type OverviewMetric } from './summary';
import { GRID_PAD, TILE_GAP, TILE_SIZE } from './tileGrid';
import { getOverviewStyles } from './tileStyles';

/** Props of {@link OverviewGroup}. */
export interface OverviewGroupProps {
  service: string;
  /** The service's nodes, in order. */
  nodes: readonly PulseNode[];
  /** Whether a check is down on one of them. */
  checkDown: boolean;
  /**
   * A node's raw heartbeat queues. Not compared by the memo: a node's queues come with its beat,
   * so they change only with the node.
   */
  queuesOf: (node: PulseNode) => readonly unknown[] | undefined;
  /**
   * The service's queues as the collector lists them (each queue once). When given, the row's
   * totals come from it and `queuesOf` is not read.
   */
  serviceQueues?: readonly unknown[];
  metric: OverviewMetric;
  /** The node whose card is open in this group, if any. */
  selectedId?: string;
  /** Opens a node's card (`id`), or closes the open one (`null`). Keep it stable. */
  onSelect: (service: string, id: string | null) => void;
  /** The open card's queues slot; only the group with an open card gets it. */
  renderSlot?: (node: PulseNode) => ReactNode;
  /**
   * Renders the open card in place of the node's own card, e.g. when the tiles hold summaries and
   * the card needs the whole node. Keep it stable.
   */
  renderCard?: (node: PulseNode) => ReactNode;
  cpuThresholds?: UsageThresholds;
  memoryThresholds?: UsageThresholds;
}

const STATUS_ORDER: readonly NodeStatus[] = ['online', 'stale', 'offline', 'unknown'];
const NUMBER = new Intl.NumberFormat('en-US');

/** Tile columns of a group of `n` nodes: about twice as wide as tall, within bounds. */
const MIN_COLUMNS = 16;
const MAX_COLUMNS = 72;
/** Padding and border around the tiles, in pixels. */
const GROUP_CHROME = 18;
/** A group's width while it shows a card, so the card has room. */
const WITH_CARD_WIDTH = 320;

/** The tile columns a group of `n` nodes asks for. */
function preferredColumns(n: number): number {
  return Math.min(MAX_COLUMNS, Math.max(MIN_COLUMNS, Math.ceil(Math.sqrt(n * 2))));
}

/** The width a group asks for before the row's free space is shared out. */
export function groupBasis(n: number): number {
  return preferredColumns(n) * (TILE_SIZE + TILE_GAP) - TILE_GAP + 2 * GRID_PAD + GROUP_CHROME;
}

/**
 * One service row: name, nodes by status, queue totals, then a tile per node. A click on a tile,
 * or Enter or Space on the current one, opens the node's card below the tiles.
 */
function OverviewGroupView({
  service,
  nodes,
  checkDown,
  queuesOf,
  serviceQueues,
  metric,
  selectedId,
  onSelect,
  renderSlot,
  renderCard,
  cpuThresholds,
  memoryThresholds,
}: OverviewGroupProps) {
  const s = useStyles2(getOverviewStyles);
  const statuses = useMemo(() => countByStatus(nodes), [nodes]);
  const queues = useMemo(
    () => (serviceQueues ? serviceQueueTotals(serviceQueues) : queueTotals(nodes, queuesOf)),
    [serviceQueues, nodes, queuesOf]
  );
  const toggle = useCallback(
    (id: string) => onSelect(service, id === selectedId ? null : id),
    [onSelect, service, selectedId]
  );
  const selected = selectedId === undefined ? undefined : nodes.find((node) => node.id === selectedId);

  return (
    <section
      className={s.group}
      style={{ flex: `1 1 ${groupBasis(nodes.length)}px`, minWidth: selected ? WITH_CARD_WIDTH : undefined }}
      data-testid={testIds.overview.group}
      data-service={service}
      aria-label={service}
    >
      <h3 className={s.title}>
        {checkDown && (
          <span
            className={s.down}
            data-testid={testIds.pulse.groupCheckDown}
            title="A check is down on a node of this service"
            aria-label="check down"
          />
        )}
        <span className={s.name} title={service}>
          {service || '(no service)'}
        </span>
        <span className={s.muted} data-testid={testIds.overview.nodeCount}>
          {NUMBER.format(nodes.length)} {nodes.length === 1 ? 'node' : 'nodes'}
        </span>
      </h3>
      <p className={s.facts} aria-label="Nodes by status">
        {STATUS_ORDER.filter((status) => status === 'online' || statuses[status] > 0).map((status) => (
          <span key={status} className={s.dot[status]} data-testid={testIds.overview.statusCount} data-status={status}>
            {NUMBER.format(statuses[status])} {status}
          </span>
        ))}
      </p>
      {queues.queues > 0 && (
        <p className={s.facts} aria-label="Queue totals">
          <span>
            {queues.queues} {queues.queues === 1 ? 'queue' : 'queues'}:
          </span>
          {TOTAL_STATES.map((state) => (
            <span key={state} data-testid={testIds.overview.queueTotal} data-state={state}>
              {NUMBER.format(queues.counts[state])} {state}
            </span>
          ))}
          {queues.errors > 0 && (
            <span className={s.error} data-testid={testIds.overview.queueErrors} title="Probes that failed">
              {queues.errors} unreadable
            </span>
          )}
        </p>
      )}
      <OverviewTiles
        service={service}
        nodes={nodes}
        metric={metric}
        selectedId={selected?.id}
        initialColumns={preferredColumns(nodes.length)}
        classes={s.tileParts}
        colors={s.colors}
        ringColor={s.ring}
        onToggle={toggle}
      />
      {selected && (
        <div className={s.card} data-testid={testIds.overview.card}>
          <Button
            className={s.close}
            data-testid={testIds.overview.close}
            variant="secondary"
            size="sm"
            fill="text"
            icon="times"
            onClick={() => onSelect(service, null)}
          >
            Close
          </Button>
          {renderCard ? (
            renderCard(selected)
          ) : (
            <NodeCard node={selected} thresholds={cpuThresholds} memoryThresholds={memoryThresholds}>
              {renderSlot?.(selected)}
            </NodeCard>
          )}
        </div>
      )}
    </section>
  );
}

function sameNodes(a: readonly PulseNode[], b: readonly PulseNode[]): boolean {
  if (a === b) {
    return true;
  }
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

/**
 * Whether a row may skip a render: the same node objects in the same order (`usePulseData`
 * keeps a node's object until it beats again or its verdict changes), the same service queue list
 * (a delta replaces only the lists that changed), and the same options.
 * `queuesOf` is left out on purpose, see {@link OverviewGroupProps}.
 */
export function overviewGroupPropsEqual(
  prev: Readonly<OverviewGroupProps>,
  next: Readonly<OverviewGroupProps>
): boolean {
  return (
    sameNodes(prev.nodes, next.nodes) &&
    prev.service === next.service &&
    prev.checkDown === next.checkDown &&
    prev.serviceQueues === next.serviceQueues &&
    prev.metric === next.metric &&
    prev.selectedId === next.selectedId &&
    prev.onSelect === next.onSelect &&
    prev.renderSlot === next.renderSlot &&
    prev.renderCard === next.renderCard &&
    prev.cpuThresholds === next.cpuThresholds &&
    prev.memoryThresholds === next.memoryThresholds
  );
}

/** A service row, memoised: while its nodes are the same objects, an update leaves it alone. */
export const OverviewGroup = memo(OverviewGroupView, overviewGroupPropsEqual);
OverviewGroup.displayName = 'OverviewGroup';
