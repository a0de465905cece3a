/**
 * The fleet overview's tiles as a test reads them. The tiles are painted on a canvas per row, and
 * jsdom has no canvas: {@link recordCanvases} gives each canvas a context that records what is
 * painted (the part of the 2D context the overview uses), and the helpers read a tile back from it.
 */
import { fireEvent, screen, within } from '@testing-library/react';
import { createTheme } from '@grafana/data';
import type { TilePainter } from '../components/FleetOverview/tileGrid';
import { statusColors } from '../components/FleetOverview/tileStyles';
import { testIds } from '../components/testIds';

/** One `fillRect` as painted, with the colour it was painted in. */
export interface PaintedRect {
  x: number;
  y: number;
  width: number;
  height: number;
  color: string;
}

/** A 2D context that records the rectangles of its last paint (a paint starts with a clear). */
class RecordingContext implements TilePainter {
  fillStyle: string | CanvasGradient | CanvasPattern = '#000';
  strokeStyle: string | CanvasGradient | CanvasPattern = '#000';
  lineWidth = 1;
  rects: PaintedRect[] = [];
  rings: PaintedRect[] = [];

  clearRect(): void {
    this.rects = [];
    this.rings = [];
  }
  fillRect(x: number, y: number, width: number, height: number): void {
    this.rects.push({ x, y, width, height, color: String(this.fillStyle) });
  }
  strokeRect(x: number, y: number, width: number, height: number): void {
    this.rings.push({ x, y, width, height, color: String(this.strokeStyle) });
  }
  setTransform(): void {}
}

const colors = statusColors(createTheme());

const contexts = new WeakMap<HTMLCanvasElement, RecordingContext>();

/** Gives every canvas a recording context until the returned function restores jsdom's. */
export function recordCanvases(): () => void {
  const original = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement) {
    let context = contexts.get(this);
    if (!context) {
      context = new RecordingContext();
      contexts.set(this, context);
    }
    return context;
  } as unknown as typeof original;
  return () => {
    HTMLCanvasElement.prototype.getContext = original;
  };
}

/**
 * A row's current tile moved onto node `id` with the keyboard (Home, then ArrowRight), as a user
 * would; throws when no row holds the node.
 */
export function tileOf(id: string): HTMLElement {
  for (const start of screen.getAllByTestId(testIds.overview.tile)) {
    let tile: HTMLElement = start;
    fireEvent.keyDown(tile, { key: 'Home' });
    for (;;) {
      // The current tile is the same element, moved: read it again after each key.
      tile = rowTile(start);
      if (tile.getAttribute('data-node-id') === id) {
        return tile;
      }
      const before = tile.getAttribute('data-node-id');
      fireEvent.keyDown(tile, { key: 'ArrowRight' });
      if (rowTile(start).getAttribute('data-node-id') === before) {
        break;
      }
    }
  }
  throw new Error(`no tile shows node ${id}`);
}

function rowTile(tile: HTMLElement): HTMLElement {
  const row = tile.parentElement!;
  return row.querySelector<HTMLElement>(`[data-testid="${testIds.overview.tile}"]`)!;
}

/**
 * What was painted under a current tile, told apart by its verdict's theme colours: its fill in
 * pixels of 12, and the colours of its faint and filled parts (`null` for a part not painted).
 * Throws when the two parts do not make a whole tile.
 */
export function paintedTile(tile: HTMLElement): { fill: number; weak: string | null; main: string | null } {
  const canvas = tile.parentElement!.querySelector('canvas')!;
  const context = contexts.get(canvas);
  if (!context) {
    throw new Error('the canvas was not painted: call recordCanvases() before rendering');
  }
  const x = Number.parseFloat(tile.style.left);
  const y = Number.parseFloat(tile.style.top);
  const status = tile.getAttribute('data-status');
  const own = colors[status === 'online' || status === 'stale' || status === 'offline' ? status : 'unknown'];
  const at = context.rects.filter((r) => r.x === x && r.y >= y && r.y < y + 12 && r.width === 12);
  const main = at.find((r) => r.color === own.main && r.y + r.height === y + 12);
  const weak = at.find((r) => r.color === own.weak && r.y === y);
  if ((main?.height ?? 0) + (weak?.height ?? 0) !== 12) {
    throw new Error(`the tile of ${tile.getAttribute('data-node-id')} is not painted whole in its colours`);
  }
  return { fill: main?.height ?? 0, weak: weak?.color ?? null, main: main?.color ?? null };
}

/** The rings painted on a row's canvas (around the open node's tile). */
export function paintedRings(tile: HTMLElement): PaintedRect[] {
  const canvas = tile.parentElement!.querySelector('canvas')!;
  return contexts.get(canvas)?.rings ?? [];
}

/** Every node of the overview under `root`, row by row, as the keyboard walks each row's tiles. */
export function tileIds(root: HTMLElement = document.body): string[] {
  const ids: string[] = [];
  for (const start of within(root).queryAllByTestId(testIds.overview.tile)) {
    fireEvent.keyDown(start, { key: 'Home' });
    let last: string | null = null;
    for (;;) {
      const tile = rowTile(start);
      const id = tile.getAttribute('data-node-id');
      if (id === last || id === null) {
        break;
      }
      ids.push(id);
      last = id;
      fireEvent.keyDown(tile, { key: 'ArrowRight' });
    }
  }
  return ids;
}
