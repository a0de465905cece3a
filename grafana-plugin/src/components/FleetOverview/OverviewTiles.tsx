/**
 * A service row's tiles. A full update brings a new object for every node, but most tiles look the
 * same after it: the tiles are compared by what they show (`sameTile`), so a row whose tiles all
 * look the same skips its tiles entirely, and otherwise only the tiles that changed render.
 */
import React, { memo, type KeyboardEvent, type MouseEvent } from 'react';
import type { NodeStatus, PulseNode } from '../../pulse/node';
import { testIds } from '../testIds';
import { fillLevel, sameTile, tileLabel, type OverviewMetric } from './summary';

/** Props of {@link OverviewTiles}. */
export interface OverviewTilesProps {
  service: string;
  /** The service's nodes, in order. */
  nodes: readonly PulseNode[];
  metric: OverviewMetric;
  /** The node whose card is open, if any. */
  selectedId?: string;
  /** The tiles' container class. */
  className: string;
  /** A tile's class per status. */
  tileClass: Readonly<Record<NodeStatus, string>>;
  /** A tile's fill class per level (`fillLevel`). */
  fillClass: readonly string[];
  /** The group's click handler: a tile has none of its own (`data-node-id` names its node). */
  onClick: (event: MouseEvent<HTMLElement>) => void;
  /** The group's key handler. */
  onKeyDown: (event: KeyboardEvent<HTMLElement>) => void;
}

interface TileProps {
  node: PulseNode;
  metric: OverviewMetric;
  className: string;
  fillClass: readonly string[];
  selected: boolean;
}

/** One node's tile: a single element, coloured and filled to its figure by its classes alone. */
function TileView({ node, metric, className, fillClass, selected }: TileProps) {
  const label = tileLabel(node);
  return (
    <div
      className={`${className} ${fillClass[fillLevel(node, metric)]}`}
      role="button"
      tabIndex={0}
      aria-label={label}
      aria-expanded={selected}
      title={label}
      data-testid={testIds.overview.tile}
      data-node-id={node.id}
      data-status={node.status}
    />
  );
}

function tilePropsEqual(prev: Readonly<TileProps>, next: Readonly<TileProps>): boolean {
  return (
    prev.metric === next.metric &&
    prev.className === next.className &&
    prev.fillClass === next.fillClass &&
    prev.selected === next.selected &&
    sameTile(prev.node, next.node, next.metric)
  );
}

const Tile = memo(TileView, tilePropsEqual);

function OverviewTilesView({
  service,
  nodes,
  metric,
  selectedId,
  className,
  tileClass,
  fillClass,
  onClick,
  onKeyDown,
}: OverviewTilesProps) {
  return (
    <div className={className} role="group" aria-label={`Nodes of ${service}`} onClick={onClick} onKeyDown={onKeyDown}>
      {nodes.map((node) => (
        <Tile
          key={node.id}
          node={node}
          metric={metric}
          className={tileClass[node.status]}
          fillClass={fillClass}
          selected={node.id === selectedId}
        />
      ))}
    </div>
  );
}

/** Whether every tile of the row would render as it is: then the row's tiles skip rendering. */
export function overviewTilesPropsEqual(
  prev: Readonly<OverviewTilesProps>,
  next: Readonly<OverviewTilesProps>
): boolean {
  if (
    prev.service !== next.service ||
    prev.metric !== next.metric ||
    prev.selectedId !== next.selectedId ||
    prev.className !== next.className ||
    prev.tileClass !== next.tileClass ||
    prev.fillClass !== next.fillClass ||
    prev.onClick !== next.onClick ||
    prev.onKeyDown !== next.onKeyDown ||
    prev.nodes.length !== next.nodes.length
  ) {
    return false;
  }
  for (let i = 0; i < next.nodes.length; i++) {
    if (!sameTile(prev.nodes[i], next.nodes[i], next.metric)) {
      return false;
    }
  }
  return true;
}

/** A row's tiles, memoised on what they show. */
export const OverviewTiles = memo(OverviewTilesView, overviewTilesPropsEqual);
OverviewTiles.displayName = 'OverviewTiles';
