/**
 * A service row's tiles, painted on one canvas. A full update of a large fleet changes most tiles'
 * figures; as elements, 10,000 tiles cost a render, a restyle and a repaint each, while one canvas
 * per row repaints them as plain rectangles. The keyboard and assistive tech reach the tiles
 * through one focusable element per row that stands on the current tile and carries its label:
 * arrow keys, Home and End move it, Enter or Space opens the node's card, as a click does.
 */
import React, { memo, useLayoutEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { PulseNode } from '../../pulse/node';
import { testIds } from '../testIds';
import { sameTile, tileLabel, type OverviewMetric } from './summary';
import { gridColumns, gridSize, paintTiles, tileIndexAt, tileOrigin, type StatusColors } from './tileGrid';

/** Props of {@link OverviewTiles}. */
export interface OverviewTilesProps {
  service: string;
  /** The service's nodes, in order. */
  nodes: readonly PulseNode[];
  metric: OverviewMetric;
  /** The node whose card is open, if any. */
  selectedId?: string;
  /** Columns to lay the tiles in until the row's width is known. */
  initialColumns: number;
  /** Classes of the tiles' container, canvas and focusable current tile. */
  classes: { tiles: string; canvas: string; current: string };
  /** The tiles' colours per verdict, from the theme. */
  colors: StatusColors;
  /** The ring around the open node's tile. */
  ringColor: string;
  /** Opens or closes a node's card. Keep it stable. */
  onToggle: (id: string) => void;
}

/** Keys that move the current tile, and how far, given the row's columns. */
function moveBy(key: string, columns: number, index: number, count: number): number | null {
  switch (key) {
    case 'ArrowRight':
      return Math.min(count - 1, index + 1);
    case 'ArrowLeft':
      return Math.max(0, index - 1);
    case 'ArrowDown':
      return Math.min(count - 1, index + columns);
    case 'ArrowUp':
      return index - columns >= 0 ? index - columns : index;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

function OverviewTilesView({
  service,
  nodes,
  metric,
  selectedId,
  initialColumns,
  classes,
  colors,
  ringColor,
  onToggle,
}: OverviewTilesProps) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const current = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [currentId, setCurrentId] = useState<string | null>(null);
  const columns = width > 0 ? gridColumns(width) : initialColumns;
  const size = gridSize(nodes.length, columns);
  const found = currentId === null ? -1 : nodes.findIndex((node) => node.id === currentId);
  const index = found < 0 ? 0 : found;
  const node: PulseNode | undefined = nodes[index];
  const openIndex = selectedId === undefined ? -1 : nodes.findIndex((n) => n.id === selectedId);

  useLayoutEffect(() => {
    const element = box.current;
    if (!element) {
      return;
    }
    setWidth(element.clientWidth);
    if (typeof ResizeObserver === 'undefined') {
      return;
    }
    const observer = new ResizeObserver((entries) => setWidth(entries[entries.length - 1].contentRect.width));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const element = canvas.current;
    const ratio = window.devicePixelRatio || 1;
    if (!element) {
      return;
    }
    // Resizing the backing store clears it; it is repainted whole just below.
    element.width = Math.round(size.width * ratio);
    element.height = Math.round(size.height * ratio);
    const context = element.getContext('2d');
    if (!context) {
      return;
    }
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    paintTiles(context, nodes, metric, columns, colors, openIndex < 0 ? null : { index: openIndex, color: ringColor });
  }, [nodes, metric, columns, colors, ringColor, openIndex, size.width, size.height]);

  const choose = (next: number, open: boolean) => {
    const target = nodes[next];
    if (!target) {
      return;
    }
    setCurrentId(target.id);
    if (open) {
      onToggle(target.id);
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      choose(index, true);
      return;
    }
    const next = moveBy(event.key, columns, index, nodes.length);
    if (next !== null) {
      event.preventDefault();
      choose(next, false);
    }
  };
  const tileAt = (event: MouseEvent<HTMLCanvasElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    return tileIndexAt(event.clientX - rect.left, event.clientY - rect.top, columns, nodes.length);
  };
  const onCanvasClick = (event: MouseEvent<HTMLCanvasElement>) => {
    const hit = tileAt(event);
    if (hit !== null) {
      choose(hit, true);
      current.current?.focus({ preventScroll: true });
    }
  };
  // The tooltip follows the pointer without a render: it is read only while the pointer rests.
  const onCanvasMove = (event: MouseEvent<HTMLCanvasElement>) => {
    const hit = tileAt(event);
    event.currentTarget.title = hit === null ? '' : tileLabel(nodes[hit]);
  };
  const origin = tileOrigin(index, columns);
  const label = node ? tileLabel(node) : '';

  return (
    <div ref={box} className={classes.tiles} role="group" aria-label={`Nodes of ${service}`}>
      <canvas
        ref={canvas}
        className={classes.canvas}
        style={{ width: size.width, height: size.height }}
        aria-hidden="true"
        data-testid={testIds.overview.tileCanvas}
        onClick={onCanvasClick}
        onMouseMove={onCanvasMove}
      />
      {node && (
        <div
          ref={current}
          className={classes.current}
          style={{ left: origin.x, top: origin.y }}
          role="button"
          tabIndex={0}
          aria-label={label}
          aria-expanded={node.id === selectedId}
          aria-keyshortcuts="ArrowLeft ArrowRight ArrowUp ArrowDown Home End Enter Space"
          title={label}
          data-testid={testIds.overview.tile}
          data-node-id={node.id}
          data-status={node.status}
          onClick={() => choose(index, true)}
          onKeyDown={onKeyDown}
        />
      )}
    </div>
  );
}

/** Whether every tile of the row would look as it does: then the row neither renders nor repaints. */
export function overviewTilesPropsEqual(
  prev: Readonly<OverviewTilesProps>,
  next: Readonly<OverviewTilesProps>
): boolean {
  if (
    prev.service !== next.service ||
    prev.metric !== next.metric ||
    prev.selectedId !== next.selectedId ||
    prev.initialColumns !== next.initialColumns ||
    prev.classes !== next.classes ||
    prev.colors !== next.colors ||
    prev.ringColor !== next.ringColor ||
    prev.onToggle !== next.onToggle ||
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
