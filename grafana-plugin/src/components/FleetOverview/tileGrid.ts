/**
 * Where the overview's tiles sit on a service's canvas, which tile a point falls on, and how they
 * are painted. A full update of 10,000 nodes repaints 20 canvases of plain rectangles instead of
 * restyling and repainting 10,000 elements; pure, so a test can paint onto a recording context.
 */
import type { NodeStatus, PulseNode } from '../../pulse/node';
import { fillLevel, FILL_LEVELS, type OverviewMetric } from './summary';

/** A tile's side in pixels: one pixel per fill level. */
export const TILE_SIZE = FILL_LEVELS;

/** The gap between tiles in pixels. */
export const TILE_GAP = 2;

/** Room around the tiles for the open node's ring, in pixels. */
export const GRID_PAD = 3;

const PITCH = TILE_SIZE + TILE_GAP;

/** Each status's colours: `main` fills to the figure, `weak` is the rest of the tile. */
export type StatusColors = Readonly<Record<NodeStatus, { main: string; weak: string }>>;

/** What {@link paintTiles} draws with: the part of a 2D canvas context it uses. */
export type TilePainter = Pick<
  CanvasRenderingContext2D,
  'fillStyle' | 'strokeStyle' | 'lineWidth' | 'fillRect' | 'strokeRect' | 'clearRect'
>;

/** How many tiles fit in a row of `width` pixels (at least one). */
export function gridColumns(width: number): number {
  return Math.max(1, Math.floor((width - 2 * GRID_PAD + TILE_GAP) / PITCH));
}

/** The canvas's size in CSS pixels for `count` tiles in `columns` columns. */
export function gridSize(count: number, columns: number): { width: number; height: number } {
  const rows = Math.max(1, Math.ceil(count / columns));
  const span = (n: number) => n * PITCH - TILE_GAP + 2 * GRID_PAD;
  return { width: span(Math.min(Math.max(count, 1), columns)), height: span(rows) };
}

/** The top-left corner of tile `index`, in CSS pixels from the canvas's corner. */
export function tileOrigin(index: number, columns: number): { x: number; y: number } {
  return { x: GRID_PAD + (index % columns) * PITCH, y: GRID_PAD + Math.floor(index / columns) * PITCH };
}

/** The index of the tile under a point of the canvas, or `null` for a gap or past the last tile. */
export function tileIndexAt(x: number, y: number, columns: number, count: number): number | null {
  const column = Math.floor((x - GRID_PAD) / PITCH);
  const row = Math.floor((y - GRID_PAD) / PITCH);
  if (column < 0 || column >= columns || row < 0) {
    return null;
  }
  const inTile = x - GRID_PAD - column * PITCH < TILE_SIZE && y - GRID_PAD - row * PITCH < TILE_SIZE;
  const index = row * columns + column;
  return inTile && index < count ? index : null;
}

/** The colour key of a node's verdict: a verdict outside the four paints as `unknown`. */
function statusOf(node: PulseNode): NodeStatus {
  const status = node.status;
  return status === 'online' || status === 'stale' || status === 'offline' ? status : 'unknown';
}

/**
 * Paints every tile: its verdict's faint colour above its fill level, its verdict's colour from
 * the bottom to it, and a ring around the open node's tile. The two parts of a tile never overlap,
 * so the rectangles are painted colour by colour: a few colour changes per row, not two per tile.
 */
export function paintTiles(
  painter: TilePainter,
  nodes: readonly PulseNode[],
  metric: OverviewMetric,
  columns: number,
  colors: StatusColors,
  open: { index: number; color: string } | null
): void {
  const { width, height } = gridSize(nodes.length, columns);
  painter.clearRect(0, 0, width, height);
  const levels = new Uint8Array(nodes.length);
  const statuses: NodeStatus[] = new Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    levels[i] = fillLevel(nodes[i], metric);
    statuses[i] = statusOf(nodes[i]);
  }
  for (const status of STATUSES) {
    paintPart(painter, colors[status].weak, status, statuses, levels, columns, false);
    paintPart(painter, colors[status].main, status, statuses, levels, columns, true);
  }
  if (open !== null && open.index >= 0 && open.index < nodes.length) {
    const { x, y } = tileOrigin(open.index, columns);
    painter.strokeStyle = open.color;
    painter.lineWidth = 2;
    painter.strokeRect(x - 2, y - 2, TILE_SIZE + 4, TILE_SIZE + 4);
  }
}

const STATUSES: readonly NodeStatus[] = ['online', 'stale', 'offline', 'unknown'];

/** The faint (`filled` false) or filled part of every tile of one verdict, in one colour. */
function paintPart(
  painter: TilePainter,
  color: string,
  status: NodeStatus,
  statuses: readonly NodeStatus[],
  levels: Uint8Array,
  columns: number,
  filled: boolean
): void {
  let styled = false;
  for (let i = 0; i < statuses.length; i++) {
    const level = levels[i];
    if (statuses[i] !== status || (filled ? level === 0 : level === TILE_SIZE)) {
      continue;
    }
    if (!styled) {
      painter.fillStyle = color;
      styled = true;
    }
    const { x, y } = tileOrigin(i, columns);
    if (filled) {
      painter.fillRect(x, y + TILE_SIZE - level, TILE_SIZE, level);
    } else {
      painter.fillRect(x, y, TILE_SIZE, TILE_SIZE - level);
    }
  }
}
