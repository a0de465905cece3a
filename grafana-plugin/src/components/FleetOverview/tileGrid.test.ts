import { readNode, type PulseNode } from '../../pulse/node';
import { bunNode } from '../../testing/collectorReplies';
import {
  GRID_PAD,
  gridColumns,
  gridSize,
  paintTiles,
  tileIndexAt,
  tileOrigin,
  TILE_SIZE,
  type StatusColors,
  type TilePainter,
} from './tileGrid';

const colors: StatusColors = {
  online: { main: 'green', weak: 'pale-green' },
  stale: { main: 'orange', weak: 'pale-orange' },
  offline: { main: 'red', weak: 'pale-red' },
  unknown: { main: 'grey', weak: 'pale-grey' },
};

const node = (id: string, status: string, cpu: number): PulseNode =>
  readNode({ ...bunNode, id, status, cpu: { ...bunNode.cpu, system: cpu } })!;

function recorder() {
  const calls: string[] = [];
  const painter: TilePainter = {
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    clearRect: (x, y, w, h) => void calls.push(`clear ${x},${y} ${w}x${h}`),
    fillRect(x, y, w, h) {
      calls.push(`${String(this.fillStyle)} ${x},${y} ${w}x${h}`);
    },
    strokeRect(x, y, w, h) {
      calls.push(`ring ${String(this.strokeStyle)} ${x},${y} ${w}x${h}`);
    },
  };
  return { painter, calls };
}

describe('tile grid', () => {
  it('fits as many 12 px tiles with 2 px gaps as the width holds, at least one', () => {
    expect(gridColumns(0)).toBe(1);
    expect(gridColumns(2 * GRID_PAD + 12)).toBe(1);
    expect(gridColumns(2 * GRID_PAD + 12 + 14 * 9)).toBe(10);
    expect(gridSize(25, 10)).toEqual({ width: 10 * 14 - 2 + 6, height: 3 * 14 - 2 + 6 });
  });

  it('finds the tile under a point, and none in a gap or past the last tile', () => {
    expect(tileIndexAt(GRID_PAD, GRID_PAD, 10, 25)).toBe(0);
    const { x, y } = tileOrigin(13, 10);
    expect(tileIndexAt(x + TILE_SIZE - 1, y + TILE_SIZE - 1, 10, 25)).toBe(13);
    expect(tileIndexAt(x + TILE_SIZE + 1, y, 10, 25)).toBeNull();
    expect(tileIndexAt(tileOrigin(27, 10).x, tileOrigin(27, 10).y, 10, 25)).toBeNull();
    expect(tileIndexAt(0, 0, 10, 25)).toBeNull();
  });

  it("paints each tile in its verdict's colours, filled from the bottom to its figure, and rings the open one", () => {
    const { painter, calls } = recorder();
    const nodes = [node('a', 'online', 25), node('b', 'offline', 100), node('c', 'zombie', 0)];
    paintTiles(painter, nodes, 'cpu', 2, colors, { index: 1, color: 'white' });
    // Colour by colour; a full tile has no faint part and an empty one no filled part.
    expect(calls).toEqual([
      'clear 0,0 32x32',
      'pale-green 3,3 12x9',
      'green 3,12 12x3',
      'red 17,3 12x12',
      'pale-grey 3,17 12x12',
      'ring white 15,1 16x16',
    ]);
  });
});
